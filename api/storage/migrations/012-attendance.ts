import type { Kysely } from "kysely";

/**
 * Attendance from Teams (issue #5 part 6): the attendance reports of each circle's online meeting,
 * so "sessions held" no longer depends on the circle using the side panel.
 *
 * Only what the team view and cadence health need is kept: each report's times and how many
 * members were there, and per member the seconds they attended. Guests and people outside the
 * circle are not stored at all (no names, no e-mail addresses); a member is stored by object id.
 * Reports do not change once Teams has generated them, so a stored report is never read again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("attendance_reports")
    .addColumn("circle_id", "text", (c) => c.notNull().references("circles.id").onDelete("cascade"))
    /** Graph's meetingAttendanceReport id. */
    .addColumn("report_id", "text", (c) => c.notNull())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("meeting_start_at", "text", (c) => c.notNull())
    .addColumn("meeting_end_at", "text", (c) => c.notNull())
    /** Graph's totalParticipantCount (everyone, guests included): kept for diagnosis, never shown. */
    .addColumn("total_participant_count", "integer", (c) => c.notNull())
    .addColumn("fetched_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("attendance_reports_pk", ["circle_id", "report_id"])
    .execute();
  await db.schema.createIndex("attendance_reports_start_idx").on("attendance_reports").columns(["circle_id", "meeting_start_at"]).execute();

  await db.schema
    .createTable("attendance_records")
    .addColumn("circle_id", "text", (c) => c.notNull())
    .addColumn("report_id", "text", (c) => c.notNull())
    /** The member's Entra object id. */
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("seconds", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("attendance_records_pk", ["circle_id", "report_id", "user_id"])
    .addForeignKeyConstraint("attendance_records_report_fk", ["circle_id", "report_id"], "attendance_reports", ["circle_id", "report_id"], (fk) => fk.onDelete("cascade"))
    .execute();
  await db.schema.createIndex("attendance_records_user_idx").on("attendance_records").columns(["user_id"]).execute();

  await db.schema
    .createTable("attendance_checks")
    .addColumn("circle_id", "text", (c) => c.primaryKey().references("circles.id").onDelete("cascade"))
    .addColumn("tenant_id", "text", (c) => c.notNull())
    /** The meeting whose reports were read (resolved from the join URL when booking did not record it). */
    .addColumn("online_meeting_id", "text")
    /** 'ok' | 'unavailable' (no meeting, or the organiser's meeting artifacts may not be read). */
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("checked_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("attendance_checks").execute();
  await db.schema.dropTable("attendance_records").execute();
  await db.schema.dropTable("attendance_reports").execute();
}
