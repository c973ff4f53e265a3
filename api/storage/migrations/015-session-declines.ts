import type { Kysely } from "kysely";

/**
 * Declined sessions (issue #5 part 2): a member who declines one occurrence of their circle's
 * series, or the whole series, as read from their own calendar after a change notification.
 * Counted by the team view ("declined by most", a declined session is not protected time) and
 * released from the member's protected blocks.
 *
 * A row is kept when the member accepts again (`withdrawn_at` set), so a later decline is a new
 * decline (nudged again) and the history stays. `member_series_copies` remembers that the
 * member's copy of the series was on their calendar once: only then does a missing copy mean
 * "declined" rather than "the invitation has not arrived yet".
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("session_declines")
    .addColumn("circle_id", "text", (c) => c.notNull().references("circles.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    /** The session's slot (original start, ISO UTC) as in protected_time_blocks; 'series' for the whole series. */
    .addColumn("occurrence_key", "text", (c) => c.notNull())
    /** 'occurrence' | 'series'. */
    .addColumn("scope", "text", (c) => c.notNull())
    /** Occurrence: when the session starts (a moved one away from its slot). Series: declined from this instant on. */
    .addColumn("session_start_at", "text", (c) => c.notNull())
    .addColumn("declined_at", "text", (c) => c.notNull())
    /** The member accepted again; null while the decline stands. */
    .addColumn("withdrawn_at", "text")
    /** Protected blocks taken off the member's calendar for it. */
    .addColumn("released_blocks", "integer", (c) => c.notNull().defaultTo(0))
    /** When the member was nudged about it; null when their switch is off or sending failed. */
    .addColumn("nudged_at", "text")
    .addPrimaryKeyConstraint("session_declines_pk", ["circle_id", "user_id", "occurrence_key"])
    .execute();
  await db.schema.createIndex("session_declines_user_idx").on("session_declines").columns(["tenant_id", "user_id"]).execute();

  await db.schema
    .createTable("member_series_copies")
    .addColumn("circle_id", "text", (c) => c.notNull().references("circles.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("ical_uid", "text", (c) => c.notNull())
    .addColumn("seen_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("member_series_copies_pk", ["circle_id", "user_id", "ical_uid"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("member_series_copies").execute();
  await db.schema.dropTable("session_declines").execute();
}
