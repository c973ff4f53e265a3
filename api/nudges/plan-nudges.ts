import { DateTime } from "luxon";
import { isLosingMomentum, RISK_WINDOW, type SessionOutcome } from "../team/cadence-risk";
import type { ScheduledNudgeKind } from "./schemas";

/**
 * Which scheduled nudges are due now (pure). The scheduler feeds it every booked circle's
 * sessions with their outcomes so far and its members' zones; it answers what to send and when
 * to look again. Whether a nudge was already sent is not its business (nudge_deliveries is).
 *
 * - Prep reminder: 09:00 in the member's own zone on the day before the session (their local
 *   date), until the session starts — a session booked less than a day ahead still gets one.
 * - Reflection prompt: when the session ends (it was not called off), for 12 hours after.
 * - Momentum fading: to every member, when the session that just became known as slipped is
 *   the one that tips the circle into the shared cadence-risk rule (team/cadence-risk.ts: 2 of
 *   the last 3 skipped, declined by most or not held). A circle that stays at risk is not
 *   nudged again at every later session ("Nudge, don't nag", product.md §10); one that recovers
 *   and slips again is. Sent up to 7 days after, so a scheduler that was down still tells them.
 */

export const PREP_LOCAL_HOUR = 9;
const REFLECTION_WINDOW_MS = 12 * 3_600_000;
const MOMENTUM_WINDOW_MS = 7 * 86_400_000;

export interface PlanSession {
  /** ISO 8601 instants (any offset). */
  start: string;
  end: string;
  /** What happened, as of now (see team/service.ts for the same rule). */
  outcome: SessionOutcome;
}

export interface PlanCircle {
  tenantId: string;
  circleId: string;
  /** Current members, each with their own IANA zone. */
  members: ReadonlyArray<{ userId: string; timeZone: string }>;
  sessions: readonly PlanSession[];
}

export interface DueNudge {
  kind: ScheduledNudgeKind;
  tenantId: string;
  circleId: string;
  userId: string;
  timeZone: string;
  /** The session the nudge is about: its start, UTC ISO (the idempotency key with member and kind). */
  occurrenceKey: string;
  session: { start: string; end: string };
  /** UTC ISO. */
  dueAt: string;
  /** Momentum only: outcomes of the last due sessions, newest first. */
  lastOutcomes?: SessionOutcome[];
}

export interface NudgePlan {
  due: DueNudge[];
  /** The earliest moment after now when a known nudge falls due (UTC ISO), if any. */
  nextDueAt: string | undefined;
}

const utc = (ms: number) => new Date(ms).toISOString();

/** 09:00 in `zone` on the day before the session's local date there. */
export function prepDueAt(sessionStart: string, zone: string): string {
  const local = DateTime.fromISO(sessionStart, { zone });
  const due = local.minus({ days: 1 }).set({ hour: PREP_LOCAL_HOUR, minute: 0, second: 0, millisecond: 0 });
  return utc(due.toMillis());
}

/** The latest session whose outcome is known (not "scheduled") and that started before now. */
function latestKnown(sessions: readonly PlanSession[], nowMs: number): PlanSession | undefined {
  return [...sessions].filter((s) => s.outcome !== "scheduled" && Date.parse(s.start) < nowMs).sort((a, b) => Date.parse(b.start) - Date.parse(a.start))[0];
}

/** The session that just tipped the circle into the cadence-risk rule, if one did. */
export function momentumTrigger(sessions: readonly PlanSession[], now: string): { session: PlanSession; lastOutcomes: SessionOutcome[] } | undefined {
  const nowMs = Date.parse(now);
  const last = latestKnown(sessions, nowMs);
  if (!last || last.outcome === "held" || !isLosingMomentum(sessions, now)) return undefined;
  if (isLosingMomentum(sessions.filter((s) => s !== last), now)) return undefined;
  const lastOutcomes = [...sessions]
    .filter((s) => s.outcome !== "scheduled" && Date.parse(s.start) < nowMs)
    .sort((a, b) => Date.parse(b.start) - Date.parse(a.start))
    .slice(0, RISK_WINDOW)
    .map((s) => s.outcome);
  return { session: last, lastOutcomes };
}

export function planNudges(circles: readonly PlanCircle[], now: string): NudgePlan {
  const nowMs = Date.parse(now);
  const due: DueNudge[] = [];
  let next = Infinity;
  const later = (ms: number) => {
    if (ms > nowMs && ms < next) next = ms;
  };

  for (const circle of circles) {
    const base = { tenantId: circle.tenantId, circleId: circle.circleId };
    for (const s of circle.sessions) {
      if (s.outcome === "skipped") continue;
      const startMs = Date.parse(s.start);
      const endMs = Date.parse(s.end);
      const session = { start: s.start, end: s.end };
      const occurrenceKey = utc(startMs);
      for (const m of circle.members) {
        const member = { ...base, userId: m.userId, timeZone: m.timeZone, occurrenceKey, session };
        const prepMs = Date.parse(prepDueAt(s.start, m.timeZone));
        if (prepMs <= nowMs && nowMs < startMs) due.push({ ...member, kind: "prepReminder", dueAt: utc(prepMs) });
        else later(prepMs);
        if (endMs <= nowMs && nowMs < endMs + REFLECTION_WINDOW_MS) due.push({ ...member, kind: "reflectionPrompt", dueAt: utc(endMs) });
        else later(endMs);
      }
    }

    const trigger = momentumTrigger(circle.sessions, now);
    if (trigger) {
      // A skipped session is known as such at its start; "not held" once it has ended.
      const knownMs = trigger.session.outcome === "skipped" ? Date.parse(trigger.session.start) : Math.min(Date.parse(trigger.session.end), nowMs);
      if (nowMs < knownMs + MOMENTUM_WINDOW_MS) {
        for (const m of circle.members) {
          due.push({
            ...base,
            kind: "momentumFading",
            userId: m.userId,
            timeZone: m.timeZone,
            occurrenceKey: utc(Date.parse(trigger.session.start)),
            session: { start: trigger.session.start, end: trigger.session.end },
            dueAt: utc(knownMs),
            lastOutcomes: trigger.lastOutcomes,
          });
        }
      }
    }
  }
  return { due, nextDueAt: Number.isFinite(next) ? utc(next) : undefined };
}
