import type { GraphFactory } from "../graph";
import { defineRoute, type ApiRoutes } from "../http";
import { PeopleListSchema, SearchPeopleQuerySchema } from "./schemas";
import { searchPeople } from "./service";

export function registerPeopleRoutes(api: ApiRoutes, deps: { graph: GraphFactory }): void {
  defineRoute(api, {
    method: "get",
    path: "/api/people",
    operationId: "searchPeople",
    summary: "Directory people whose name or address starts with q (the people picker)",
    auth: true,
    request: { query: SearchPeopleQuerySchema },
    responses: { 200: PeopleListSchema },
    handler: async ({ caller, query }) => ({ status: 200, body: { people: await searchPeople(deps.graph.forUser(caller), query.q) } }),
  });
}
