import { z } from "zod";
import type { AttendanceService } from "../attendance";
import type { CallerIdentity } from "../auth/identity";
import type { GraphFactory } from "../graph";
import { notFound } from "../shared/errors";
import type { Logger } from "../shared/logger";
import type { Db } from "../storage";
import { aggregateTeam, TEAM_WEEKS, teamThreshold } from "../team/aggregate";
import { isLosingMomentum } from "../team/cadence-risk";
import { activityWindow, loadParticipantActivity } from "../team/participant-activity";
import { listCircles, listSeriesRows } from "../team/repository";
import { viewerZone } from "../team/viewer-zone";
import { renderProgramHealthCsv } from "./health-csv";
import { countSharedInsights, listCircleMemberships, listOwnedPrograms, listPulses } from "./health-repository";
import { ProgramHealthSchema, type ProgramHealth, type ProgramSummary } from "./health-schemas";
import { findOwnedProgram, listEnrolments, listProgramCircles } from "./repository";

export interface ProgramHealthDeps {
  db: Db;
  graph: GraphFactory;
  clock: () => Date;
  /** Tenant policy (TEAM_MIN_PARTICIPANTS): the same threshold as the manager's team view, never below 3. */
  threshold: number;
  logger?: Logger;
  /** Teams attendance reports; one over the same db/graph/clock when not given. */
  attendance?: AttendanceService;
}

const DraftCountSchema = z.object({ circles: z.array(z.unknown()) });

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

    const timeZone = await viewerZone(deps, caller, "program health");
    const period = activityWindow(nowMs, timeZone, weeks);
    const { windowStartMs: windowStart, windowEndMs: windowEnd } = period;

    // Participants are the enrolled people placed in the circles; the owner organises every
    // circle but takes part only if they enrolled themselves.
    const enrolled = new Set((await listEnrolments(deps.db, programId)).map((e) => e.user_id));
    const memberships = (await listCircleMemberships(deps.db, series.map((s) => s.circle.id)))
      .filter((m) => enrolled.has(m.user_id) && (m.left_at === null || Date.parse(m.left_at) >= period.fromMs))
      .map((m) => ({ ...m, participantId: m.user_id }));
    const userIds = [...new Set(memberships.map((m) => m.user_id))];
    if (userIds.length === 0) return hidden(threshold, "tooFewParticipants");

    // The team view's rule for what each person did (attendance reports, live runs, declines, protected time).
    const { reports: activity, circles: cadence } = await loadParticipantActivity(deps, { caller, participantIds: userIds, memberships, series, window: period, nowMs });
    const seriesCircleIds = series.map((s) => s.circle.id);

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
