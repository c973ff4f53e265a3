import type { Kysely } from "kysely";

/**
 * Scheduled nudges (issue #5 part 3): one row per nudge the scheduler decided to send — member,
 * circle, session and kind — so each is sent at most once, whatever restarts or how many
 * instances scan at the same time. The primary key is the idempotency key: a scan claims a
 * nudge by inserting its row, and a second scan (or instance) finds the row and moves on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("nudge_deliveries")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("circle_id", "text", (c) => c.notNull().references("circles.id").onDelete("cascade"))
    /** The session the nudge is about: its start (UTC ISO); for "momentum fading", the session that tipped the circle. */
    .addColumn("occurrence_key", "text", (c) => c.notNull())
    /** 'prepReminder' | 'reflectionPrompt' | 'momentumFading'. */
    .addColumn("kind", "text", (c) => c.notNull())
    /** When it was due (UTC ISO), e.g. 09:00 in the member's zone the day before. */
    .addColumn("due_at", "text", (c) => c.notNull())
    /** 'claimed' (being sent) | 'sent' | 'switchedOff' | 'failed'. */
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("claimed_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    /** Graph's error code when sending failed for good (e.g. the app is not installed for them). */
    .addColumn("error", "text")
    .addPrimaryKeyConstraint("nudge_deliveries_pk", ["tenant_id", "user_id", "circle_id", "occurrence_key", "kind"])
    .execute();
  await db.schema.createIndex("nudge_deliveries_circle_idx").on("nudge_deliveries").columns(["circle_id", "kind"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("nudge_deliveries").execute();
}
