import { defineRoute, type ApiRoutes } from "../http";
import type { Db } from "../storage";
import { CircleListSchema } from "./schemas";
import { listMyCircles } from "./service";

export function registerCircleRoutes(api: ApiRoutes, deps: { db: Db }): void {
  defineRoute(api, {
    method: "get",
    path: "/api/circles",
    operationId: "listMyCircles",
    summary: "Circles the signed-in user belongs to",
    auth: true,
    responses: { 200: CircleListSchema },
    handler: async ({ caller }) => ({ status: 200, body: { circles: await listMyCircles(deps, caller) } }),
  });
}
