import type { Db } from "../storage";
import type { CircleMemberRef, MemberSeconds, StoredAttendanceReport } from "./match";

/** SQL for attendance (migration 012). Instants are ISO text. */

export interface AttendanceCheckRow {
  circle_id: string;
  online_meeting_id: string | null;
  status: string;
  checked_at: string;
}

export async function listChecks(db: Db, circleIds: readonly string[]): Promise<AttendanceCheckRow[]> {
  if (circleIds.length === 0) return [];
  return db.selectFrom("attendance_checks").select(["circle_id", "online_meeting_id", "status", "checked_at"]).where("circle_id", "in", [...circleIds]).execute();
}

export async function saveCheck(db: Db, row: { circleId: string; tenantId: string; onlineMeetingId: string | null; status: "ok" | "unavailable"; checkedAt: string }): Promise<void> {
  await db
    .insertInto("attendance_checks")
    .values({ circle_id: row.circleId, tenant_id: row.tenantId, online_meeting_id: row.onlineMeetingId, status: row.status, checked_at: row.checkedAt })
    .onConflict((oc) => oc.column("circle_id").doUpdateSet({ online_meeting_id: row.onlineMeetingId, status: row.status, checked_at: row.checkedAt }))
    .execute();
}

/** Everyone who is or was a member of these circles (past members attended past sessions). */
export async function listCircleMemberRefs(db: Db, circleIds: readonly string[]): Promise<Map<string, CircleMemberRef[]>> {
  const out = new Map<string, CircleMemberRef[]>();
  if (circleIds.length === 0) return out;
  const rows = await db.selectFrom("circle_members").select(["circle_id", "user_id", "upn"]).where("circle_id", "in", [...circleIds]).execute();
  for (const r of rows) out.set(r.circle_id, [...(out.get(r.circle_id) ?? []), { userId: r.user_id, upn: r.upn }]);
  return out;
}

/** Report ids already stored for these circles (reports never change once generated). */
export async function storedReportIds(db: Db, circleIds: readonly string[]): Promise<Set<string>> {
  if (circleIds.length === 0) return new Set();
  const rows = await db.selectFrom("attendance_reports").select(["circle_id", "report_id"]).where("circle_id", "in", [...circleIds]).execute();
  return new Set(rows.map((r) => `${r.circle_id}|${r.report_id}`));
}

/** Stores a report and its members' seconds, both or neither; a report stored meanwhile by another request is left as is. */
export async function insertReport(
  db: Db,
  row: { circleId: string; tenantId: string; reportId: string; start: string; end: string; totalParticipantCount: number; fetchedAt: string; members: readonly MemberSeconds[] },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto("attendance_reports")
      .values({
        circle_id: row.circleId,
        report_id: row.reportId,
        tenant_id: row.tenantId,
        meeting_start_at: row.start,
        meeting_end_at: row.end,
        total_participant_count: row.totalParticipantCount,
        fetched_at: row.fetchedAt,
      })
      .onConflict((oc) => oc.columns(["circle_id", "report_id"]).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
    if (row.members.length > 0) {
      await trx
        .insertInto("attendance_records")
        .values(row.members.map((m) => ({ circle_id: row.circleId, report_id: row.reportId, user_id: m.userId, seconds: Math.round(m.seconds) })))
        .execute();
    }
    return true;
  });
}

/** Stored reports of these circles whose session ended after `since`, with members' seconds. */
export async function listStoredReports(db: Db, circleIds: readonly string[], since: string): Promise<Map<string, StoredAttendanceReport[]>> {
  const out = new Map<string, StoredAttendanceReport[]>();
  if (circleIds.length === 0) return out;
  const reports = await db
    .selectFrom("attendance_reports")
    .select(["circle_id", "report_id", "meeting_start_at", "meeting_end_at"])
    .where("circle_id", "in", [...circleIds])
    .where("meeting_end_at", ">=", since)
    .execute();
  if (reports.length === 0) return out;
  const records = await db
    .selectFrom("attendance_records as r")
    .innerJoin("attendance_reports as p", (j) => j.onRef("p.circle_id", "=", "r.circle_id").onRef("p.report_id", "=", "r.report_id"))
    .select(["r.circle_id", "r.report_id", "r.user_id", "r.seconds"])
    .where("r.circle_id", "in", [...circleIds])
    .where("p.meeting_end_at", ">=", since)
    .execute();
  const membersOf = new Map<string, MemberSeconds[]>();
  for (const r of records) {
    const key = `${r.circle_id}|${r.report_id}`;
    membersOf.set(key, [...(membersOf.get(key) ?? []), { userId: r.user_id, seconds: Number(r.seconds) }]);
  }
  for (const r of reports) {
    const report: StoredAttendanceReport = {
      reportId: r.report_id,
      start: new Date(Date.parse(r.meeting_start_at)).toISOString(),
      end: new Date(Date.parse(r.meeting_end_at)).toISOString(),
      members: membersOf.get(`${r.circle_id}|${r.report_id}`) ?? [],
    };
    out.set(r.circle_id, [...(out.get(r.circle_id) ?? []), report]);
  }
  return out;
}
