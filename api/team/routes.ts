import type { GraphFactory } from "../graph";
import { defineRoute, type ApiRoutes } from "../http";
import type { Logger } from "../shared/logger";
import type { Db } from "../storage";
import { TeamHealthQuerySchema, TeamHealthSchema } from "./schemas";
import { getTeamHealth } from "./service";

export function registerTeamRoutes(api: ApiRoutes, deps: { db: Db; graph: GraphFactory; clock: () => Date; threshold: number; logger?: Logger }): void {
  defineRoute(api, {
    method: "get",
    path: "/api/team",
    operationId: "getTeamHealth",
    summary: "The caller's team: protected coaching hours per week, sessions held vs planned, commitment completion, circles at risk",
    description:
      "Aggregates over the caller's direct reports (Graph /me/directReports) only, and only when at least `threshold` of them take part " +
      "in coaching circles (TEAM_MIN_PARTICIPANTS, default 5, never below 3). Otherwise, and for someone with no reports, " +
      "`status: hidden` with the reason. Never names, ids, circle names or session content.",
    auth: true,
    request: { query: TeamHealthQuerySchema },
    responses: { 200: TeamHealthSchema },
    handler: async ({ caller, query }) => ({ status: 200, body: await getTeamHealth(deps, caller, { weeks: query.weeks }) }),
  });
}
