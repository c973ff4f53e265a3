import { defineRoute, type ApiRoutes } from "../http";
import { createProgramHealthService, type ProgramHealthDeps } from "./health";
import { ProgramHealthCsvSchema, ProgramHealthQuerySchema, ProgramHealthSchema, ProgramListSchema } from "./health-schemas";
import { ProgramParamsSchema } from "./schemas-http";

const AGGREGATES_ONLY =
  "Aggregates over the people enrolled in the program who take part in its booked circles, and only when at least `threshold` of them do " +
  "(TEAM_MIN_PARTICIPANTS, default 5, never below 3); otherwise `status: hidden` with the reason. Never names, ids, circle names or session content. " +
  "Only the program's owner: anyone else gets 404.";

/** The program owner's list and health dashboard (issue #5 part 5). */
export function registerProgramHealthRoutes(api: ApiRoutes, deps: ProgramHealthDeps): void {
  const health = createProgramHealthService(deps);

  defineRoute(api, {
    method: "get",
    path: "/api/programs",
    operationId: "listPrograms",
    summary: "The programs the caller owns, newest first",
    tags: ["programs"],
    auth: true,
    responses: { 200: ProgramListSchema },
    handler: async ({ caller }) => ({ status: 200, body: { programs: await health.listPrograms(caller) } }),
  });

  defineRoute(api, {
    method: "get",
    path: "/api/programs/{programId}/health",
    operationId: "getProgramHealth",
    summary: "Program health: circles booked and at risk, sessions held vs planned, protected hours per week, commitment completion, pulse, insights shared",
    description: AGGREGATES_ONLY,
    tags: ["programs"],
    auth: true,
    request: { params: ProgramParamsSchema, query: ProgramHealthQuerySchema },
    responses: { 200: ProgramHealthSchema },
    handler: async ({ caller, params, query }) => ({ status: 200, body: await health.getProgramHealth(caller, params.programId, { weeks: query.weeks }) }),
  });

  defineRoute(api, {
    method: "get",
    path: "/api/programs/{programId}/health/export",
    operationId: "exportProgramHealth",
    summary: "Program health as a CSV file (the same figures as getProgramHealth)",
    description: `${AGGREGATES_ONLY} Cells that a spreadsheet would read as a formula are written as text.`,
    tags: ["programs"],
    auth: true,
    request: { params: ProgramParamsSchema, query: ProgramHealthQuerySchema },
    responses: { 200: { schema: ProgramHealthCsvSchema, contentType: "text/csv; charset=utf-8", description: "CSV attachment" } },
    handler: async ({ caller, params, query }) => {
      const file = await health.exportProgramHealth(caller, params.programId, { weeks: query.weeks });
      return {
        status: 200,
        // The file name is ours (a date), never user text, so it needs no header escaping.
        headers: { "Content-Disposition": `attachment; filename="${file.filename}"`, "Cache-Control": "no-store" },
        body: file.csv,
      };
    },
  });
}
