import { MAX_TEAM_WEEKS, MIN_TEAM_WEEKS, TEAM_WEEKS } from "../team/aggregate";
import { z } from "../http/zod";

// HTTP shapes of the program owner's list and health dashboard (issue #5 part 5, product.md §8–9).
// The health answer is a strict schema: the service parses its own output with it before it
// leaves, so a field added by mistake (a name, an id, a text) fails loudly instead of leaking.

export const ProgramSummarySchema = z
  .strictObject({
    id: z.string(),
    purpose: z.string(),
    durationWeeks: z.int(),
    enrolled: z.int().openapi({ description: "People in the pool" }),
    draftCircles: z.int().openapi({ description: "Circles in the current draft (0 before forming)" }),
    stage: z.enum(["enrolling", "formed", "booking"]).openapi({ description: "booking: the cohort booking has started (it may have finished)" }),
    createdAt: z.string(),
  })
  .openapi("ProgramSummary");
export type ProgramSummary = z.infer<typeof ProgramSummarySchema>;

export const ProgramListSchema = z.strictObject({ programs: z.array(ProgramSummarySchema) }).openapi("ProgramList");

export const ProgramHealthQuerySchema = z.object({
  weeks: z.coerce
    .number()
    .int()
    .min(MIN_TEAM_WEEKS)
    .max(MAX_TEAM_WEEKS)
    .default(TEAM_WEEKS)
    .openapi({ description: `Complete weeks to chart, ending with last week (default ${TEAM_WEEKS})`, example: TEAM_WEEKS }),
});

const ReasonSchema = z.strictObject({
  code: z.enum(["notBooked", "tooFewParticipants", "tooFewContributors"]),
  message: z.string(),
});

const WeekSchema = z.strictObject({
  /** Monday, YYYY-MM-DD, in the owner's zone. */
  weekStart: z.iso.date(),
  sessionHours: z.number(),
  prepHours: z.number(),
  reflectionHours: z.number(),
  totalHours: z.number(),
});
export type ProgramHealthWeek = z.infer<typeof WeekSchema>;

export const ProgramHealthSchema = z
  .discriminatedUnion("status", [
    z.strictObject({ status: z.literal("hidden"), threshold: z.int(), reason: ReasonSchema }),
    z.strictObject({
      status: z.literal("shown"),
      threshold: z.int(),
      /** Enrolled people who are members of the program's booked circles. */
      participants: z.int(),
      circles: z.strictObject({ booked: z.int(), atRisk: z.int() }),
      /** Circle sessions due in the weeks charted (skipped ones are planned and not held). */
      sessions: z.strictObject({ held: z.int(), planned: z.int() }),
      protectedHours: z.strictObject({
        weeks: z.array(WeekSchema),
        averagePerParticipantPerWeek: z.number(),
        blocksProtected: z.int(),
        blocksOverridden: z.int(),
      }),
      commitmentCompletion: z.discriminatedUnion("status", [
        z.strictObject({ status: z.literal("shown"), rate: z.number().nullable(), reviewed: z.int() }),
        z.strictObject({ status: z.literal("hidden"), reason: ReasonSchema }),
      ]),
      /** One-tap usefulness ratings (1–5) given in the weeks charted. */
      pulse: z.discriminatedUnion("status", [
        z.strictObject({ status: z.literal("shown"), average: z.number().nullable(), ratings: z.int() }),
        z.strictObject({ status: z.literal("hidden"), reason: ReasonSchema }),
      ]),
      /** Insights members chose to share, anonymised, with the program so far (a count: no text). */
      insightsShared: z.int(),
    }),
  ])
  .openapi("ProgramHealth", {
    description:
      "Aggregates over the people enrolled in the program who are members of its booked circles: no names, ids, circle names or content. " +
      "`status: hidden` (with the reason and the policy threshold, and no figures) before anything is booked or when fewer than `threshold` people take part.",
  });
export type ProgramHealth = z.infer<typeof ProgramHealthSchema>;

/** The CSV export: text, always produced from a ProgramHealth that passed the schema above. */
export const ProgramHealthCsvSchema = z.string().openapi({ description: "RFC 4180 CSV (UTF-8 with BOM): the figures, then the weekly protected hours" });
