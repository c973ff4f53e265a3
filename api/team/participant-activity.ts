import { DateTime } from "luxon";
import { createAttendanceService, type AttendanceService } from "../attendance";
import type { CallerIdentity } from "../auth/identity";
import { ReviewStatusSchema } from "../commitments/schemas";
import type { GraphFactory } from "../graph";
import { loadDeclineView, type DeclineView } from "../notifications/decline-view";
import { DEFAULT_PREP_MINUTES, DEFAULT_REFLECTION_MINUTES } from "../protected-time/plan-blocks";
import type { Logger } from "../shared/logger";
import type { CircleRow, CircleSeriesRow, Db } from "../storage";
import type { CircleCadence, ReportActivity } from "./aggregate";
import {
  listOverriddenBlocks,
  listProtectedBlocks,
  listProtectionSettings,
  listReviewOutcomes,
  listRunStatuses,
  type OverriddenBlockRow,
  type ProtectionRow,
  type RecordedBlockRow,
  type ReviewOutcomeRow,
} from "./repository";
import { readTeamSeries, type CircleSessions } from "./series-reader";
import { loadSessionOutcomes, type SessionOutcomes } from "./session-outcomes";

/**
 * What each participant did (sessions, protected prep and reflection time, commitment reviews),
 * built one way for every view that aggregates it — the manager's team view over their direct
 * reports, the program owner's health over the people enrolled — so the two never disagree about
 * the same person's week. Who takes part is each view's business; everything after is here.
 */

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Cadence risk looks at a circle's last 3 due sessions: monthly circles need ~3 months of history. */
const RISK_LOOKBACK_MS = 16 * 7 * DAY_MS;

export interface ActivityWindow {
  /** Monday 00:00 `weeks` weeks before this one, in the viewer's zone (epoch ms). */
  windowStartMs: number;
  /** Monday 00:00 of this week: the chart holds complete weeks only. */
  windowEndMs: number;
  /** How far back data is read: the chart, or the risk look-back if longer, with a day's margin. */
  fromMs: number;
  since: string;
}

export function activityWindow(nowMs: number, timeZone: string, weeks: number): ActivityWindow {
  const thisWeek = DateTime.fromMillis(nowMs, { zone: timeZone }).startOf("week");
  const windowStartMs = thisWeek.minus({ weeks }).toMillis();
  const fromMs = Math.min(windowStartMs, nowMs - RISK_LOOKBACK_MS) - DAY_MS;
  return { windowStartMs, windowEndMs: thisWeek.toMillis(), fromMs, since: new Date(fromMs).toISOString() };
}

/** One membership of a person the view counts; `participantId` is whom it is counted for (a report may be matched by UPN under another user id). */
export interface ParticipantMembership {
  participantId: string;
  circle_id: string;
  user_id: string;
  joined_at: string;
  left_at: string | null;
}

export interface ParticipantActivity {
  /** One entry per participant id, in the order given. */
  reports: ReportActivity[];
  /** Each series' sessions with their circle-level outcome (cadence risk, sessions held). */
  circles: CircleCadence[];
}

/** What {@link buildParticipantActivity} reads; all of it already limited to the view's circles and people. */
export interface ActivitySources {
  participantIds: readonly string[];
  memberships: readonly ParticipantMembership[];
  sessions: readonly CircleSessions[];
  outcomes: SessionOutcomes;
  declines: Pick<DeclineView, "hasDeclined">;
  settings: readonly ProtectionRow[];
  blocks: readonly RecordedBlockRow[];
  overrides: readonly OverriddenBlockRow[];
  reviews: readonly ReviewOutcomeRow[];
}

const isBlockKind = (kind: string): kind is "prep" | "reflection" => kind === "prep" || kind === "reflection";
const iso = (value: string | number) => new Date(typeof value === "number" ? value : Date.parse(value)).toISOString();

/** One membership's sessions and blocks, within the time the person was a member. */
function membershipActivity(m: ParticipantMembership, circle: CircleSessions | undefined, src: ActivitySources): Pick<ReportActivity, "sessions" | "blocks"> {
  const sessions: ReportActivity["sessions"] = [];
  const blocks: ReportActivity["blocks"] = [];
  const joined = Date.parse(m.joined_at);
  const left = m.left_at === null ? Infinity : Date.parse(m.left_at);
  const isMember = (at: number) => at >= joined && at < left;
  const mine = <T extends { circle_id: string; user_id: string }>(rows: readonly T[]) => rows.filter((r) => r.circle_id === m.circle_id && r.user_id === m.user_id);
  const recorded = mine(src.blocks);
  const landedOn = mine(src.overrides);
  const setting = src.settings.find((s) => s.circle_id === m.circle_id && s.user_id === m.user_id);
  const overriddenKeys = new Set(landedOn.map((o) => `${o.occurrence_key}|${o.kind}`));

  for (const o of circle?.occurrences ?? []) {
    const start = Date.parse(o.start);
    if (!isMember(start)) continue;
    const resolved = src.outcomes.at(circle!, o);
    const attended = src.outcomes.attendanceOf(resolved, m.user_id);
    // A session they declined is not their protected time, unless Teams saw them there after all.
    const declined = src.declines.hasDeclined(m.circle_id, m.user_id, o.start);
    sessions.push({ circleId: m.circle_id, start: o.start, end: o.end, outcome: resolved.outcome, attendance: declined && attended !== "attended" ? "declined" : attended });
    // Without recorded blocks (the member has not opened the app since protection shipped),
    // count what their settings protect around each session that was not called off.
    if (recorded.length > 0 || landedOn.length > 0 || o.cancelled || declined || setting?.optOut) continue;
    const prep = setting?.prepMinutes ?? DEFAULT_PREP_MINUTES;
    const reflection = setting?.reflectionMinutes ?? DEFAULT_REFLECTION_MINUTES;
    const end = Date.parse(o.end);
    if (prep > 0) blocks.push({ kind: "prep", start: iso(start - prep * MINUTE_MS), end: iso(start), overridden: false });
    if (reflection > 0) blocks.push({ kind: "reflection", start: iso(end), end: iso(end + reflection * MINUTE_MS), overridden: false });
  }
  for (const b of recorded) {
    if (!isBlockKind(b.kind) || !isMember(Date.parse(b.start_at))) continue;
    blocks.push({ kind: b.kind, start: iso(b.start_at), end: iso(b.end_at), overridden: overriddenKeys.has(`${b.occurrence_key}|${b.kind}`) });
  }
  // An overridden block a later sync no longer has (the session moved, or has passed out of
  // the calendar read) still counts as overridden where it was.
  const current = new Set(recorded.map((b) => `${b.occurrence_key}|${b.kind}`));
  for (const b of landedOn) {
    if (current.has(`${b.occurrence_key}|${b.kind}`) || !isBlockKind(b.kind) || !isMember(Date.parse(b.block_start_at))) continue;
    blocks.push({ kind: b.kind, start: iso(b.block_start_at), end: iso(b.block_end_at), overridden: true });
  }
  return { sessions, blocks };
}

/**
 * Per participant: their sessions (circle outcome by {@link loadSessionOutcomes}' rule, their own
 * attendance or decline), their prep and reflection blocks (recorded, overridden, or planned from
 * their settings when none are recorded), and their commitment reviews. Pure: the sources decide.
 */
export function buildParticipantActivity(src: ActivitySources): ParticipantActivity {
  const sessionsOf = new Map(src.sessions.map((s) => [s.circleId, s]));
  const reports = src.participantIds.map((participantId): ReportActivity => {
    const own = src.memberships.filter((m) => m.participantId === participantId);
    const entry: ReportActivity = {
      reportId: participantId,
      circleIds: [...new Set(own.filter((m) => m.left_at === null).map((m) => m.circle_id))],
      sessions: [],
      blocks: [],
      commitmentReviews: [],
    };
    for (const m of own) {
      const { sessions, blocks } = membershipActivity(m, sessionsOf.get(m.circle_id), src);
      entry.sessions.push(...sessions);
      entry.blocks.push(...blocks);
    }
    const ownerIds = new Set(own.map((m) => m.user_id));
    for (const r of src.reviews) {
      const status = ReviewStatusSchema.safeParse(r.review_status);
      if (ownerIds.has(r.owner_id) && status.success) entry.commitmentReviews.push({ status: status.data, reviewedAt: iso(r.reviewed_at) });
    }
    return entry;
  });
  const circles = src.sessions.map((c) => ({ circleId: c.circleId, sessions: c.occurrences.map((o) => ({ start: o.start, outcome: src.outcomes.at(c, o).outcome })) }));
  return { reports, circles };
}

export interface ParticipantActivityDeps {
  db: Db;
  graph: GraphFactory;
  clock: () => Date;
  logger?: Logger;
  /** Teams attendance reports; one over the same db/graph/clock when not given. */
  attendance?: AttendanceService;
}

/**
 * Reads what {@link buildParticipantActivity} needs for the view's people and circles: the series'
 * sessions from Outlook, Teams attendance (read as `caller`: delegated when they organise the
 * meeting), live runs, declines, protected-time settings, blocks and overrides, and reviews.
 * @throws GraphRequestError when Graph fails in a way the series reader does not absorb.
 */
export async function loadParticipantActivity(
  deps: ParticipantActivityDeps,
  input: {
    caller: CallerIdentity;
    participantIds: readonly string[];
    /** Memberships in the view's circles only, current or ended within the window. */
    memberships: readonly ParticipantMembership[];
    /** The series whose sessions count, with their circles. */
    series: ReadonlyArray<{ circle: CircleRow; row: CircleSeriesRow }>;
    window: Pick<ActivityWindow, "fromMs" | "since">;
    nowMs: number;
  },
): Promise<ParticipantActivity> {
  const tenantId = input.caller.tenantId;
  const { since, fromMs } = input.window;
  const circleIds = [...new Set([...input.memberships.map((m) => m.circle_id), ...input.series.map((s) => s.circle.id)])];
  const userIds = [...new Set(input.memberships.map((m) => m.user_id))];
  const [runs, reviews, settings, blocks, overrides, declines, sessions] = await Promise.all([
    listRunStatuses(deps.db, tenantId, circleIds),
    listReviewOutcomes(deps.db, circleIds, userIds, since),
    listProtectionSettings(deps.db, circleIds, userIds),
    listProtectedBlocks(deps.db, circleIds, userIds, since),
    listOverriddenBlocks(deps.db, circleIds, userIds, since),
    loadDeclineView(deps.db, circleIds, since),
    readTeamSeries(deps, tenantId, input.series, { from: fromMs, to: input.nowMs + DAY_MS }),
  ]);
  const attendance = deps.attendance ?? createAttendanceService(deps);
  const outcomes = await loadSessionOutcomes(attendance, {
    caller: input.caller,
    tenantId,
    sessions,
    series: input.series.map((s) => s.row),
    runs,
    since,
    nowMs: input.nowMs,
    declinedByMost: (circleId, o) => declines.declinedByMost(circleId, o.start),
  });
  return buildParticipantActivity({ participantIds: input.participantIds, memberships: input.memberships, sessions, outcomes, declines, settings, blocks, overrides, reviews });
}
