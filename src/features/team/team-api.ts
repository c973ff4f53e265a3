import { z } from "zod";
import { ApiError, clientErrorCodes, fallbackMessage } from "../../lib/api-error";
import { errorEnvelopeSchema } from "../../lib/api-schemas";

// GET /api/team (operationId getTeamHealth, api/team/schemas.ts): aggregates only, parsed at the
// boundary so a contract drift is one clear error.

const hiddenReasonSchema = z.object({ code: z.enum(["noReports", "tooFewParticipants", "tooFewContributors"]), message: z.string() });

export const teamWeekSchema = z.object({
  weekStart: z.string(),
  sessionHours: z.number(),
  prepHours: z.number(),
  reflectionHours: z.number(),
  totalHours: z.number(),
});
export type TeamWeek = z.infer<typeof teamWeekSchema>;

export const teamHealthSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("hidden"), threshold: z.number(), reason: hiddenReasonSchema }),
  z.object({
    status: z.literal("shown"),
    threshold: z.number(),
    participants: z.number(),
    protectedHours: z.object({
      weeks: z.array(teamWeekSchema),
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
export async function fetchTeamHealth(options: { getToken: () => Promise<string>; baseUrl?: string; fetchImpl?: typeof fetch; weeks?: number }): Promise<TeamHealth> {
  const query = options.weeks !== undefined ? `?weeks=${encodeURIComponent(String(options.weeks))}` : "";
  const headers = { Accept: "application/json", Authorization: `Bearer ${await options.getToken()}` };
  let response: Response;
  try {
    response = await (options.fetchImpl ?? globalThis.fetch)(`${options.baseUrl ?? ""}/api/team${query}`, { headers });
  } catch (cause) {
    throw new ApiError(clientErrorCodes.network, 0, "We couldn't reach Coaching Circles. Check your connection, then try again.", { cause });
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const envelope = errorEnvelopeSchema.safeParse(json);
    if (envelope.success) throw new ApiError(envelope.data.error.code, response.status, envelope.data.error.message);
    throw new ApiError(`http_${response.status}`, response.status, fallbackMessage(response.status));
  }
  const parsed = teamHealthSchema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError(clientErrorCodes.badResponse, response.status, "Coaching Circles sent an answer this page doesn't understand. Reload the page to get the latest version.", { cause: parsed.error });
  }
  return parsed.data;
}
