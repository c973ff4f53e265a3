import type express from "express";
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import { badRequest, graphErrorBody } from "./errors.js";
import { dispatchInProcess, type InnerResponse, type NodeHandler } from "./dispatch.js";
import { locals } from "./locals.js";

/** JSON batching (learn.microsoft.com/graph/json-batching): at most 20 requests per batch. */
export const MAX_BATCH_REQUESTS = 20;

const BatchItemZ = z.object({
  id: z.string().min(1),
  method: z.string().regex(/^(get|post|patch|put|delete)$/i, "must be GET, POST, PATCH, PUT or DELETE"),
  url: z.string().min(1),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
  dependsOn: z.array(z.string()).optional(),
});
const BatchBodyZ = z.object({ requests: z.array(BatchItemZ) });
type BatchItem = z.infer<typeof BatchItemZ>;

export interface BatchResponseItem {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const DROPPED_HEADERS = new Set(["x-powered-by", "content-length", "connection", "keep-alive", "date", "vary", "etag"]);

export interface BatchDeps {
  /** The whole sandbox app: items go through the same middleware as top-level requests. */
  app: () => NodeHandler;
  /** Marks item requests so stats count only the outer request. */
  markInner: (req: IncomingMessage) => void;
  onItems: (n: number) => void;
}

/** `POST /v1.0/$batch` (mounted after auth, so the outer token is already verified). */
export function createBatchHandler(deps: BatchDeps) {
  return async (req: express.Request, res: express.Response): Promise<void> => {
    const parsed = BatchBodyZ.safeParse(req.body);
    if (!parsed.success) throw badRequest(`Invalid batch payload: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    const items = parsed.data.requests;
    if (items.length === 0) throw badRequest("Invalid batch payload: 'requests' must hold at least one request.");
    if (items.length > MAX_BATCH_REQUESTS) throw badRequest(`Invalid batch payload: a batch holds at most ${MAX_BATCH_REQUESTS} requests, got ${items.length}.`);
    const byId = new Map<string, BatchItem>();
    for (const item of items) {
      if (byId.has(item.id)) throw badRequest(`Invalid batch payload: duplicate request id '${item.id}'.`);
      byId.set(item.id, item);
    }
    for (const item of items) {
      for (const dep of item.dependsOn ?? []) {
        if (!byId.has(dep) || dep === item.id) throw badRequest(`Invalid batch payload: request '${item.id}' depends on unknown request '${dep}'.`);
      }
      if (/^https?:/i.test(item.url)) throw badRequest(`Invalid batch payload: request '${item.id}' must use a relative URL such as /me/events.`);
      if (item.body !== undefined && !Object.keys(item.headers ?? {}).some((h) => h.toLowerCase() === "content-type")) {
        throw badRequest(`Invalid batch payload: request '${item.id}' has a body but no Content-Type header.`);
      }
    }
    const order = topologicalOrder(items);
    deps.onItems(items.length);

    const authorization = req.headers.authorization ?? "";
    const requestId = locals(res).requestId;
    const running = new Map<string, Promise<BatchResponseItem>>();
    for (const item of order) {
      const deps_ = (item.dependsOn ?? []).map((d) => running.get(d)!);
      running.set(
        item.id,
        (async () => {
          const before = await Promise.all(deps_);
          const failed = before.find((r) => r.status >= 400);
          if (failed) {
            return {
              id: item.id,
              status: 424,
              headers: { "content-type": "application/json" },
              body: graphErrorBody("FailedDependency", `The request depends on request '${failed.id}', which failed with status ${failed.status}.`, requestId),
            };
          }
          return toBatchResponse(item.id, await runItem(deps, item, authorization));
        })(),
      );
    }
    const responses = await Promise.all(items.map((i) => running.get(i.id)!));
    res.status(200).json({ responses });
  };
}

async function runItem(deps: BatchDeps, item: BatchItem, authorization: string): Promise<InnerResponse> {
  const headers: Record<string, string> = { ...(item.headers ?? {}), authorization };
  const body = item.body === undefined ? undefined : Buffer.from(typeof item.body === "string" ? item.body : JSON.stringify(item.body));
  const url = `/v1.0${item.url.startsWith("/") ? "" : "/"}${item.url}`;
  return dispatchInProcess(deps.app(), { method: item.method, url, headers, ...(body ? { body } : {}) }, deps.markInner);
}

function toBatchResponse(id: string, r: InnerResponse): BatchResponseItem {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) if (!DROPPED_HEADERS.has(k.toLowerCase()) && !k.startsWith("access-control-")) headers[k] = v;
  const out: BatchResponseItem = { id, status: r.status, headers };
  if (r.body.length > 0) {
    const text = r.body.toString("utf8");
    if ((r.headers["content-type"] ?? "").includes("json")) {
      try {
        out.body = JSON.parse(text);
      } catch {
        out.body = text;
      }
    } else out.body = text;
  }
  return out;
}

/** Kahn's algorithm; a cycle in dependsOn is a 400 like any malformed batch. */
function topologicalOrder(items: BatchItem[]): BatchItem[] {
  const remaining = new Map(items.map((i) => [i.id, new Set(i.dependsOn ?? [])]));
  const out: BatchItem[] = [];
  while (remaining.size > 0) {
    const ready = items.filter((i) => remaining.get(i.id)?.size === 0);
    if (ready.length === 0) throw badRequest("Invalid batch payload: the dependsOn references form a cycle.");
    for (const item of ready) {
      out.push(item);
      remaining.delete(item.id);
      for (const deps of remaining.values()) deps.delete(item.id);
    }
  }
  return out;
}
