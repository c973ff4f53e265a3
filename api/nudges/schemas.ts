import { z } from "../http/zod";

/**
 * Kinds of nudge, each switchable per person (issue #5 part 3). Each is an `activityType`
 * declared in the app manifest (`activities.activityTypes[]`), as Graph requires for
 * sendActivityNotification.
 */
export const NudgeKindSchema = z.enum(["prepReminder", "reflectionPrompt", "momentumFading", "protectedTimeConflict", "sessionDeclined"]);
export type NudgeKind = z.infer<typeof NudgeKindSchema>;

/** The kinds the scheduler sends on its own (the overridden-time and declined-session nudges follow a calendar change instead). */
export const SCHEDULED_NUDGE_KINDS = ["prepReminder", "reflectionPrompt", "momentumFading"] as const satisfies readonly NudgeKind[];
export type ScheduledNudgeKind = (typeof SCHEDULED_NUDGE_KINDS)[number];

const SwitchSchema = z.boolean();

export const NudgeSettingsSchema = z
  .object({
    prepReminder: SwitchSchema.openapi({ description: "Reminder at 09:00 your time the day before a session: your last commitments, and whether you bring the case" }),
    reflectionPrompt: SwitchSchema.openapi({ description: "Prompt when a session ends to note what you learned" }),
    momentumFading: SwitchSchema.openapi({ description: "Heads-up when 2 of your circle's last 3 sessions were skipped, declined by most or not held" }),
    protectedTimeConflict: SwitchSchema.openapi({ description: "Notice when a meeting lands on your protected prep or reflection time" }),
    sessionDeclined: SwitchSchema.openapi({ description: "Prompt to tell your circle when you decline one of its sessions" }),
  })
  .strict()
  .openapi("NudgeSettings", { description: "Your nudges in the Teams activity feed, each on or off" });
export type NudgeSettings = z.infer<typeof NudgeSettingsSchema>;

/** Any subset of the switches; the others keep their value. */
export const UpdateNudgeSettingsBodySchema = NudgeSettingsSchema.partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: "Name at least one nudge to switch on or off." })
  .openapi("UpdateNudgeSettingsBody");
export type UpdateNudgeSettingsBody = z.infer<typeof UpdateNudgeSettingsBodySchema>;

/** The scan job carries nothing: it looks at every booked circle. */
export const NudgeScanPayloadSchema = z.object({}).strict();
export type NudgeScanPayload = z.infer<typeof NudgeScanPayloadSchema>;
