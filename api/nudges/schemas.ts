import { z } from "zod";

/**
 * Kinds of nudge, each switchable per person (issue #5 part 3). Each is an `activityType`
 * declared in the app manifest (`activities.activityTypes[]`), as Graph requires for
 * sendActivityNotification.
 */
export const NudgeKindSchema = z.enum(["prepReminder", "reflectionPrompt", "momentumFading", "protectedTimeConflict"]);
export type NudgeKind = z.infer<typeof NudgeKindSchema>;
