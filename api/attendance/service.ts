import type { CallerIdentity } from "../auth/identity";
import { findMeetingByJoinUrlRequest, isGraphRequestError, readMeetingLookup, type BatchRequest, type BatchResult, type GraphClient, type GraphFactory } from "../graph";
import type { Logger } from "../shared/logger";
import type { CircleSeriesRow, Db } from "../storage";
import { AttendanceReportSummarySchema, getReportRequest, listReportsRequest, mailboxRoot, readReport, readReportList, type AttendanceReportSummary, type MailboxRoot } from "./graph-reports";
import { membersInRecords, type StoredAttendanceReport } from "./match";
import { insertReport, listChecks, listCircleMemberRefs, listStoredReports, saveCheck, storedReportIds, type AttendanceCheckRow } from "./repository";

export interface AttendanceDeps {
  db: Db;
  graph: GraphFactory;
  clock: () => Date;
  logger?: Logger;
}

/** A circle whose Teams meeting may have attendance reports. */
export interface AttendanceCircle {
  circleId: string;
  series: Pick<CircleSeriesRow, "organizer_id" | "online_meeting_id" | "join_web_url">;
  /** End (epoch ms) of the circle's latest session that has ended, if known: nothing newer can have a report. */
  lastEndedMs?: number;
}

export interface RefreshOptions {
  /** Reports of sessions that ended before this instant are not fetched (the caller's window). */
  since: string;
  /** At most this many circles are read per call (default 40: 2 list batches). */
  maxCircles?: number;
  /** At most this many new reports are fetched per call (default 100: 5 batches). */
  maxReports?: number;
}

const MINUTE_MS = 60_000;
/** A circle read this recently is not read again: team views opened back to back cost nothing. */
export const ATTENDANCE_TTL_MS = 15 * MINUTE_MS;
/** A meeting whose reports may not be read (no access policy, deleted) is tried again after this. */
const UNAVAILABLE_TTL_MS = 6 * 60 * MINUTE_MS;
/** Teams generates a report minutes after a session ends; a day's grace covers late ones. */
const REPORT_GRACE_MS = 24 * 60 * MINUTE_MS;
const DEFAULT_MAX_CIRCLES = 40;
const DEFAULT_MAX_REPORTS = 100;

/** 403/404 for a meeting: no application access policy for the organiser, or the meeting is gone. */
const isUnavailable = (err: unknown) => isGraphRequestError(err) && (err.status === 403 || err.status === 404);

function needsRead(check: AttendanceCheckRow | undefined, circle: AttendanceCircle, nowMs: number): boolean {
  if (!check) return true;
  const checked = Date.parse(check.checked_at);
  if (check.status === "unavailable") return nowMs - checked >= UNAVAILABLE_TTL_MS;
  if (nowMs - checked < ATTENDANCE_TTL_MS) return false;
  // No session has ended since (well before) the last read: there is nothing new to find.
  return circle.lastEndedMs === undefined || circle.lastEndedMs >= checked - REPORT_GRACE_MS;
}

/** Same request for the organiser's mailbox under the given root. */
function rooted(request: BatchRequest, root: MailboxRoot): BatchRequest {
  return { ...request, url: request.url.replace(/^\/me\//, `${root}/`) };
}

function byId(results: readonly BatchResult[]): Map<string, BatchResult> {
  return new Map(results.map((r) => [r.id, r]));
}

/**
 * Teams attendance for circles' online meetings (issue #5 part 6), read lazily: when someone asks
 * (the team view), circles not read for 15 minutes and with a session ended since are read from
 * the organiser's meetings — delegated when the caller is the organiser, app-only otherwise —
 * in `$batch`: the meeting id from the join URL when booking did not record it, the list of
 * reports, then each report not yet stored with `$expand=attendanceRecords`. Bounded per call
 * (circles and reports); what is left is read on the next call. Only members' seconds are stored.
 */
export function createAttendanceService(deps: AttendanceDeps) {
  async function readGroup(client: GraphClient, delegated: boolean, tenantId: string, circles: readonly AttendanceCircle[], checks: Map<string, AttendanceCheckRow>, opts: Required<RefreshOptions>, budget: { reports: number }): Promise<number> {
    const now = () => deps.clock().toISOString();
    const rootOf = (c: AttendanceCircle) => mailboxRoot(c.series.organizer_id, delegated);
    const meetingIds = new Map<string, string>();
    const unavailable = new Set<string>();
    const failed = new Set<string>();

    // 1. Meetings booking did not resolve: find them by join URL.
    const unresolved = circles.filter((c) => !(c.series.online_meeting_id ?? checks.get(c.circleId)?.online_meeting_id) && c.series.join_web_url);
    for (const c of circles) {
      const known = c.series.online_meeting_id ?? checks.get(c.circleId)?.online_meeting_id;
      if (known) meetingIds.set(c.circleId, known);
      else if (!c.series.join_web_url) unavailable.add(c.circleId);
    }
    if (unresolved.length > 0) {
      const results = byId(await client.batch(unresolved.map((c) => rooted(findMeetingByJoinUrlRequest(c.circleId, c.series.join_web_url!), rootOf(c)))));
      for (const c of unresolved) {
        try {
          const meeting = readMeetingLookup(results.get(c.circleId)!);
          if (meeting) meetingIds.set(c.circleId, meeting.id);
          else unavailable.add(c.circleId);
        } catch (err) {
          if (isUnavailable(err)) unavailable.add(c.circleId);
          else failed.add(c.circleId);
          deps.logger?.warn({ err, circleId: c.circleId }, "attendance: could not find the circle's online meeting");
        }
      }
    }

    // 2. The reports of each meeting (one page each; the rare longer list is paged on its own).
    const listed = circles.filter((c) => meetingIds.has(c.circleId));
    const summaries = new Map<string, AttendanceReportSummary[]>();
    if (listed.length > 0) {
      const requests = listed.map((c) => listReportsRequest(c.circleId, rootOf(c), meetingIds.get(c.circleId)!));
      const results = byId(await client.batch(requests));
      for (const [i, c] of listed.entries()) {
        try {
          const page = readReportList(results.get(c.circleId)!);
          const all = page.more ? await client.getAllPages(requests[i]!.url, AttendanceReportSummarySchema, { maxPages: 20 }) : page.reports;
          summaries.set(c.circleId, all);
        } catch (err) {
          if (isUnavailable(err)) unavailable.add(c.circleId);
          else failed.add(c.circleId);
          deps.logger?.warn({ err, circleId: c.circleId }, "attendance: could not list the meeting's attendance reports");
        }
      }
    }

    // 3. Reports not stored yet, newest first, within the window and the budget.
    const stored = await storedReportIds(deps.db, [...summaries.keys()]);
    const sinceMs = Date.parse(opts.since);
    const wanted = [...summaries.entries()]
      .flatMap(([circleId, list]) => list.map((r) => ({ circleId, r })))
      .filter(({ circleId, r }) => !stored.has(`${circleId}|${r.id}`) && Date.parse(r.meetingEndDateTime) >= sinceMs)
      .sort((a, b) => Date.parse(b.r.meetingStartDateTime) - Date.parse(a.r.meetingStartDateTime));
    const take = wanted.slice(0, Math.max(0, budget.reports));
    budget.reports -= take.length;
    // A circle with reports left over is not marked read, so the next call continues with it.
    for (const { circleId } of wanted.slice(take.length)) failed.add(circleId);
    let fetched = 0;
    if (take.length > 0) {
      const circleOf = new Map(circles.map((c) => [c.circleId, c]));
      const members = await listCircleMemberRefs(deps.db, [...new Set(take.map((t) => t.circleId))]);
      const results = byId(await client.batch(take.map(({ circleId, r }, k) => getReportRequest(`r${k}`, rootOf(circleOf.get(circleId)!), meetingIds.get(circleId)!, r.id))));
      for (const [k, { circleId, r }] of take.entries()) {
        try {
          const report = readReport(results.get(`r${k}`)!);
          const present = membersInRecords(report.attendanceRecords ?? [], members.get(circleId) ?? []);
          await insertReport(deps.db, {
            circleId,
            tenantId,
            reportId: r.id,
            start: new Date(Date.parse(report.meetingStartDateTime)).toISOString(),
            end: new Date(Date.parse(report.meetingEndDateTime)).toISOString(),
            totalParticipantCount: report.totalParticipantCount ?? report.attendanceRecords?.length ?? 0,
            fetchedAt: now(),
            members: present,
          });
          fetched += 1;
        } catch (err) {
          failed.add(circleId);
          deps.logger?.warn({ err, circleId }, "attendance: could not read an attendance report");
        }
      }
    }

    for (const c of circles) {
      if (failed.has(c.circleId)) continue;
      const status = unavailable.has(c.circleId) ? "unavailable" : "ok";
      await saveCheck(deps.db, { circleId: c.circleId, tenantId, onlineMeetingId: meetingIds.get(c.circleId) ?? null, status, checkedAt: now() });
    }
    return fetched;
  }

  return {
    /**
     * Reads new attendance reports for the circles that need it. Never throws for Graph trouble:
     * the stored reports (and the live-run fallback) still answer; failures are logged.
     * @returns how many circles were read and how many reports stored.
     */
    async refresh(caller: CallerIdentity | undefined, tenantId: string, circles: readonly AttendanceCircle[], options: RefreshOptions): Promise<{ circles: number; reports: number }> {
      const opts = { maxCircles: DEFAULT_MAX_CIRCLES, maxReports: DEFAULT_MAX_REPORTS, ...options };
      const nowMs = deps.clock().getTime();
      const checks = new Map((await listChecks(deps.db, circles.map((c) => c.circleId))).map((c) => [c.circle_id, c]));
      const due = circles
        .filter((c) => needsRead(checks.get(c.circleId), c, nowMs))
        // Never read (or read longest ago) first, so a bounded call makes progress on every circle over time.
        .sort((a, b) => Date.parse(checks.get(a.circleId)?.checked_at ?? "1970-01-01T00:00:00Z") - Date.parse(checks.get(b.circleId)?.checked_at ?? "1970-01-01T00:00:00Z"))
        .slice(0, opts.maxCircles);
      if (due.length === 0) return { circles: 0, reports: 0 };
      const own = caller && caller.tenantId === tenantId ? due.filter((c) => c.series.organizer_id === caller.userId) : [];
      const others = due.filter((c) => !own.includes(c));
      const budget = { reports: opts.maxReports };
      let reports = 0;
      const groups: Array<[() => GraphClient, boolean, AttendanceCircle[]]> = [
        [() => deps.graph.forUser(caller!), true, own],
        [() => deps.graph.forApp(tenantId), false, others],
      ];
      for (const [client, delegated, group] of groups) {
        if (group.length === 0) continue;
        try {
          reports += await readGroup(client(), delegated, tenantId, group, checks, opts, budget);
        } catch (err) {
          deps.logger?.warn({ err, circles: group.length, delegated }, "attendance: could not read attendance reports; using what is stored");
        }
      }
      return { circles: due.length, reports };
    },

    /** Stored reports of these circles whose session ended after `since`. */
    stored(circleIds: readonly string[], since: string): Promise<Map<string, StoredAttendanceReport[]>> {
      return listStoredReports(deps.db, circleIds, since);
    },
  };
}

export type AttendanceService = ReturnType<typeof createAttendanceService>;
