import { CircleDetailSchema } from "../circles/schemas";
import { z } from "../http/zod";

/** `linkOutlookAppointment` body: the saved appointment's Graph (REST) id, from Office.js convertToRestId. */
export const LinkOutlookAppointmentBodySchema = z
  .object({
    eventId: z
      .string()
      .trim()
      .min(1)
      .max(512)
      .openapi({ description: "The appointment's id as Microsoft Graph spells it (Office.js: convertToRestId(itemId, 'v2.0'))" }),
  })
  .strict()
  .openapi("LinkOutlookAppointmentBody");
export type LinkOutlookAppointmentBody = z.infer<typeof LinkOutlookAppointmentBodySchema>;

/** `linkOutlookAppointment` answer: the circle (as getCircle answers it), and how its meeting chat is being set up. */
export const LinkOutlookAppointmentResultSchema = CircleDetailSchema.extend({
  jobId: z
    .string()
    .optional()
    .openapi({ description: "The job that sets up the Teams meeting's chat (recording and transcription off, app, tab, welcome message); poll getJob. The same job when linking again." }),
  warning: z
    .object({ code: z.enum(["not_teams_meeting"]), message: z.string() })
    .optional()
    .openapi({ description: "Why the meeting chat can't be set up (the link itself stands), and what to do about it" }),
}).openapi("LinkOutlookAppointmentResult");
export type LinkOutlookAppointmentResult = z.infer<typeof LinkOutlookAppointmentResultSchema>;
