import type { AttendanceService } from "../attendance";
import type { CallerIdentity } from "../auth/identity";
import type { GraphFactory } from "../graph";
import type { Logger } from "../shared/logger";
import type { Db } from "../storage";
import { aggregateTeam, TEAM_WEEKS, type TeamView } from "./aggregate";
import { listDirectReports, type DirectReport } from "./directory";
import { activityWindow, loadParticipantActivity } from "./participant-activity";
import { listCircles, listMemberships, listSeriesRows, type MembershipRow } from "./repository";
import { viewerZone } from "./viewer-zone";

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

/** Which report a membership row belongs to: by object id, else by UPN (case-insensitive). */
function reportMatcher(reports: readonly DirectReport[]) {
  const byId = new Map(reports.map((r) => [r.id.toLowerCase(), r.id]));
  const byUpn = new Map(reports.flatMap((r) => (r.upn ? [[r.upn.toLowerCase(), r.id] as const] : [])));
  return (m: MembershipRow) => byId.get(m.user_id.toLowerCase()) ?? byUpn.get(m.upn.toLowerCase());
}

/**
 * The manager's team view (GET /api/team): direct reports from the directory, and what they did
 * in their circles ({@link loadParticipantActivity}: sessions held by the Teams attendance report
 * or the live run, declines, protected prep and reflection time kept or overridden, commitment
 * reviews) — handed to {@link aggregateTeam}, which decides what may be shown. Nothing but its
 * output leaves this function.
 * @throws GraphRequestError when the directory cannot be read; AppError consent_required.
 */
export async function getTeamHealth(deps: TeamServiceDeps, caller: CallerIdentity, opts: { weeks?: number } = {}): Promise<TeamView> {
  const weeks = opts.weeks ?? TEAM_WEEKS;
  const now = deps.clock();
  const nowMs = now.getTime();
  const [reports, timeZone] = await Promise.all([listDirectReports(deps.graph.forUser(caller)), viewerZone(deps, caller, "team view")]);
  const base = { now: now.toISOString(), timeZone, threshold: deps.threshold, weeks };
  if (reports.length === 0) return aggregateTeam({ ...base, reports: [], circles: [] });

  const period = activityWindow(nowMs, timeZone, weeks);
  const upns = [...new Set(reports.flatMap((r) => (r.upn ? [r.upn, r.upn.toLowerCase()] : [])))];
  const memberships = await listMemberships(deps.db, caller.tenantId, { ids: reports.map((r) => r.id), upns }, period.since);
  const reportOf = reportMatcher(reports);
  const matched = memberships.flatMap((m) => {
    const participantId = reportOf(m);
    return participantId ? [{ ...m, participantId }] : [];
  });
  const circleIds = [...new Set(matched.map((m) => m.circle_id))];
  const [circles, seriesRows] = await Promise.all([listCircles(deps.db, caller.tenantId, circleIds), listSeriesRows(deps.db, circleIds)]);
  const circleById = new Map(circles.map((c) => [c.id, c]));
  const series = seriesRows.flatMap((row) => {
    const circle = circleById.get(row.circle_id);
    return circle ? [{ circle, row }] : [];
  });
  const activity = await loadParticipantActivity(deps, {
    caller,
    participantIds: reports.map((r) => r.id),
    memberships: matched.filter((m) => circleById.has(m.circle_id)),
    series,
    window: period,
    nowMs,
  });
  return aggregateTeam({ ...base, reports: activity.reports, circles: activity.circles });
}
