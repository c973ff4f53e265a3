import { OpenApiGeneratorV3 } from "@asteasolutions/zod-to-openapi";
import type { ApiRoutes } from "./api-routes";
import { defineRoute } from "./define-route";
import { z } from "./zod";

export type OpenApiDocument = ReturnType<OpenApiGeneratorV3["generateDocument"]>;

export function generateOpenApiDocument(api: ApiRoutes, info: { version: string; serverUrl?: string }): OpenApiDocument {
  return new OpenApiGeneratorV3(api.registry.definitions).generateDocument({
    openapi: "3.0.3",
    info: {
      title: "Coaching Circles API",
      version: info.version,
      description: "Every error answers `{ error: { code, message } }`. Generated from the zod schemas the API validates with.",
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
  });
}

/** `GET /api/openapi.json`: generated on demand from the registry, cached while no route is added. */
export function registerOpenApiRoute(api: ApiRoutes, info: { version: string; serverUrl?: string }): void {
  let cached: { size: number; doc: OpenApiDocument } | undefined;
  defineRoute(api, {
    method: "get",
    path: "/api/openapi.json",
    operationId: "getOpenApiDocument",
    summary: "This API's OpenAPI 3 document",
    tags: ["meta"],
    auth: false,
    responses: { 200: z.record(z.string(), z.unknown()).openapi({ description: "OpenAPI 3.0 document" }) },
    handler: () => {
      const size = api.registry.definitions.length;
      if (!cached || cached.size !== size) cached = { size, doc: generateOpenApiDocument(api, info) };
      return { status: 200, body: cached.doc as unknown as Record<string, unknown> };
    },
  });
}
