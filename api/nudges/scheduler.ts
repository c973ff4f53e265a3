import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import { isGraphRequestError, type GraphFactory } from "../graph";
import { insertJob } from "../jobs";
import { assignRoles } from "../sessions/rotate-roles";
import { RoleAssignmentSchema, type RoleAssignment } from "../sessions/schemas";
import type { Logger } from "../shared/logger";
import { isValidTimeZone } from "../scheduling";
import type { CircleRow, CircleSeriesRow, Db } from "../storage";
import { loadDeclineView, type DeclineView } from "../notifications/decline-view";
import { resolveSession } from "../team/session-outcomes";
import { plannedOccurrences, readTeamSeries, type CircleSessions, type TeamOccurrence } from "../team/series-reader";
import { describeWhen, momentumFadingText, prepReminderText, reflectionPromptText, type NudgeText } from "./nudge-texts";
import { planNudges, type DueNudge, type PlanCircle } from "./plan-nudges";
import {
  claimDelivery,
  deleteFinishedJobs,
  deliveryKeyText,
  finishDelivery,
  listBookedCircles,
  listClaimedKeys,
  listCurrentMembers,
  listOwnOpenCommitments,
  listRunDates,
  listRunRoles,
  releaseDelivery,
  type DeliveryKey,
} from "./repository";
import type { NudgeService } from "./service";

export const NUDGE_SCAN_JOB_TYPE = "nudge-scan";
export const NUDGE_SCAN_STEPS = [{ name: "scan", label: "Send the nudges that are due" }] as const;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Scans at least this often (a cancellation or a new booking is noticed within it); sooner when a nudge falls due. */
export const SCAN_EVERY_MS = 15 * MINUTE_MS;
/** Cadence risk looks at the last 3 due sessions: monthly circles need ~3 months of history (as the team view). */
const HISTORY_MS = 16 * 7 * DAY_MS;
/** A prep reminder falls due up to ~2.5 days before the session (09:00 the day before, zones up to UTC+14). */
const AHEAD_MS = 4 * DAY_MS;
/**
 * Circles whose booked plan has a session this close to now are scanned; others have nothing
 * due (momentum is sent up to 7 days after a slip; moved sessions stay near their slot).
 */
const ACTIVE_MARGIN_MS = 15 * DAY_MS;

export interface NudgeSchedulerDeps {
  db: Db;
  graph: GraphFactory;
  clock: () => Date;
  nudges: NudgeService;
  onEnqueued?: () => void;
  logger?: Logger;
}

export interface ScanResult {
  sent: number;
  switchedOff: number;
  failed: number;
  /** Left for the next scan: Graph said "later" (429/503). */
  deferred: number;
  nextScanAt: string;
}

type Booked = { circle: CircleRow; row: CircleSeriesRow };

/**
 * What happened to one session (circle level): the team view's rule (team/session-outcomes.ts),
 * so both agree. "Declined by most" is asked only once the session has ended: until then the
 * members who did not decline may still meet (a live run makes it held), and momentum waits for
 * the outcome as it does for "not held". The scheduler reads no attendance reports (that needs a
 * caller's Graph reads); a session counts as held from its live run in the app.
 */
function outcomeOf(circleId: string, o: TeamOccurrence, ran: boolean, declines: DeclineView, nowMs: number) {
  const ended = Date.parse(o.end) <= nowMs;
  return resolveSession(o, undefined, ran, nowMs, ended && declines.declinedByMost(circleId, o.start)).outcome;
}

const localDate = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toFormat("yyyy-MM-dd");

function hasSessionNear(b: Booked, nowMs: number): boolean {
  return plannedOccurrences(b.circle, b.row).some((o) => Math.abs(Date.parse(o.start) - nowMs) <= ACTIVE_MARGIN_MS);
}

/**
 * The nudge scheduler: a durable, self-requeuing job (`nudge-scan`) that reads every active
 * circle's sessions (the organiser's calendar, app-only, else the booked plan — the team view's
 * reader), works out which nudges are due ({@link planNudges}) and sends each one at most once:
 * a nudge is claimed by inserting its nudge_deliveries row (unique per member, circle, session
 * and kind) before Graph is called, so a second scan, a second instance or a restart finds the
 * row and sends nothing. If the process dies between the claim and Graph's answer, that one
 * nudge is not retried: a missed reminder is better than a duplicate ("Nudge, don't nag").
 */
export function createNudgeScheduler(deps: NudgeSchedulerDeps) {
  const { db, clock } = deps;

  /** Queues the next scan for `at` (idempotent: one waiting scan, pulled earlier when needed). */
  async function scheduleScan(at: Date = clock()): Promise<void> {
    const waiting = await db.selectFrom("jobs").select(["id", "run_after"]).where("type", "=", NUDGE_SCAN_JOB_TYPE).where("status", "=", "queued").orderBy("run_after").executeTakeFirst();
    const when = at.toISOString();
    if (!waiting) await insertJob(db, { id: randomUUID(), type: NUDGE_SCAN_JOB_TYPE, payload: {}, steps: NUDGE_SCAN_STEPS, now: clock(), runAfter: at });
    else if (waiting.run_after > when) await db.updateTable("jobs").set({ run_after: when, updated_at: clock().toISOString() }).where("id", "=", waiting.id).where("status", "=", "queued").execute();
    deps.onEnqueued?.();
  }

  async function readSessions(booked: readonly Booked[], nowMs: number): Promise<CircleSessions[]> {
    const byTenant = new Map<string, Booked[]>();
    for (const b of booked) byTenant.set(b.circle.tenant_id, [...(byTenant.get(b.circle.tenant_id) ?? []), b]);
    const range = { from: nowMs - HISTORY_MS, to: nowMs + AHEAD_MS };
    const read = await Promise.all([...byTenant].map(([tenantId, series]) => readTeamSeries({ graph: deps.graph, ...(deps.logger ? { logger: deps.logger } : {}) }, tenantId, series, range)));
    return read.flat();
  }

  /** Who is case owner at the session: the run's roles if it was opened already, else the rotation the live session will apply. */
  async function caseOwnerAt(circle: CircleRow, memberIds: readonly string[], sessionStart: string): Promise<string | null> {
    const date = localDate(sessionStart, circle.time_zone);
    const runs = await listRunRoles(db, circle.id, date);
    const parse = (roles: string): RoleAssignment | undefined => {
      try {
        const parsed = RoleAssignmentSchema.safeParse(JSON.parse(roles));
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined; // A run row with unreadable roles is left out of the history, as if it had none.
      }
    };
    const opened = runs.find((r) => r.occurrence_date === date);
    if (opened) return parse(opened.roles)?.caseOwner ?? null;
    if (memberIds.length === 0) return null;
    const history = runs.flatMap((r) => parse(r.roles) ?? []);
    // The same call the live session makes when it opens the run (sessions/service.ts ensureRun).
    return assignRoles(memberIds, circle.rotate_roles ? history : []).caseOwner;
  }

  async function textOf(nudge: DueNudge, circle: CircleRow, memberIds: readonly string[], nowIso: string): Promise<NudgeText> {
    if (nudge.kind === "reflectionPrompt") return reflectionPromptText({ circleName: circle.name });
    if (nudge.kind === "momentumFading") return momentumFadingText({ circleName: circle.name, lastOutcomes: nudge.lastOutcomes ?? [] });
    const date = localDate(nudge.session.start, circle.time_zone);
    const [ownCommitments, caseOwner] = await Promise.all([listOwnOpenCommitments(db, circle.id, nudge.userId, date), caseOwnerAt(circle, memberIds, nudge.session.start)]);
    return prepReminderText({ circleName: circle.name, when: describeWhen(nudge.session.start, nowIso, nudge.timeZone), isCaseOwner: caseOwner === nudge.userId, ownCommitments });
  }

  async function deliver(nudge: DueNudge, circle: CircleRow, memberIds: readonly string[], nowIso: string): Promise<"sent" | "switchedOff" | "failed" | "deferred" | "taken"> {
    const key: DeliveryKey = { tenantId: nudge.tenantId, userId: nudge.userId, circleId: nudge.circleId, occurrenceKey: nudge.occurrenceKey, kind: nudge.kind };
    if (!(await claimDelivery(db, key, nudge.dueAt, nowIso))) return "taken";
    try {
      if (!(await deps.nudges.isEnabled(nudge.tenantId, nudge.userId, nudge.kind))) {
        await finishDelivery(db, key, { status: "switchedOff" }, clock().toISOString());
        return "switchedOff";
      }
      const text = await textOf(nudge, circle, memberIds, nowIso);
      const sent = await deps.nudges.send({ tenantId: nudge.tenantId, userId: nudge.userId, kind: nudge.kind, ...text, circleId: nudge.circleId });
      await finishDelivery(db, key, { status: sent ? "sent" : "switchedOff" }, clock().toISOString());
      return sent ? "sent" : "switchedOff";
    } catch (err) {
      // 429/503: Graph did not take it; give the claim back so the next scan tries again.
      if (isGraphRequestError(err) && (err.status === 429 || err.status === 503)) {
        await releaseDelivery(db, key);
        deps.logger?.warn({ err, kind: nudge.kind, userId: nudge.userId }, "nudge deferred: Graph asked to retry later");
        return "deferred";
      }
      await finishDelivery(db, key, { status: "failed", error: isGraphRequestError(err) ? err.code : "internal" }, clock().toISOString());
      deps.logger?.warn({ err, kind: nudge.kind, userId: nudge.userId }, "could not send a scheduled nudge");
      return "failed";
    }
  }

  /**
   * One scan: sends every nudge due now that was not claimed before, then queues the next scan
   * for the earliest nudge known to fall due (at most {@link SCAN_EVERY_MS} away).
   */
  async function scan(): Promise<ScanResult> {
    const now = clock();
    const nowMs = now.getTime();
    const nowIso = now.toISOString();
    const result = { sent: 0, switchedOff: 0, failed: 0, deferred: 0 };
    let nextMs = nowMs + SCAN_EVERY_MS;
    try {
      const booked = (await listBookedCircles(db)).filter((b) => hasSessionNear(b, nowMs));
      const circleIds = booked.map((b) => b.circle.id);
      const [sessions, members, runs, claimed, declines] = await Promise.all([
        readSessions(booked, nowMs),
        listCurrentMembers(db, circleIds),
        listRunDates(db, circleIds),
        listClaimedKeys(db, circleIds, new Date(nowMs - 2 * ACTIVE_MARGIN_MS).toISOString()),
        loadDeclineView(db, circleIds, new Date(nowMs - HISTORY_MS).toISOString()),
      ]);
      const circleById = new Map(booked.map((b) => [b.circle.id, b.circle]));
      const ran = new Set(runs.filter((r) => r.status !== "notStarted").map((r) => `${r.circle_id}|${r.occurrence_date}`));
      const membersOf = new Map<string, Array<{ userId: string; timeZone: string }>>();
      for (const m of members) {
        const circle = circleById.get(m.circle_id);
        const zone = m.time_zone && isValidTimeZone(m.time_zone) ? m.time_zone : (circle?.time_zone ?? "UTC");
        membersOf.set(m.circle_id, [...(membersOf.get(m.circle_id) ?? []), { userId: m.user_id, timeZone: zone }]);
      }
      const plan: PlanCircle[] = sessions.flatMap((c) => {
        const circle = circleById.get(c.circleId);
        if (!circle) return [];
        return [
          {
            tenantId: circle.tenant_id,
            circleId: c.circleId,
            members: membersOf.get(c.circleId) ?? [],
            sessions: c.occurrences.map((o) => ({ start: o.start, end: o.end, outcome: outcomeOf(c.circleId, o, ran.has(`${c.circleId}|${localDate(o.start, c.timeZone)}`), declines, nowMs) })),
          },
        ];
      });
      const { due, nextDueAt } = planNudges(plan, nowIso);
      if (nextDueAt) nextMs = Math.min(nextMs, Date.parse(nextDueAt));

      for (const nudge of due) {
        if (claimed.has(deliveryKeyText(nudge))) continue;
        const circle = circleById.get(nudge.circleId)!;
        const memberIds = (membersOf.get(nudge.circleId) ?? []).map((m) => m.userId);
        const outcome = await deliver(nudge, circle, memberIds, nowIso);
        if (outcome !== "taken") result[outcome] += 1;
      }
      if (result.deferred > 0) nextMs = Math.min(nextMs, nowMs + MINUTE_MS);
      await deleteFinishedJobs(db, NUDGE_SCAN_JOB_TYPE, new Date(nowMs - DAY_MS).toISOString());
    } finally {
      // Even a failed scan keeps the chain going (the failed run is retried by the runner, too).
      await scheduleScan(new Date(nextMs));
    }
    return { ...result, nextScanAt: new Date(nextMs).toISOString() };
  }

  return { scan, scheduleScan };
}

export type NudgeScheduler = ReturnType<typeof createNudgeScheduler>;
