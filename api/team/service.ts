import { DateTime } from "luxon";
import { createAttendanceService, type AttendanceService } from "../attendance";
import type { CallerIdentity } from "../auth/identity";
import { ReviewStatusSchema } from "../commitments/schemas";
import type { GraphFactory } from "../graph";
import { findUser } from "../me/repository";
import { loadDeclineView } from "../notifications/decline-view";
import { DEFAULT_PREP_MINUTES, DEFAULT_REFLECTION_MINUTES } from "../protected-time/plan-blocks";
import { isValidTimeZone } from "../scheduling";
import type { Logger } from "../shared/logger";
import type { Db } from "../storage";
import { aggregateTeam, TEAM_WEEKS, type CircleCadence, type ReportActivity, type TeamView } from "./aggregate";
import { listDirectReports, type DirectReport } from "./directory";
import { listCircles, listMemberships, listOverriddenBlocks, listProtectedBlocks, listProtectionSettings, listReviewOutcomes, listRunStatuses, listSeriesRows, type MembershipRow } from "./repository";
import { readTeamSeries, type CircleSessions } from "./series-reader";
import { loadSessionOutcomes } from "./session-outcomes";

export interface TeamServiceDeps {
  db: Db;
  graph: GraphFactory;
  clock: () => Date;
  /** Effective minimum of participating reports (already clamped: ≥ 3). */
  threshold: number;
  logger?: Logger;
  /** Teams attendance reports; one over the same db/graph/clock when not given. */
  attendance?: AttendanceService;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Cadence risk looks at a circle's last 3 due sessions: monthly circles need ~3 months of history. */
const RISK_LOOKBACK_MS = 16 * 7 * DAY_MS;

/** The caller's mailbox zone; their last known zone, or UTC, when Graph cannot say. */
async function managerZone(deps: TeamServiceDeps, caller: CallerIdentity): Promise<string> {
  try {
    const settings = await deps.graph.forUser(caller).getMailboxSettings();
    if (isValidTimeZone(settings.timeZone)) return settings.timeZone;
  } catch (err) {
    deps.logger?.warn({ err }, "team view: mailbox settings unavailable; using the stored time zone");
  }
  const stored = (await findUser(deps.db, caller.tenantId, caller.userId))?.time_zone;
  return stored && isValidTimeZone(stored) ? stored : "UTC";
}

/** Which report a membership row belongs to: by object id, else by UPN (case-insensitive). */
function reportMatcher(reports: readonly DirectReport[]) {
  const byId = new Map(reports.map((r) => [r.id.toLowerCase(), r.id]));
  const byUpn = new Map(reports.flatMap((r) => (r.upn ? [[r.upn.toLowerCase(), r.id] as const] : [])));
  return (m: MembershipRow) => byId.get(m.user_id.toLowerCase()) ?? byUpn.get(m.upn.toLowerCase());
}

/**
 * The manager's team view (GET /api/team): direct reports from the directory, their circles'
 * sessions (series read back from Outlook; held = the Teams attendance report says at least 2
 * members were there, else run in the app), their protected prep and reflection time (kept or
 * overridden by another meeting), and their commitment reviews — handed to {@link aggregateTeam}, which
 * decides what may be shown. Nothing but its output leaves this function.
 * @throws GraphRequestError when the directory cannot be read; AppError consent_required.
 */
export async function getTeamHealth(deps: TeamServiceDeps, caller: CallerIdentity, opts: { weeks?: number } = {}): Promise<TeamView> {
  const weeks = opts.weeks ?? TEAM_WEEKS;
  const now = deps.clock();
  const nowMs = now.getTime();
  const [reports, timeZone] = await Promise.all([listDirectReports(deps.graph.forUser(caller)), managerZone(deps, caller)]);
  const base = { now: now.toISOString(), timeZone, threshold: deps.threshold, weeks };
  if (reports.length === 0) return aggregateTeam({ ...base, reports: [], circles: [] });

  const windowStartMs = DateTime.fromMillis(nowMs, { zone: timeZone }).startOf("week").minus({ weeks }).toMillis();
  const fromMs = Math.min(windowStartMs, nowMs - RISK_LOOKBACK_MS) - DAY_MS;
  const since = new Date(fromMs).toISOString();

  const upns = [...new Set(reports.flatMap((r) => (r.upn ? [r.upn, r.upn.toLowerCase()] : [])))];
  const memberships = await listMemberships(deps.db, caller.tenantId, { ids: reports.map((r) => r.id), upns }, since);
  const reportOf = reportMatcher(reports);
  const mine = memberships.flatMap((m) => {
    const reportId = reportOf(m);
    return reportId ? [{ ...m, reportId }] : [];
  });
  const circleIds = [...new Set(mine.map((m) => m.circle_id))];
  const userIds = [...new Set(mine.map((m) => m.user_id))];

  const [circles, seriesRows, runs, reviews, settings, blocks, overrides, declines] = await Promise.all([
    listCircles(deps.db, caller.tenantId, circleIds),
    listSeriesRows(deps.db, circleIds),
    listRunStatuses(deps.db, caller.tenantId, circleIds),
    listReviewOutcomes(deps.db, circleIds, userIds, since),
    listProtectionSettings(deps.db, circleIds, userIds),
    listProtectedBlocks(deps.db, caller.tenantId, userIds, since),
    listOverriddenBlocks(deps.db, caller.tenantId, userIds, since),
    loadDeclineView(deps.db, circleIds, since),
  ]);
  const circleById = new Map(circles.map((c) => [c.id, c]));
  const series = seriesRows.flatMap((row) => {
    const circle = circleById.get(row.circle_id);
    return circle ? [{ circle, row }] : [];
  });
  const sessions = await readTeamSeries(deps, caller.tenantId, series, { from: fromMs, to: nowMs + DAY_MS });
  const sessionsOf = new Map<string, CircleSessions>(sessions.map((s) => [s.circleId, s]));
  const attendance = deps.attendance ?? createAttendanceService(deps);
  const outcomes = await loadSessionOutcomes(attendance, { caller, tenantId: caller.tenantId, sessions, series: series.map((s) => s.row), runs, since, nowMs, declinedByMost: (circleId, o) => declines.declinedByMost(circleId, o.start) });

  const circleCadence: CircleCadence[] = sessions.map((c) => ({ circleId: c.circleId, sessions: c.occurrences.map((o) => ({ start: o.start, outcome: outcomes.at(c, o).outcome })) }));
  const overriddenKeys = new Set(overrides.map((o) => `${o.circle_id}|${o.user_id}|${o.occurrence_key}|${o.kind}`));

  const activity: ReportActivity[] = reports.map((report) => {
    const own = mine.filter((m) => m.reportId === report.id && circleById.has(m.circle_id));
    const entry: ReportActivity = {
      reportId: report.id,
      circleIds: [...new Set(own.filter((m) => m.left_at === null).map((m) => m.circle_id))],
      sessions: [],
      blocks: [],
      commitmentReviews: [],
    };
    for (const m of own) {
      const circle = sessionsOf.get(m.circle_id);
      const joined = Date.parse(m.joined_at);
      const left = m.left_at === null ? Infinity : Date.parse(m.left_at);
      const recorded = blocks.filter((b) => b.circle_id === m.circle_id && b.user_id === m.user_id);
      const landedOn = overrides.filter((b) => b.circle_id === m.circle_id && b.user_id === m.user_id);
      const setting = settings.find((s) => s.circle_id === m.circle_id && s.user_id === m.user_id);
      for (const o of circle?.occurrences ?? []) {
        const start = Date.parse(o.start);
        if (start < joined || start >= left) continue;
        const resolved = outcomes.at(circle!, o);
        const attended = outcomes.attendanceOf(resolved, m.user_id);
        // A session they declined is not their protected time, unless Teams saw them there after all.
        const declined = declines.hasDeclined(m.circle_id, m.user_id, o.start);
        entry.sessions.push({ circleId: m.circle_id, start: o.start, end: o.end, outcome: resolved.outcome, attendance: declined && attended !== "attended" ? "declined" : attended });
        // Without recorded blocks (the member has not opened the app since protection shipped),
        // count what their settings protect around each session that was not called off.
        if (recorded.length > 0 || landedOn.length > 0 || o.cancelled || declined || setting?.optOut) continue;
        const prep = setting?.prepMinutes ?? DEFAULT_PREP_MINUTES;
        const reflection = setting?.reflectionMinutes ?? DEFAULT_REFLECTION_MINUTES;
        if (prep > 0) entry.blocks.push({ kind: "prep", start: new Date(start - prep * MINUTE_MS).toISOString(), end: new Date(start).toISOString(), overridden: false });
        const end = Date.parse(o.end);
        if (reflection > 0) entry.blocks.push({ kind: "reflection", start: new Date(end).toISOString(), end: new Date(end + reflection * MINUTE_MS).toISOString(), overridden: false });
      }
      for (const b of recorded) {
        if (b.kind !== "prep" && b.kind !== "reflection") continue;
        const start = Date.parse(b.start_at);
        if (start < joined || start >= left) continue;
        const overridden = overriddenKeys.has(`${b.circle_id}|${b.user_id}|${b.occurrence_key}|${b.kind}`);
        entry.blocks.push({ kind: b.kind, start: new Date(start).toISOString(), end: new Date(Date.parse(b.end_at)).toISOString(), overridden });
      }
      // An overridden block a later sync no longer has (the session moved, or has passed out of
      // the calendar read) still counts as overridden where it was.
      const current = new Set(recorded.map((b) => `${b.occurrence_key}|${b.kind}`));
      for (const b of landedOn) {
        if (current.has(`${b.occurrence_key}|${b.kind}`) || (b.kind !== "prep" && b.kind !== "reflection")) continue;
        const start = Date.parse(b.block_start_at);
        if (start < joined || start >= left) continue;
        entry.blocks.push({ kind: b.kind, start: new Date(start).toISOString(), end: new Date(Date.parse(b.block_end_at)).toISOString(), overridden: true });
      }
    }
    const ownerIds = new Set(own.map((m) => m.user_id));
    for (const r of reviews) {
      const status = ReviewStatusSchema.safeParse(r.review_status);
      if (ownerIds.has(r.owner_id) && status.success) entry.commitmentReviews.push({ status: status.data, reviewedAt: new Date(Date.parse(r.reviewed_at)).toISOString() });
    }
    return entry;
  });
  return aggregateTeam({ ...base, reports: activity, circles: circleCadence });
}
