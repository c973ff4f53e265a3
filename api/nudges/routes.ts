import { defineRoute, type ApiRoutes } from "../http";
import { NudgeSettingsSchema, UpdateNudgeSettingsBodySchema } from "./schemas";
import type { NudgeService } from "./service";

/** Each person's nudge switches (issue #5 part 3). Only ever the caller's own: no route names another person. */
export function registerNudgeRoutes(api: ApiRoutes, service: NudgeService): void {
  defineRoute(api, {
    method: "get",
    path: "/api/me/nudges",
    operationId: "getNudgeSettings",
    summary: "Which nudges you get in your Teams activity feed",
    tags: ["nudges"],
    auth: true,
    responses: { 200: NudgeSettingsSchema },
    handler: async ({ caller }) => ({ status: 200, body: await service.getSettings(caller) }),
  });

  defineRoute(api, {
    method: "patch",
    path: "/api/me/nudges",
    operationId: "updateNudgeSettings",
    summary: "Switch any of your nudges on or off; the ones you leave out stay as they are",
    tags: ["nudges"],
    auth: true,
    request: { body: UpdateNudgeSettingsBodySchema },
    responses: { 200: NudgeSettingsSchema },
    handler: async ({ caller, body }) => ({ status: 200, body: await service.updateSettings(caller, body) }),
  });
}
