import type { Kysely } from "kysely";

/**
 * Protected time (issue #5 part 1): each member's prep/reflection settings per circle, and the
 * blocks we put on their calendar (event id per member, circle, occurrence and kind), so team
 * hours and "protected vs overridden" can be counted without reading calendars again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("protected_time_settings")
    .addColumn("circle_id", "text", (c) => c.notNull().references("circles.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("opt_out", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("prep_minutes", "integer", (c) => c.notNull())
    .addColumn("reflection_minutes", "integer", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("protected_time_settings_pk", ["circle_id", "user_id"])
    .execute();

  await db.schema
    .createTable("protected_time_blocks")
    .addColumn("circle_id", "text", (c) => c.notNull().references("circles.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    /** The session's slot in the series (its original start, UTC ISO): stable when the session moves. */
    .addColumn("occurrence_key", "text", (c) => c.notNull())
    /** 'prep' | 'reflection'. */
    .addColumn("kind", "text", (c) => c.notNull())
    /** The block's event id in the member's own mailbox. */
    .addColumn("event_id", "text", (c) => c.notNull())
    /** iCalUId of the series the session belongs to (a moved series has a second one). */
    .addColumn("series_ical_uid", "text")
    .addColumn("start_at", "text", (c) => c.notNull())
    .addColumn("end_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("protected_time_blocks_pk", ["circle_id", "user_id", "occurrence_key", "kind"])
    .execute();
  // Every series a circle was booked as (a move that splits the series books a second one):
  // sessions of the earlier series keep their blocks, even for members who never synced before.
  await db.schema
    .createTable("protected_time_series")
    .addColumn("circle_id", "text", (c) => c.notNull().references("circles.id").onDelete("cascade"))
    .addColumn("ical_uid", "text", (c) => c.notNull())
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("protected_time_series_pk", ["circle_id", "ical_uid"])
    .execute();
  // Team view: a member's protected time over a window.
  await db.schema.createIndex("protected_time_blocks_user_idx").on("protected_time_blocks").columns(["tenant_id", "user_id", "start_at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("protected_time_series").execute();
  await db.schema.dropTable("protected_time_blocks").execute();
  await db.schema.dropTable("protected_time_settings").execute();
}
