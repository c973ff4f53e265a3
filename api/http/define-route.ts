import type { ResponseConfig, RouteConfig } from "@asteasolutions/zod-to-openapi";
import type { Request, Response } from "express";
import type { input as ZodInput, output as ZodOutput, ZodObject, ZodType } from "zod";
import type { CallerIdentity } from "../auth/identity";
import { describeZodError } from "../shared/error-middleware";
import { AppError } from "../shared/errors";
import { BEARER_SCHEME, type ApiRoutes } from "./api-routes";
import { ErrorEnvelopeSchema } from "./error-schema";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

/** A response: a JSON zod schema, `null` for no body (204), or a schema with another content type. */
export type ResponseSpec = ZodType | null | { schema: ZodType | null; description?: string; contentType?: string };
export type ResponsesSpec = Record<number, ResponseSpec>;

type SchemaOf<S> = S extends { schema: infer T } ? T : S;
type BodyOf<S> = SchemaOf<S> extends ZodType ? ZodInput<SchemaOf<S>> : undefined;
type Parsed<S> = S extends ZodType ? ZodOutput<S> : Record<string, never>;

/** Returned by a handler that wrote the response itself (streams, server-sent events). */
export const RESPONSE_SENT: unique symbol = Symbol("response-sent");

/** What a handler returns: one of the declared statuses with a body matching its schema. */
export type Reply<R extends ResponsesSpec> =
  | { [S in keyof R & number]: { status: S; headers?: Record<string, string> } & (BodyOf<R[S]> extends undefined ? { body?: undefined } : { body: BodyOf<R[S]> }) }[keyof R & number]
  | typeof RESPONSE_SENT;

export interface HandlerContext<A extends boolean, P, Q, B> {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
  /** The verified caller; always set when `auth: true`. */
  caller: A extends true ? CallerIdentity : undefined;
  req: Request;
  res: Response;
}

export interface RouteSpec<A extends boolean, P extends ZodObject | undefined, Q extends ZodObject | undefined, B extends ZodType | undefined, R extends ResponsesSpec> {
  method: HttpMethod;
  /** OpenAPI-style path including /api, e.g. "/api/circles/{circleId}". */
  path: string;
  /** Unique, camelCase verb phrase: the front end's typed client uses it as the function name. */
  operationId: string;
  summary: string;
  description?: string;
  /** Defaults to the path segment after /api, e.g. "circles". */
  tags?: string[];
  /** true: a valid bearer token is required (401 otherwise) and `caller` is set. */
  auth: A;
  request?: { params?: P; query?: Q; body?: B };
  responses: R;
  // NoInfer: R comes from `responses` alone, so `status: 200` in a reply stays the literal 200.
  handler: (ctx: HandlerContext<A, P, Q, B>) => Promise<Reply<NoInfer<R>>> | Reply<NoInfer<R>>;
}

const STATUS_TEXT: Record<number, string> = { 200: "OK", 201: "Created", 202: "Accepted", 204: "No content" };

function normalise(spec: ResponseSpec): { schema: ZodType | null; description?: string; contentType: string } {
  if (spec === null || isZodType(spec)) return { schema: spec, contentType: "application/json" };
  return { schema: spec.schema, description: spec.description, contentType: spec.contentType ?? "application/json" };
}

function isZodType(value: unknown): value is ZodType {
  return typeof value === "object" && value !== null && "safeParse" in value && typeof (value as ZodType).safeParse === "function";
}

function parseOrThrow<S extends ZodType>(schema: S | undefined, value: unknown, where: string): unknown {
  if (!schema) return {};
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw new AppError("bad_request", describeZodError(result.error, where), { cause: result.error });
  return result.data;
}

/**
 * Declares one API operation: registers it in the OpenAPI registry (so /api/openapi.json
 * documents it) and mounts it on the router with authentication and validation in front of it.
 * Bad input answers 400 (401 for a bad token when `auth: true`) and the handler never runs.
 * Responses are checked against their schema too (unknown keys are stripped), so the
 * document never lies.
 *
 * @example
 * // api/circles/routes.ts
 * export function registerCircleRoutes(api: ApiRoutes, deps: { db: Db }) {
 *   defineRoute(api, {
 *     method: "get",
 *     path: "/api/circles/{circleId}",
 *     operationId: "getCircle",
 *     summary: "One circle the caller belongs to",
 *     auth: true,
 *     request: { params: z.object({ circleId: z.uuid() }) },
 *     responses: { 200: CircleSchema },
 *     handler: async ({ params, caller }) => ({ status: 200, body: await getCircleOrThrow(deps.db, caller, params.circleId) }),
 *   });
 * }
 *
 * @throws Error at definition time for a duplicate operationId or method + path.
 */
export function defineRoute<
  A extends boolean,
  P extends ZodObject | undefined = undefined,
  Q extends ZodObject | undefined = undefined,
  B extends ZodType | undefined = undefined,
  R extends ResponsesSpec = ResponsesSpec,
>(api: ApiRoutes, spec: RouteSpec<A, P, Q, B, R>): void {
  const key = `${spec.method} ${spec.path}`;
  if (!spec.path.startsWith("/api/")) throw new Error(`defineRoute: path must start with /api/ (${key})`);
  if (api.taken.has(key)) throw new Error(`defineRoute: ${key} is already defined`);
  if (api.taken.has(`operationId:${spec.operationId}`)) throw new Error(`defineRoute: operationId ${spec.operationId} is already used`);
  api.taken.add(key);
  api.taken.add(`operationId:${spec.operationId}`);

  const responses = Object.fromEntries(Object.entries(spec.responses).map(([status, r]) => [Number(status), normalise(r as ResponseSpec)]));
  api.registry.registerPath(toOpenApi(spec, responses));

  const expressPath = spec.path.replace(/\{([A-Za-z0-9_]+)\}/g, ":$1");
  const { params, query, body } = spec.request ?? {};
  const handlers = spec.auth ? [api.authenticate] : [];
  api.router[spec.method](expressPath, ...handlers, async (req, res) => {
    const ctx = {
      params: parseOrThrow(params, req.params, "params"),
      query: parseOrThrow(query, req.query, "query"),
      body: body ? parseOrThrow(body, req.body, "body") : undefined,
      caller: res.locals.caller,
      req,
      res,
    } as HandlerContext<A, P, Q, B>;
    const reply = await spec.handler(ctx);
    if (reply === RESPONSE_SENT) return;
    const declared = responses[reply.status];
    if (!declared) throw new AppError("internal", `${spec.operationId} answered undeclared status ${reply.status}.`);
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
    if (declared.schema === null) {
      res.status(reply.status).end();
      return;
    }
    const checked = declared.schema.safeParse(reply.body);
    if (!checked.success) {
      throw new AppError("internal", `${spec.operationId} produced a response that does not match its schema.`, { cause: checked.error });
    }
    if (declared.contentType === "application/json") res.status(reply.status).json(checked.data);
    else res.status(reply.status).type(declared.contentType).send(checked.data);
  });
}

interface OperationSpec {
  method: HttpMethod;
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags?: string[];
  auth: boolean;
  request?: { params?: ZodObject; query?: ZodObject; body?: ZodType };
}

function toOpenApi(
  spec: OperationSpec,
  responses: Record<number, ReturnType<typeof normalise>>,
): RouteConfig {
  const errorResponse = (description: string): ResponseConfig => ({ description, content: { "application/json": { schema: ErrorEnvelopeSchema } } });
  const out: RouteConfig["responses"] = {};
  for (const [status, r] of Object.entries(responses)) {
    out[status] = {
      description: r.description ?? STATUS_TEXT[Number(status)] ?? `HTTP ${status}`,
      ...(r.schema ? { content: { [r.contentType]: { schema: r.schema } } } : {}),
    };
  }
  const { params, query, body } = spec.request ?? {};
  if ((params || query || body) && !out["400"]) out["400"] = errorResponse("Invalid request: the message names each invalid field.");
  if (spec.auth && !out["401"]) out["401"] = errorResponse("Missing or invalid bearer token.");
  out["default"] = errorResponse("Error envelope; switch on error.code.");

  const tag = spec.path.split("/")[2] ?? "api";
  return {
    method: spec.method,
    path: spec.path,
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: spec.tags ?? [tag],
    security: spec.auth ? [{ [BEARER_SCHEME]: [] }] : [],
    request: {
      ...(params ? { params } : {}),
      ...(query ? { query } : {}),
      ...(body ? { body: { required: true, content: { "application/json": { schema: body } } } } : {}),
    },
    responses: out,
  };
}
