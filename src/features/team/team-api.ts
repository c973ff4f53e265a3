import { z } from "zod";
import { weeklyHoursSchema } from "../../components/weekly-hours";
import { requestJson, type ApiClientOptions } from "../../lib/api-client";

// GET /api/team (operationId getTeamHealth, api/team/schemas.ts): aggregates only, parsed at the
// boundary so a contract drift is one clear error.

const hiddenReasonSchema = z.object({ code: z.enum(["noReports", "tooFewParticipants", "tooFewContributors"]), message: z.string() });

export const teamHealthSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("hidden"), threshold: z.number(), reason: hiddenReasonSchema }),
  z.object({
    status: z.literal("shown"),
    threshold: z.number(),
    participants: z.number(),
    protectedHours: z.object({
      weeks: z.array(weeklyHoursSchema),
      averagePerParticipantPerWeek: z.number(),
      blocksProtected: z.number(),
      blocksOverridden: z.number(),
    }),
    sessions: z.object({ held: z.number(), planned: z.number() }),
    commitmentCompletion: z.discriminatedUnion("status", [
      z.object({ status: z.literal("shown"), rate: z.number().nullable(), reviewed: z.number() }),
      z.object({ status: z.literal("hidden"), reason: hiddenReasonSchema }),
    ]),
    circles: z.object({ active: z.number(), atRisk: z.number() }),
  }),
]);
export type TeamHealth = z.infer<typeof teamHealthSchema>;

/** The team view of the signed-in manager; every failure is an ApiError with a sentence a user can act on. */
export function fetchTeamHealth(options: ApiClientOptions & { weeks?: number }): Promise<TeamHealth> {
  const query = options.weeks !== undefined ? `?weeks=${encodeURIComponent(String(options.weeks))}` : "";
  return requestJson(options, `/api/team${query}`, teamHealthSchema, true);
}
