import { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import express, { type RequestHandler, type Router } from "express";
import { ErrorEnvelopeSchema } from "./error-schema";

/**
 * Where domain modules put their routes: an Express router plus the OpenAPI registry that
 * /api/openapi.json is generated from. Created once per app by createApp; routes are added
 * with defineRoute(api, {...}) (./define-route.ts).
 */
export interface ApiRoutes {
  readonly router: Router;
  readonly registry: OpenAPIRegistry;
  /** Verifies the bearer token and sets `res.locals.caller`; answers 401 otherwise. */
  readonly authenticate: RequestHandler;
  /** "get /api/circles/{circleId}" and operation ids already taken, to fail fast on duplicates. */
  readonly taken: Set<string>;
}

export const BEARER_SCHEME = "bearerAuth";

export function createApiRoutes(opts: { authenticate: RequestHandler; jsonLimit?: string }): ApiRoutes {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", BEARER_SCHEME, {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "Microsoft Entra ID (Teams SSO) access token for this API, scope access_as_user.",
  });
  registry.register("ErrorEnvelope", ErrorEnvelopeSchema);
  const router = express.Router();
  router.use("/api", express.json({ limit: opts.jsonLimit ?? "256kb" }));
  return { router, registry, authenticate: opts.authenticate, taken: new Set() };
}
