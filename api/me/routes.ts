import type { GraphFactory } from "../graph";
import { defineRoute, type ApiRoutes } from "../http";
import type { Db } from "../storage";
import { MeSchema } from "./schemas";
import { getMe } from "./service";

export function registerMeRoutes(api: ApiRoutes, deps: { db: Db; graph: GraphFactory; clock: () => Date }): void {
  defineRoute(api, {
    method: "get",
    path: "/api/me",
    operationId: "getMe",
    summary: "The signed-in user's profile and time zone",
    auth: true,
    responses: { 200: MeSchema },
    handler: async ({ caller }) => ({ status: 200, body: await getMe(deps, caller) }),
  });
}
