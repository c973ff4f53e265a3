import { DateTime } from "luxon";
import { attendanceByOccurrence, type AttendanceCircle, type AttendanceService, type OccurrenceAttendance } from "../attendance";
import type { CallerIdentity } from "../auth/identity";
import type { CircleSeriesRow } from "../storage";
import type { SessionOutcome } from "./cadence-risk";
import type { CircleSessions, TeamOccurrence } from "./series-reader";

/**
 * What happened to each session of a circle (issue #5 part 6): from the Teams meeting's
 * attendance report where there is one (held = at least 2 members there), else from the live
 * run in the app (the side panel was used), else not held once it has ended. Shared by the team
 * view and anything else that counts sessions held, so they agree.
 */

export interface ResolvedSession {
  outcome: SessionOutcome;
  /** Where "held" or "not held" came from. */
  source: "attendance" | "liveRun" | "none";
  /** Members present (object ids), when an attendance report says. */
  present?: ReadonlySet<string>;
}

export type MemberAttendance = "attended" | "absent" | "unknown";

export interface SessionOutcomes {
  at(circle: Pick<CircleSessions, "circleId" | "timeZone">, o: TeamOccurrence): ResolvedSession;
  /** One member's part in a session: known only from an attendance report. */
  attendanceOf(resolved: ResolvedSession, userId: string): MemberAttendance;
}

/**
 * The outcome rule on its own: cancelled → skipped; a report decides; else a live run; else not
 * held once ended. A session that was not held (or is still to come) and that most members
 * declined is "declined by most": the more telling reason.
 */
export function resolveSession(o: TeamOccurrence, report: OccurrenceAttendance | undefined, ran: boolean, nowMs: number, declinedByMost = false): ResolvedSession {
  if (o.cancelled) return { outcome: "skipped", source: "none" };
  if (report) return { outcome: report.held ? "held" : declinedByMost ? "declinedByMost" : "notHeld", source: "attendance", present: report.present };
  if (ran) return { outcome: "held", source: "liveRun" };
  if (declinedByMost) return { outcome: "declinedByMost", source: "none" };
  return { outcome: Date.parse(o.end) <= nowMs ? "notHeld" : "scheduled", source: "none" };
}

/**
 * Reads attendance lazily (bounded, see the attendance module), then answers per session.
 * `since` bounds the reports read and used; `runs` are session_runs rows (status, local date).
 */
export async function loadSessionOutcomes(
  attendance: AttendanceService,
  input: {
    caller?: CallerIdentity;
    tenantId: string;
    sessions: readonly CircleSessions[];
    series: ReadonlyArray<Pick<CircleSeriesRow, "circle_id" | "organizer_id" | "online_meeting_id" | "join_web_url">>;
    runs: ReadonlyArray<{ circle_id: string; occurrence_date: string; status: string }>;
    since: string;
    nowMs: number;
    /** Whether more than half of the circle's members declined the session (notifications' decline records). */
    declinedByMost?: (circleId: string, o: TeamOccurrence) => boolean;
  },
): Promise<SessionOutcomes> {
  const sessionsOf = new Map(input.sessions.map((s) => [s.circleId, s]));
  const circles: AttendanceCircle[] = input.series.flatMap((row) => {
    if (!row.online_meeting_id && !row.join_web_url) return [];
    const ended = (sessionsOf.get(row.circle_id)?.occurrences ?? []).filter((o) => !o.cancelled && Date.parse(o.end) <= input.nowMs).map((o) => Date.parse(o.end));
    return [{ circleId: row.circle_id, series: row, ...(ended.length > 0 ? { lastEndedMs: Math.max(...ended) } : {}) }];
  });
  await attendance.refresh(input.caller, input.tenantId, circles, { since: input.since });
  const stored = await attendance.stored(
    circles.map((c) => c.circleId),
    input.since,
  );
  const byCircle = new Map<string, Map<string, OccurrenceAttendance>>();
  for (const [circleId, reports] of stored) byCircle.set(circleId, attendanceByOccurrence(reports, sessionsOf.get(circleId)?.occurrences ?? []));

  const ran = new Set(input.runs.filter((r) => r.status !== "notStarted").map((r) => `${r.circle_id}|${r.occurrence_date}`));
  return {
    at(circle, o) {
      const localDate = DateTime.fromISO(o.start, { zone: circle.timeZone }).toFormat("yyyy-MM-dd");
      return resolveSession(o, byCircle.get(circle.circleId)?.get(o.start), ran.has(`${circle.circleId}|${localDate}`), input.nowMs, input.declinedByMost?.(circle.circleId, o) ?? false);
    },
    attendanceOf(resolved, userId) {
      if (!resolved.present) return "unknown";
      return resolved.present.has(userId) ? "attended" : "absent";
    },
  };
}
