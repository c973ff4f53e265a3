import { z } from "zod";
import { readBatchItemOrThrow, type BatchRequest, type BatchResult } from "../graph";

/**
 * Teams attendance reports over Graph v1.0 (meetingAttendanceReport, attendanceRecord). Only the
 * organiser (delegated, `/me/…`) or the app with an application access policy for the organiser
 * (`/users/{id}/…`, OnlineMeetingArtifact.Read.All) may read them. One report per meeting
 * session: a recurring series has one online meeting and a report for each occurrence held.
 */

const InstantSchema = z.iso.datetime({ offset: true });

export const AttendanceReportSummarySchema = z.object({
  id: z.string().min(1),
  meetingStartDateTime: InstantSchema,
  meetingEndDateTime: InstantSchema,
  totalParticipantCount: z.number().int().min(0).nullish(),
});

const AttendanceIntervalSchema = z.object({
  joinDateTime: InstantSchema.nullish(),
  leaveDateTime: InstantSchema.nullish(),
  durationInSeconds: z.number().int().min(0).nullish(),
});

export const AttendanceRecordSchema = z.object({
  emailAddress: z.string().nullish(),
  totalAttendanceInSeconds: z.number().int().min(0).nullish(),
  role: z.string().nullish(),
  // communicationsUserIdentity: `id` is the Entra object id for people in the tenant (null for some guests).
  identity: z.object({ id: z.string().nullish(), displayName: z.string().nullish() }).nullish(),
  attendanceIntervals: z.array(AttendanceIntervalSchema).nullish(),
});

export const AttendanceReportSchema = AttendanceReportSummarySchema.extend({ attendanceRecords: z.array(AttendanceRecordSchema).nullish() });

const ReportListSchema = z.object({ value: z.array(AttendanceReportSummarySchema), "@odata.nextLink": z.string().nullish() });

export type AttendanceReportSummary = z.infer<typeof AttendanceReportSummarySchema>;
export type GraphAttendanceReport = z.infer<typeof AttendanceReportSchema>;
export type GraphAttendanceRecord = z.infer<typeof AttendanceRecordSchema>;

/** `/me` for the organiser's own token, `/users/{id}` for app-only access to their meetings. */
export type MailboxRoot = "/me" | `/users/${string}`;

export function mailboxRoot(organizerId: string, delegated: boolean): MailboxRoot {
  return delegated ? "/me" : `/users/${encodeURIComponent(organizerId)}`;
}

const meetingPath = (root: MailboxRoot, meetingId: string) => `${root}/onlineMeetings/${encodeURIComponent(meetingId)}`;

/** `GET …/onlineMeetings/{id}/attendanceReports` (first page; see {@link readReportList}). */
export function listReportsRequest(id: string, root: MailboxRoot, meetingId: string): BatchRequest {
  return { id, method: "GET", url: `${meetingPath(root, meetingId)}/attendanceReports` };
}

/** `GET …/attendanceReports/{reportId}?$expand=attendanceRecords`: one report with who attended. */
export function getReportRequest(id: string, root: MailboxRoot, meetingId: string, reportId: string): BatchRequest {
  return { id, method: "GET", url: `${meetingPath(root, meetingId)}/attendanceReports/${encodeURIComponent(reportId)}?$expand=attendanceRecords` };
}

/** The reports on the page, and whether Graph has more (rare: one page holds many sessions). */
export function readReportList(result: BatchResult): { reports: AttendanceReportSummary[]; more: boolean } {
  const page = readBatchItemOrThrow(result, ReportListSchema, "GET /users/{id}/onlineMeetings/{id}/attendanceReports");
  return { reports: page.value, more: Boolean(page["@odata.nextLink"]) };
}

export function readReport(result: BatchResult): GraphAttendanceReport {
  return readBatchItemOrThrow(result, AttendanceReportSchema, "GET /users/{id}/onlineMeetings/{id}/attendanceReports/{id}");
}

/** Seconds a record attended: Graph's total, else the sum of its intervals. */
export function recordSeconds(record: GraphAttendanceRecord): number {
  if (typeof record.totalAttendanceInSeconds === "number") return record.totalAttendanceInSeconds;
  return (record.attendanceIntervals ?? []).reduce((sum, i) => sum + (i.durationInSeconds ?? 0), 0);
}
