import { defineRoute, type ApiRoutes } from "../http";
import { DELETE_CONFIRMATION, DeleteMyDataBodySchema, DeleteMyDataResultSchema, MyDataExportSchema, NoQuerySchema } from "./schemas";
import { createPrivacyService, type PrivacyDeps } from "./service";

/**
 * "Your data" (issue #5 part 7). Both operations act on the signed-in caller only: there is no
 * parameter that could name someone else, and unknown query or body keys are refused (400).
 */
export function registerPrivacyRoutes(api: ApiRoutes, deps: PrivacyDeps): void {
  const privacy = createPrivacyService(deps);

  defineRoute(api, {
    method: "get",
    path: "/api/me/data",
    operationId: "exportMyData",
    summary: "Download everything we hold about you and everything you wrote, as JSON",
    description:
      "A JSON attachment (MyDataExport): profile, circles, your part in sessions (roles, airtime, your questions), your notes, commitments, insights, pulses, protected time, nudge settings, calendar subscriptions, program enrolments, your format copies and meeting links. Other members' words are not included (see notIncluded).",
    tags: ["privacy"],
    auth: true,
    request: { query: NoQuerySchema },
    responses: { 200: { schema: MyDataExportSchema, description: "Your data (Content-Disposition: attachment)" } },
    handler: async ({ caller }) => {
      const body = await privacy.export(caller);
      const day = body.exportedAt.slice(0, 10);
      return {
        status: 200,
        headers: { "Content-Disposition": `attachment; filename="coaching-circles-my-data-${day}.json"`, "Cache-Control": "no-store" },
        body,
      };
    },
  });

  defineRoute(api, {
    method: "delete",
    path: "/api/me/data",
    operationId: "deleteMyData",
    summary: "Delete your data: your words and settings go, totals stay without you",
    description: `Needs { "confirm": "${DELETE_CONFIRMATION}" }. The store part runs in one transaction; then the protected blocks we put on your calendar are removed, the calendar subscription is deleted and the series of circles you leave drop you as attendee (best effort, reported in microsoft365.problems). Repeating the request is harmless.`,
    tags: ["privacy"],
    auth: true,
    request: { query: NoQuerySchema, body: DeleteMyDataBodySchema },
    responses: { 200: DeleteMyDataResultSchema },
    handler: async ({ caller }) => ({ status: 200, headers: { "Cache-Control": "no-store" }, body: await privacy.delete(caller) }),
  });
}
