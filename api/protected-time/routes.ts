import { CircleIdParamsSchema } from "../circles/schemas";
import { defineRoute, type ApiRoutes } from "../http";
import { ProtectedTimeSettingsBodySchema, ProtectedTimeViewSchema, SyncResultSchema } from "./schemas";
import type { ProtectedTimeService } from "./service";

/** Protected time (issue #5 part 1). Circle-scoped routes answer 404 to non-members. */
export function registerProtectedTimeRoutes(api: ApiRoutes, service: ProtectedTimeService): void {
  defineRoute(api, {
    method: "get",
    path: "/api/circles/{circleId}/protected-time",
    operationId: "getProtectedTimeSettings",
    summary: "Your prep and reflection settings for the circle, and your upcoming blocks",
    tags: ["protected-time"],
    auth: true,
    request: { params: CircleIdParamsSchema },
    responses: { 200: ProtectedTimeViewSchema },
    handler: async ({ caller, params }) => ({ status: 200, body: await service.getSettings(caller, params.circleId) }),
  });

  defineRoute(api, {
    method: "put",
    path: "/api/circles/{circleId}/protected-time",
    operationId: "updateProtectedTimeSettings",
    summary: "Change your prep/reflection minutes or opt out; your calendar follows",
    tags: ["protected-time"],
    auth: true,
    request: { params: CircleIdParamsSchema, body: ProtectedTimeSettingsBodySchema },
    responses: { 200: ProtectedTimeViewSchema },
    handler: async ({ caller, params, body }) => ({ status: 200, body: await service.updateSettings(caller, params.circleId, body) }),
  });

  defineRoute(api, {
    method: "post",
    path: "/api/protected-time/sync",
    operationId: "syncMyProtectedTime",
    summary: "Put (or move, or remove) your prep and reflection blocks for every circle you are in",
    tags: ["protected-time"],
    auth: true,
    responses: { 200: SyncResultSchema },
    handler: async ({ caller }) => ({ status: 200, body: await service.syncMine(caller) }),
  });
}
