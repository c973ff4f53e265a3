export { createApiRoutes, BEARER_SCHEME } from "./api-routes";
export type { ApiRoutes } from "./api-routes";
export { defineRoute, RESPONSE_SENT } from "./define-route";
export type { HandlerContext, HttpMethod, Reply, ResponseSpec, ResponsesSpec, RouteSpec } from "./define-route";
export { generateOpenApiDocument, registerOpenApiRoute } from "./openapi";
export type { OpenApiDocument } from "./openapi";
export { ErrorEnvelopeSchema } from "./error-schema";
export { z } from "./zod";
