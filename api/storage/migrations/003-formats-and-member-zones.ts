import type { Kysely } from "kysely";

/**
 * Circles and formats (issue #3): the formats people copied and edited (built-in formats stay in
 * code), and each member's own time zone as last learned (mailbox or getSchedule working hours),
 * so a circle page can show everyone's local time without asking Graph.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("formats")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("owner_id", "text", (c) => c.notNull())
    .addColumn("based_on", "text", (c) => c.notNull())
    /** The whole format (FormatSchema) as JSON text. */
    .addColumn("definition", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  // "My formats" lists a user's copies.
  await db.schema.createIndex("formats_owner_idx").on("formats").columns(["tenant_id", "owner_id"]).execute();

  await db.schema.alterTable("circle_members").addColumn("time_zone", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("circle_members").dropColumn("time_zone").execute();
  await db.schema.dropTable("formats").execute();
}
