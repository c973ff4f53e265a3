import type { Kysely } from "kysely";

/**
 * Keeping protected time true (issue #5 parts 2–3): Graph change-notification subscriptions on
 * members' events, the protected blocks a meeting landed on ("overridden"), and per-person
 * nudge switches.
 *
 * Overrides live in their own table rather than as a column of protected_time_blocks: a sync
 * replaces a member's block rows wholesale (protected-time/repository.ts replaceBlockRows), and
 * every change notification triggers a sync, so a column there would be wiped at once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("graph_subscriptions")
    /** Graph's subscription id. */
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    /** Whose events are watched. */
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("resource", "text", (c) => c.notNull())
    /** SHA-256 (hex) of the per-subscription clientState; the secret itself is never stored. */
    .addColumn("client_state_hash", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    /** 'active' | 'removed'. */
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("graph_subscriptions_user_idx").on("graph_subscriptions").columns(["tenant_id", "user_id"]).execute();
  await db.schema.createIndex("graph_subscriptions_expiry_idx").on("graph_subscriptions").columns(["status", "expires_at"]).execute();

  await db.schema
    .createTable("protected_time_overrides")
    .addColumn("circle_id", "text", (c) => c.notNull().references("circles.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    /** The block's session slot and kind, as in protected_time_blocks. */
    .addColumn("occurrence_key", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    /** The meeting that landed on the block (event id in the member's mailbox). */
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("block_start_at", "text", (c) => c.notNull())
    .addColumn("block_end_at", "text", (c) => c.notNull())
    .addColumn("overridden_at", "text", (c) => c.notNull())
    /** When the member was nudged about it; null when their switch is off or sending failed. */
    .addColumn("nudged_at", "text")
    .addPrimaryKeyConstraint("protected_time_overrides_pk", ["circle_id", "user_id", "occurrence_key", "kind"])
    .execute();
  await db.schema.createIndex("protected_time_overrides_user_idx").on("protected_time_overrides").columns(["tenant_id", "user_id", "block_start_at"]).execute();

  await db.schema
    .createTable("nudge_settings")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    /** 'prepReminder' | 'reflectionPrompt' | 'momentumFading' | 'protectedTimeConflict' (appPackage/manifest.json activityTypes). */
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("enabled", "integer", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("nudge_settings_pk", ["tenant_id", "user_id", "kind"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("nudge_settings").execute();
  await db.schema.dropTable("protected_time_overrides").execute();
  await db.schema.dropTable("graph_subscriptions").execute();
}
