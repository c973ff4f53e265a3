import { sql } from "kysely";
import type { AppConfig } from "../config";
import { defineRoute, type ApiRoutes } from "../http";
import { storageEngineOf, type Db } from "../storage";
import { AppError } from "../shared/errors";
import { HealthSchema } from "./schemas";

/** `GET /api/health`: no auth; 503 when the database does not answer (App Service health probe). */
export function registerHealthRoutes(api: ApiRoutes, deps: { config: AppConfig; db: Db; version: string }): void {
  const storage = storageEngineOf(deps.db);
  defineRoute(api, {
    method: "get",
    path: "/api/health",
    operationId: "getHealth",
    summary: "Liveness, mode and storage engine",
    auth: false,
    responses: { 200: HealthSchema },
    handler: async () => {
      try {
        await sql`select 1`.execute(deps.db);
      } catch (err) {
        throw new AppError("service_unavailable", "The database is not answering.", { cause: err });
      }
      return {
        status: 200,
        body: {
          status: "ok" as const,
          mode: deps.config.mode,
          storage,
          graphBaseUrl: deps.config.graphBaseUrl,
          ...(deps.config.mode === "sandbox" && deps.config.sandboxUrl ? { sandboxUrl: deps.config.sandboxUrl } : {}),
          version: deps.version,
        },
      };
    },
  });
}
