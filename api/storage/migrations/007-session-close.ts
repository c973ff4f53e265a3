import type { Kysely } from "kysely";

/**
 * The close of a live session (issue #4, part 7): one insight per member per session (private to
 * its author), the anonymised copies members chose to share with the program, and the one-tap
 * usefulness pulse.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Private by default: only the author ever reads their row. `shared_copy_id` points at the
  // anonymised copy in program_insights when they opted in; the copy never points back.
  await db.schema
    .createTable("session_insights")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("session_id", "text", (c) => c.notNull().references("session_runs.id").onDelete("cascade"))
    .addColumn("author_id", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("shared_copy_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("session_insights_author_uq", ["session_id", "author_id"])
    .execute();

  // The program's learning library: anonymised on purpose. No author, no circle, no session, and
  // only the day it was shared (an exact instant could be matched against a session's close).
  await db.schema
    .createTable("program_insights")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    // YYYY-MM-DD (UTC).
    .addColumn("shared_on", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("program_insights_tenant_idx").on("program_insights").columns(["tenant_id", "shared_on"]).execute();

  // One-tap usefulness rating (1–5) per member per session; a second tap replaces the first.
  await db.schema
    .createTable("session_pulses")
    .addColumn("session_id", "text", (c) => c.notNull().references("session_runs.id").onDelete("cascade"))
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("rating", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("session_pulses_pk", ["session_id", "member_id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("session_pulses").execute();
  await db.schema.dropTable("program_insights").execute();
  await db.schema.dropTable("session_insights").execute();
}
