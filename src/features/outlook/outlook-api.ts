import { useMemo } from "react";
import { z } from "zod";
import { useHost } from "../../host";
import { requestJson, type ApiClientOptions } from "../../lib/api-client";
import { isApiError } from "../../lib/api-error";
import { circleDetailSchema } from "../../lib/api-schemas";

/**
 * linkOutlookAppointment's answer: the circle as Outlook now has it, the job that sets up the
 * Teams meeting's chat (poll getJob), or why there is no chat to set up.
 */
export const linkedAppointmentSchema = circleDetailSchema.extend({
  jobId: z.string().optional(),
  warning: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type LinkedAppointment = z.infer<typeof linkedAppointmentSchema>;

/** The Outlook add-in's API calls (operationId linkOutlookAppointment). */
export function outlookApi(options: ApiClientOptions) {
  return {
    /** Makes the saved, recurring appointment (Graph id) the circle's series; answers with the circle as Outlook now has it. */
    linkOutlookAppointment: (circleId: string, eventId: string): Promise<LinkedAppointment> =>
      requestJson(options, `/api/circles/${encodeURIComponent(circleId)}/outlook-appointment`, linkedAppointmentSchema, true, { method: "POST", body: { eventId } }),
  };
}

export type OutlookApi = ReturnType<typeof outlookApi>;

export function useOutlookApi(): OutlookApi {
  const host = useHost();
  return useMemo(() => outlookApi({ getToken: () => host.getToken() }), [host]);
}

/**
 * Links the appointment, waiting out Outlook's sync: a just-saved appointment can take a few
 * seconds to reach the server (Outlook in cached mode), and until then Graph doesn't know its id
 * (the API answers not_found). Any other failure is final at once.
 */
export async function linkWhenSynced<T>(link: () => Promise<T>, opts: { attempts?: number; delayMs?: number; sleep?: (ms: number) => Promise<void> } = {}): Promise<T> {
  const attempts = opts.attempts ?? 4;
  const delayMs = opts.delayMs ?? 2_000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await link();
    } catch (error) {
      if (!(isApiError(error) && error.code === "not_found") || attempt >= attempts) throw error;
      await sleep(delayMs * attempt);
    }
  }
}
