import { DateTime } from "luxon";
import { z } from "zod";
import { summariseCompletion } from "../commitments/completion";
import { ReviewStatusSchema } from "../commitments/schemas";
import { isValidTimeZone } from "../scheduling";
import { isLosingMomentum } from "./cadence-risk";

/**
 * The manager's "Team" view (product.md §8–9, issue #5 part 4): how much coaching time their
 * reports protect and whether their circles keep their rhythm — aggregates only.
 *
 * Confidentiality rules, enforced here rather than in the UI:
 * - nothing is shown unless at least `threshold` reports take part (default 5, never below 3,
 *   product.md §8); below it the answer is a reason and no figures at all — not even how many
 *   take part, since "2 of your reports" next to a chart is a name in all but name;
 * - a figure built from fewer contributors than the threshold (say, commitment completion when
 *   only two people reviewed any) is withheld on its own, with a reason;
 * - the output holds no ids, names, circle names or content; its shape is checked against a
 *   strict schema before it leaves this function, so a field added by mistake fails loudly.
 */

export const DEFAULT_TEAM_THRESHOLD = 5;
export const MIN_TEAM_THRESHOLD = 3;
export const TEAM_WEEKS = 12;
/** The range a caller may ask for (`weeks`); the chart is about rhythm, not a year's history. */
export const MIN_TEAM_WEEKS = 4;
export const MAX_TEAM_WEEKS = 26;

const InstantSchema = z.iso.datetime({ offset: true });

const SessionSchema = z.object({
  circleId: z.string().min(1),
  start: InstantSchema,
  end: InstantSchema,
  /** What happened to the session (circle level). */
  outcome: z.enum(["held", "notHeld", "skipped", "declinedByMost", "scheduled"]),
  /** The report's own part: from attendance reports where available, else the live run. */
  attendance: z.enum(["attended", "absent", "declined", "unknown"]),
});

const BlockSchema = z.object({
  kind: z.enum(["prep", "reflection"]),
  start: InstantSchema,
  end: InstantSchema,
  /** Something else was accepted on top of it. */
  overridden: z.boolean(),
});

export const ReportActivitySchema = z.object({
  /** Used only to count distinct people; never output. */
  reportId: z.string().min(1),
  /** Circles the report is a member of now. */
  circleIds: z.array(z.string().min(1)),
  sessions: z.array(SessionSchema),
  blocks: z.array(BlockSchema),
  commitmentReviews: z.array(z.object({ status: ReviewStatusSchema, reviewedAt: InstantSchema })),
});
export type ReportActivity = z.input<typeof ReportActivitySchema>;

export const CircleCadenceSchema = z.object({
  circleId: z.string().min(1),
  sessions: z.array(z.object({ start: InstantSchema, outcome: SessionSchema.shape.outcome })),
});
export type CircleCadence = z.input<typeof CircleCadenceSchema>;

export interface TeamAggregateInput {
  reports: readonly ReportActivity[];
  /** Cadence of the circles the reports belong to (other circles are ignored). */
  circles: readonly CircleCadence[];
  now: string;
  /** The manager's IANA zone: weeks run Monday to Sunday there. */
  timeZone: string;
  /** Tenant policy; values below 3 are raised to 3. */
  threshold?: number;
  /** Complete weeks to chart, default 12 (whole number within 4–26). */
  weeks?: number;
}

const HiddenReasonSchema = z.strictObject({
  code: z.enum(["noReports", "tooFewParticipants", "tooFewContributors"]),
  message: z.string(),
});

const WeekSchema = z.strictObject({
  /** Monday, YYYY-MM-DD, in the manager's zone. */
  weekStart: z.iso.date(),
  sessionHours: z.number(),
  prepHours: z.number(),
  reflectionHours: z.number(),
  totalHours: z.number(),
});

export const TeamViewSchema = z.discriminatedUnion("status", [
  z.strictObject({ status: z.literal("hidden"), threshold: z.int(), reason: HiddenReasonSchema }),
  z.strictObject({
    status: z.literal("shown"),
    threshold: z.int(),
    participants: z.int(),
    protectedHours: z.strictObject({
      weeks: z.array(WeekSchema),
      averagePerParticipantPerWeek: z.number(),
      /** Prep and reflection blocks kept vs overridden by another meeting, over the 12 weeks. */
      blocksProtected: z.int(),
      blocksOverridden: z.int(),
    }),
    sessions: z.strictObject({ held: z.int(), planned: z.int() }),
    commitmentCompletion: z.discriminatedUnion("status", [
      z.strictObject({ status: z.literal("shown"), rate: z.number().nullable(), reviewed: z.int() }),
      z.strictObject({ status: z.literal("hidden"), reason: HiddenReasonSchema }),
    ]),
    circles: z.strictObject({ active: z.int(), atRisk: z.int() }),
  }),
]);
export type TeamView = z.infer<typeof TeamViewSchema>;

/** The effective threshold: a whole number, default 5, never below 3. */
export function teamThreshold(configured: number | undefined): number {
  if (configured === undefined || !Number.isFinite(configured)) return DEFAULT_TEAM_THRESHOLD;
  return Math.max(MIN_TEAM_THRESHOLD, Math.ceil(configured));
}

/**
 * Team aggregates over the 12 (or `weeks`) complete weeks before the current one (a chart of whole weeks: a
 * half-finished week would look like a drop).
 *
 * Protected hours = sessions the report took part in (held, and not absent or declined) + prep
 * and reflection blocks that were not overridden, each counted in the week it starts.
 * Sessions held vs planned counts each report's due sessions (skipped ones are planned and not
 * held). Completion uses the commitments module's rule (done 1, partly ½, changed left out).
 *
 * @throws ZodError when the input is malformed; RangeError for an unknown time zone.
 */
export function aggregateTeam(input: TeamAggregateInput): TeamView {
  const threshold = teamThreshold(input.threshold);
  const weekCount = input.weeks ?? TEAM_WEEKS;
  if (!Number.isInteger(weekCount) || weekCount < MIN_TEAM_WEEKS || weekCount > MAX_TEAM_WEEKS) throw new RangeError(`weeks must be a whole number from ${MIN_TEAM_WEEKS} to ${MAX_TEAM_WEEKS}, got ${weekCount}`);
  if (!isValidTimeZone(input.timeZone)) throw new RangeError(`unknown IANA time zone "${input.timeZone}"`);
  const nowMs = Date.parse(InstantSchema.parse(input.now));
  const reports = input.reports.map((r) => ReportActivitySchema.parse(r));
  const circles = input.circles.map((c) => CircleCadenceSchema.parse(c));

  const thisWeek = DateTime.fromMillis(nowMs, { zone: input.timeZone }).startOf("week");
  const weekStarts = Array.from({ length: weekCount + 1 }, (_, i) => thisWeek.minus({ weeks: weekCount - i }));
  const windowStart = weekStarts[0]!.toMillis();
  const windowEnd = thisWeek.toMillis();
  const inWindow = (iso: string) => {
    const t = Date.parse(iso);
    return t >= windowStart && t < windowEnd;
  };
  const weekIndex = (iso: string) => {
    const t = Date.parse(iso);
    for (let i = 0; i < weekCount; i++) if (t < weekStarts[i + 1]!.toMillis()) return i;
    return weekCount - 1;
  };

  // One entry per person, whatever duplicates the caller sent.
  const byReport = new Map<string, z.infer<typeof ReportActivitySchema>>();
  for (const r of reports) if (!byReport.has(r.reportId)) byReport.set(r.reportId, r);
  const participants = [...byReport.values()].filter((r) => r.circleIds.length > 0 || r.sessions.some((s) => inWindow(s.start)));

  if (byReport.size === 0) {
    return TeamViewSchema.parse({ status: "hidden", threshold, reason: { code: "noReports", message: "Nobody reports to you in the directory, so there is no team to show." } });
  }
  if (participants.length < threshold) {
    return TeamViewSchema.parse({
      status: "hidden",
      threshold,
      reason: {
        code: "tooFewParticipants",
        message: `Team figures appear once at least ${threshold} of your reports take part in coaching circles. Fewer than that, and the figures could point to one person.`,
      },
    });
  }

  const minutes = Array.from({ length: weekCount }, () => ({ session: 0, prep: 0, reflection: 0 }));
  let held = 0;
  let planned = 0;
  let blocksProtected = 0;
  let blocksOverridden = 0;
  const reviews: Array<{ status: z.infer<typeof ReviewStatusSchema> }> = [];
  let reviewers = 0;
  const teamCircles = new Set<string>();

  for (const report of participants) {
    for (const id of report.circleIds) teamCircles.add(id);
    for (const s of report.sessions) {
      teamCircles.add(s.circleId);
      if (!inWindow(s.start) || s.outcome === "scheduled") continue;
      planned += 1;
      const tookPart = s.outcome === "held" && s.attendance !== "absent" && s.attendance !== "declined";
      if (!tookPart) continue;
      held += 1;
      minutes[weekIndex(s.start)]!.session += durationMinutes(s.start, s.end);
    }
    for (const b of report.blocks) {
      if (!inWindow(b.start)) continue;
      if (b.overridden) {
        blocksOverridden += 1;
        continue;
      }
      blocksProtected += 1;
      minutes[weekIndex(b.start)]![b.kind] += durationMinutes(b.start, b.end);
    }
    const own = report.commitmentReviews.filter((r) => inWindow(r.reviewedAt));
    if (own.length > 0) reviewers += 1;
    reviews.push(...own);
  }

  const weeks = minutes.map((m, i) => ({
    weekStart: weekStarts[i]!.toISODate()!,
    sessionHours: hours(m.session),
    prepHours: hours(m.prep),
    reflectionHours: hours(m.reflection),
    totalHours: hours(m.session + m.prep + m.reflection),
  }));
  const totalMinutes = minutes.reduce((sum, m) => sum + m.session + m.prep + m.reflection, 0);
  const completion = summariseCompletion(reviews);
  const atRisk = circles.filter((c) => teamCircles.has(c.circleId) && isLosingMomentum(c.sessions, input.now)).length;

  return TeamViewSchema.parse({
    status: "shown",
    threshold,
    participants: participants.length,
    protectedHours: {
      weeks,
      averagePerParticipantPerWeek: hours(totalMinutes / participants.length / weekCount),
      blocksProtected,
      blocksOverridden,
    },
    sessions: { held, planned },
    commitmentCompletion:
      reviewers >= threshold
        ? { status: "shown", rate: completion.rate === null ? null : Math.round(completion.rate * 1000) / 1000, reviewed: completion.counted + completion.changed }
        : {
            status: "hidden",
            reason: { code: "tooFewContributors", message: `Commitment completion appears once at least ${threshold} of your reports have reviewed commitments in these weeks.` },
          },
    circles: { active: teamCircles.size, atRisk },
  });
}

function durationMinutes(start: string, end: string): number {
  return Math.max(0, (Date.parse(end) - Date.parse(start)) / 60_000);
}

function hours(minutes: number): number {
  return Math.round((minutes / 60) * 100) / 100;
}
