import { z } from "zod";
import { requestJson, type ApiClientOptions } from "../../lib/api-client";

// GET/PATCH /api/me/nudges (operationIds getNudgeSettings, updateNudgeSettings; api/nudges/schemas.ts),
// parsed at the boundary so a contract drift is one clear error.

export const NUDGE_KINDS = ["prepReminder", "reflectionPrompt", "momentumFading", "protectedTimeConflict", "sessionDeclined"] as const;
export type NudgeKind = (typeof NUDGE_KINDS)[number];

export const nudgeSettingsSchema = z.object({
  prepReminder: z.boolean(),
  reflectionPrompt: z.boolean(),
  momentumFading: z.boolean(),
  protectedTimeConflict: z.boolean(),
  sessionDeclined: z.boolean(),
});
export type NudgeSettings = z.infer<typeof nudgeSettingsSchema>;

/** The signed-in person's switches; every failure is an ApiError with a sentence a user can act on. */
export function fetchNudgeSettings(options: ApiClientOptions): Promise<NudgeSettings> {
  return requestJson(options, "/api/me/nudges", nudgeSettingsSchema, true);
}

/** Changes only the switches named; answers with all of them as stored. */
export function updateNudgeSettings(options: ApiClientOptions, change: Partial<NudgeSettings>): Promise<NudgeSettings> {
  return requestJson(options, "/api/me/nudges", nudgeSettingsSchema, true, { method: "PATCH", body: change });
}
