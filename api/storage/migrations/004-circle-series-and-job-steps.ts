import type { Kysely } from "kysely";

/**
 * Booking (issue #3): the series a circle is booked as (`circle_series`, the team's storage
 * contract) and the recorded steps of durable jobs (`job_steps`), so a job resumes at the step
 * that failed and a step that was attempted before knows it must look before it writes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("circle_series")
    .addColumn("circle_id", "text", (c) => c.primaryKey().references("circles.id").onDelete("cascade"))
    // Null until Graph has created the series (status 'booking').
    .addColumn("event_id", "text")
    .addColumn("ical_uid", "text")
    .addColumn("organizer_id", "text", (c) => c.notNull())
    .addColumn("online_meeting_id", "text")
    .addColumn("join_web_url", "text")
    .addColumn("chat_id", "text")
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("first_start", "text", (c) => c.notNull())
    .addColumn("transaction_id", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    // Beyond the contract: the booking job that creates this series, and which series of the
    // circle this is (1, 2 … after a cancel or a move splits it): part of the transactionId.
    .addColumn("job_id", "text")
    .addColumn("generation", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  // The live side panel finds its circle from the meeting chat it runs in.
  await db.schema.createIndex("circle_series_chat_idx").on("circle_series").column("chat_id").execute();

  await db.schema
    .createTable("job_steps")
    .addColumn("job_id", "text", (c) => c.notNull().references("jobs.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending"))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("output", "text")
    .addColumn("error", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("job_steps_pk", ["job_id", "name"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("job_steps").execute();
  await db.schema.dropTable("circle_series").execute();
}
