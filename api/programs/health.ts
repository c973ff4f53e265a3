import { DateTime } from "luxon";
import { z } from "zod";
import type { CallerIdentity } from "../auth/identity";
import { ReviewStatusSchema } from "../commitments/schemas";
import type { GraphFactory } from "../graph";
import { findUser } from "../me/repository";
import { DEFAULT_PREP_MINUTES, DEFAULT_REFLECTION_MINUTES } from "../protected-time/plan-blocks";
import { isValidTimeZone } from "../scheduling";
import { notFound } from "../shared/errors";
import type { Logger } from "../shared/logger";
import type { Db } from "../storage";
import { aggregateTeam, TEAM_WEEKS, teamThreshold, type CircleCadence, type ReportActivity } from "../team/aggregate";
import { isLosingMomentum } from "../team/cadence-risk";
import { listCircles, listProtectionSettings, listReviewOutcomes, listRunStatuses, listSeriesRows } from "../team/repository";
import { readTeamSeries, type CircleSessions } from "../team/series-reader";
import { renderProgramHealthCsv } from "./health-csv";
import { countSharedInsights, listCircleBlocks, listCircleMemberships, listOverriddenBlocks, listOwnedPrograms, listPulses } from "./health-repository";
import { ProgramHealthSchema, type ProgramHealth, type ProgramSummary } from "./health-schemas";
import { findOwnedProgram, listEnrolments, listProgramCircles } from "./repository";

export interface ProgramHealthDeps {
  db: Db;
  graph: GraphFactory;
  clock: () => Date;
  /** Tenant policy (TEAM_MIN_PARTICIPANTS): the same threshold as the manager's team view, never below 3. */
  threshold: number;
  logger?: Logger;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Cadence risk looks at a circle's last 3 due sessions: monthly circles need ~3 months of history. */
const RISK_LOOKBACK_MS = 16 * 7 * DAY_MS;

const DraftCountSchema = z.object({ circles: z.array(z.unknown()) });

type Outcome = CircleCadence["sessions"][number]["outcome"];

/** What happened to one session (circle level): the team view's rule, so both views agree. */
function outcomeOf(o: { end: string; cancelled: boolean }, ran: boolean, nowMs: number): Outcome {
  if (o.cancelled) return "skipped";
  if (ran) return "held";
  return Date.parse(o.end) <= nowMs ? "notHeld" : "scheduled";
}

function hidden(threshold: number, code: "notBooked" | "tooFewParticipants"): ProgramHealth {
  const message =
    code === "notBooked"
      ? `Nothing is booked yet. Program figures appear once its circles are booked and at least ${threshold} enrolled people take part.`
      : `Program figures appear once at least ${threshold} enrolled people take part in its booked circles. Fewer than that, and the figures could point to one person.`;
  return ProgramHealthSchema.parse({ status: "hidden", threshold, reason: { code, message } });
}

/**
 * The program owner's side of the product (product.md §8–9): their programs, and each one's
 * health as aggregates over the people enrolled in it who take part in its booked circles.
 * Only the owner sees a program; everyone else gets not_found, as for the program itself.
 */
export function createProgramHealthService(deps: ProgramHealthDeps) {
  /** The owner's mailbox zone (weeks run Monday–Sunday there); their last known zone, or UTC. */
  async function ownerZone(caller: CallerIdentity): Promise<string> {
    try {
      const settings = await deps.graph.forUser(caller).getMailboxSettings();
      if (isValidTimeZone(settings.timeZone)) return settings.timeZone;
    } catch (err) {
      deps.logger?.warn({ err }, "program health: mailbox settings unavailable; using the stored time zone");
    }
    const stored = (await findUser(deps.db, caller.tenantId, caller.userId))?.time_zone;
    return stored && isValidTimeZone(stored) ? stored : "UTC";
  }

  async function ownedOrThrow(caller: CallerIdentity, programId: string) {
    const row = await findOwnedProgram(deps.db, caller.tenantId, caller.userId, programId);
    if (!row) throw notFound("The program");
    return row;
  }

  /**
   * @throws AppError not_found (not the owner); GraphRequestError when Graph fails in a way the
   *   series reader does not absorb (it falls back to the booked plan when a calendar is unreadable).
   */
  async function getProgramHealth(caller: CallerIdentity, programId: string, opts: { weeks?: number } = {}): Promise<ProgramHealth> {
    await ownedOrThrow(caller, programId);
    const threshold = teamThreshold(deps.threshold);
    const weeks = opts.weeks ?? TEAM_WEEKS;
    const now = deps.clock();
    const nowMs = now.getTime();
    const tenantId = caller.tenantId;

    const circleIds = (await listProgramCircles(deps.db, programId)).map((c) => c.circle_id);
    const [circles, seriesRows] = await Promise.all([listCircles(deps.db, tenantId, circleIds), listSeriesRows(deps.db, circleIds)]);
    const circleById = new Map(circles.map((c) => [c.id, c]));
    // Circles whose series exists in Outlook: booked now, or booked and later cancelled (their past counts).
    const series = seriesRows.flatMap((row) => {
      const circle = circleById.get(row.circle_id);
      return circle && row.event_id !== null && (row.status === "booked" || row.status === "cancelled") ? [{ circle, row }] : [];
    });
    const booked = series.filter((s) => s.row.status === "booked").length;
    if (series.length === 0) return hidden(threshold, "notBooked");

    const timeZone = await ownerZone(caller);
    const thisWeek = DateTime.fromMillis(nowMs, { zone: timeZone }).startOf("week");
    const windowStart = thisWeek.minus({ weeks }).toMillis();
    const windowEnd = thisWeek.toMillis();
    const fromMs = Math.min(windowStart, nowMs - RISK_LOOKBACK_MS) - DAY_MS;
    const since = new Date(fromMs).toISOString();

    // Participants are the enrolled people placed in the circles; the owner organises every
    // circle but takes part only if they enrolled themselves.
    const seriesCircleIds = series.map((s) => s.circle.id);
    const enrolled = new Set((await listEnrolments(deps.db, programId)).map((e) => e.user_id));
    const memberships = (await listCircleMemberships(deps.db, seriesCircleIds)).filter((m) => enrolled.has(m.user_id) && (m.left_at === null || m.left_at >= since));
    const userIds = [...new Set(memberships.map((m) => m.user_id))];
    if (userIds.length === 0) return hidden(threshold, "tooFewParticipants");

    const [runs, reviews, settings, blocks, overrides] = await Promise.all([
      listRunStatuses(deps.db, tenantId, seriesCircleIds),
      listReviewOutcomes(deps.db, seriesCircleIds, userIds, since),
      listProtectionSettings(deps.db, seriesCircleIds, userIds),
      listCircleBlocks(deps.db, seriesCircleIds, userIds, since),
      listOverriddenBlocks(deps.db, seriesCircleIds, userIds),
    ]);
    const sessions = await readTeamSeries(deps, tenantId, series, { from: fromMs, to: nowMs + DAY_MS });
    const sessionsOf = new Map<string, CircleSessions>(sessions.map((s) => [s.circleId, s]));
    const ran = new Set(runs.filter((r) => r.status !== "notStarted").map((r) => `${r.circle_id}|${r.occurrence_date}`));
    const outcomeAt = (circle: CircleSessions, o: { start: string; end: string; cancelled: boolean }) =>
      outcomeOf(o, ran.has(`${circle.circleId}|${DateTime.fromISO(o.start, { zone: circle.timeZone }).toFormat("yyyy-MM-dd")}`), nowMs);
    const cadence: CircleCadence[] = sessions.map((c) => ({ circleId: c.circleId, sessions: c.occurrences.map((o) => ({ start: o.start, outcome: outcomeAt(c, o) })) }));
    const overridden = new Set(overrides.map((o) => `${o.circle_id}|${o.user_id}|${o.occurrence_key}|${o.kind}`));

    const activity: ReportActivity[] = userIds.map((userId) => {
      const own = memberships.filter((m) => m.user_id === userId);
      const entry: ReportActivity = {
        reportId: userId,
        circleIds: [...new Set(own.filter((m) => m.left_at === null).map((m) => m.circle_id))],
        sessions: [],
        blocks: [],
        commitmentReviews: [],
      };
      for (const m of own) {
        const circle = sessionsOf.get(m.circle_id);
        const joined = Date.parse(m.joined_at);
        const left = m.left_at === null ? Infinity : Date.parse(m.left_at);
        const recorded = blocks.filter((b) => b.circle_id === m.circle_id && b.user_id === userId);
        const setting = settings.find((s) => s.circle_id === m.circle_id && s.user_id === userId);
        for (const o of circle?.occurrences ?? []) {
          const start = Date.parse(o.start);
          if (start < joined || start >= left) continue;
          entry.sessions.push({ circleId: m.circle_id, start: o.start, end: o.end, outcome: outcomeAt(circle!, o), attendance: "unknown" });
          // As in the team view: a member whose blocks are not recorded yet (they have not opened
          // the app since booking, delegated mode) counts what their settings protect.
          if (recorded.length > 0 || o.cancelled || setting?.optOut) continue;
          const prep = setting?.prepMinutes ?? DEFAULT_PREP_MINUTES;
          const reflection = setting?.reflectionMinutes ?? DEFAULT_REFLECTION_MINUTES;
          const end = Date.parse(o.end);
          if (prep > 0) entry.blocks.push({ kind: "prep", start: new Date(start - prep * MINUTE_MS).toISOString(), end: new Date(start).toISOString(), overridden: false });
          if (reflection > 0) entry.blocks.push({ kind: "reflection", start: new Date(end).toISOString(), end: new Date(end + reflection * MINUTE_MS).toISOString(), overridden: false });
        }
        for (const b of recorded) {
          if (b.kind !== "prep" && b.kind !== "reflection") continue;
          const start = Date.parse(b.start_at);
          if (start < joined || start >= left) continue;
          entry.blocks.push({
            kind: b.kind,
            start: new Date(start).toISOString(),
            end: new Date(Date.parse(b.end_at)).toISOString(),
            overridden: overridden.has(`${b.circle_id}|${b.user_id}|${b.occurrence_key}|${b.kind}`),
          });
        }
      }
      for (const r of reviews) {
        if (r.owner_id !== userId) continue;
        const status = ReviewStatusSchema.safeParse(r.review_status);
        if (status.success) entry.commitmentReviews.push({ status: status.data, reviewedAt: new Date(Date.parse(r.reviewed_at)).toISOString() });
      }
      return entry;
    });

    // The team view's aggregate decides what may be shown (threshold, per-figure contributors).
    const team = aggregateTeam({ reports: activity, circles: cadence, now: now.toISOString(), timeZone, threshold, weeks });
    if (team.status === "hidden") return hidden(threshold, "tooFewParticipants");

    let held = 0;
    let planned = 0;
    for (const circle of cadence) {
      for (const s of circle.sessions) {
        const t = Date.parse(s.start);
        if (t < windowStart || t >= windowEnd || s.outcome === "scheduled") continue;
        planned += 1;
        if (s.outcome === "held") held += 1;
      }
    }
    const atRisk = cadence.filter((c) => isLosingMomentum(c.sessions, now.toISOString())).length;

    const [pulses, insightsShared] = await Promise.all([
      listPulses(deps.db, seriesCircleIds, userIds, { from: new Date(windowStart).toISOString(), to: new Date(windowEnd).toISOString() }),
      countSharedInsights(deps.db, seriesCircleIds, userIds),
    ]);
    const raters = new Set(pulses.map((p) => p.member_id)).size;
    const pulseAverage = pulses.length === 0 ? null : Math.round((pulses.reduce((sum, p) => sum + p.rating, 0) / pulses.length) * 10) / 10;

    return ProgramHealthSchema.parse({
      status: "shown",
      threshold,
      participants: team.participants,
      circles: { booked, atRisk },
      sessions: { held, planned },
      protectedHours: team.protectedHours,
      commitmentCompletion:
        team.commitmentCompletion.status === "shown"
          ? team.commitmentCompletion
          : { status: "hidden", reason: { code: "tooFewContributors", message: `Commitment completion appears once at least ${threshold} people in the program have reviewed commitments in these weeks.` } },
      pulse:
        raters >= threshold
          ? { status: "shown", average: pulseAverage, ratings: pulses.length }
          : { status: "hidden", reason: { code: "tooFewContributors", message: `The usefulness pulse appears once at least ${threshold} people in the program have rated sessions in these weeks.` } },
      insightsShared,
    });
  }

  return {
    /** The programs the caller owns, newest first (nobody else's, whoever asks). */
    async listPrograms(caller: CallerIdentity): Promise<ProgramSummary[]> {
      const rows = await listOwnedPrograms(deps.db, caller.tenantId, caller.userId);
      return rows.map((r) => {
        const draftCircles = r.draft === null ? 0 : (DraftCountSchema.safeParse(JSON.parse(r.draft)).data?.circles.length ?? 0);
        return {
          id: r.id,
          purpose: r.purpose,
          durationWeeks: r.duration_weeks,
          enrolled: r.enrolled,
          draftCircles,
          stage: r.cohort_job_id !== null ? "booking" : r.draft !== null ? "formed" : "enrolling",
          createdAt: r.created_at,
        };
      });
    },

    getProgramHealth,

    /**
     * The health figures as a CSV file for quarterly reviews: exactly what getProgramHealth shows
     * (and, below the threshold, only the reason).
     * @throws as getProgramHealth.
     */
    async exportProgramHealth(caller: CallerIdentity, programId: string, opts: { weeks?: number } = {}): Promise<{ filename: string; csv: string }> {
      const program = await ownedOrThrow(caller, programId);
      const health = await getProgramHealth(caller, programId, opts);
      const generatedAt = deps.clock().toISOString();
      return { filename: `program-health-${generatedAt.slice(0, 10)}.csv`, csv: renderProgramHealthCsv({ purpose: program.purpose, generatedAt, health }) };
    },
  };
}

export type ProgramHealthService = ReturnType<typeof createProgramHealthService>;
