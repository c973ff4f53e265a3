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
