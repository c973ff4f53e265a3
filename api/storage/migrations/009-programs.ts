import type { Kysely } from "kysely";

/**
 * Programs (issue #5 part 5): a program owner's pool of enrolled people, the draft of formed
 * circles (JSON, reviewed and adjusted before booking) and the circles booked from it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("programs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("owner_id", "text", (c) => c.notNull())
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("duration_weeks", "integer", (c) => c.notNull())
    /** JSON array of format ids. */
    .addColumn("format_ids", "text", (c) => c.notNull())
    /** JSON: "pairs" or { min, max }. */
    .addColumn("size", "text", (c) => c.notNull())
    /** JSON draft of formed circles; null until formed. */
    .addColumn("draft", "text")
    /** The cohort booking's id, once booking started. */
    .addColumn("cohort_job_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("programs_owner_idx").on("programs").columns(["tenant_id", "owner_id"]).execute();

  await db.schema
    .createTable("program_enrolments")
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("upn", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("enrolled_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("program_enrolments_pk", ["program_id", "user_id"])
    .execute();

  // One row per draft circle once it exists as a circle: a retried cohort booking skips these.
  await db.schema
    .createTable("program_circles")
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("circle_id", "text", (c) => c.notNull())
    .addColumn("job_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("program_circles_pk", ["program_id", "position"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("program_circles").execute();
  await db.schema.dropTable("program_enrolments").execute();
  await db.schema.dropTable("programs").execute();
}
