import { CircleIdParamsSchema } from "../circles/schemas";
import { defineRoute, type ApiRoutes } from "../http";
import { LinkOutlookAppointmentBodySchema, LinkOutlookAppointmentResultSchema } from "./schemas";
import { linkOutlookAppointment, type OutlookLinkDeps } from "./service";

/** The Outlook add-in's side of the API (issue #3 part 6). Non-members get 404 (circles/access.ts). */
export function registerOutlookRoutes(api: ApiRoutes, deps: OutlookLinkDeps): void {
  defineRoute(api, {
    method: "post",
    path: "/api/circles/{circleId}/outlook-appointment",
    operationId: "linkOutlookAppointment",
    summary: "Make a recurring appointment the organiser saved in Outlook the circle's series",
    description:
      "The appointment must be in the caller's own calendar, organised by them, recurring, and marked for this circle by the Outlook task pane (custom property coachingCircleId). 409 when the circle already has a series. A Teams meeting's chat is then set up by a job (jobId; poll getJob), once per linked series; an appointment without a Teams meeting answers a warning instead.",
    tags: ["outlook"],
    auth: true,
    request: { params: CircleIdParamsSchema, body: LinkOutlookAppointmentBodySchema },
    responses: { 200: LinkOutlookAppointmentResultSchema },
    handler: async ({ caller, params, body }) => ({ status: 200, body: await linkOutlookAppointment(deps, caller, params.circleId, body.eventId) }),
  });
}
