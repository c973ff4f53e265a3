import { z } from "zod";
import { invalidResponse } from "./errors";
import { errorFromResponse, parseBody } from "./responses";
import { RETRIABLE_STATUSES, backoffDelay, parseRetryAfter, type RetryPolicy } from "./retry";
import { assertRelativePath } from "./urls";

/**
 * JSON `$batch` (https://learn.microsoft.com/graph/json-batching): at most 20 requests per batch;
 * `dependsOn` orders requests and must stay inside one batch. A throttled item comes back as a
 * 429 INSIDE a 200 batch response, which no HTTP middleware sees, so items are retried here.
 */

/** Graph's per-batch limit. */
export const MAX_BATCH_SIZE = 20;

export type BatchMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface BatchRequest {
  /** Unique within the call; results come back under the same id. */
  id: string;
  method: BatchMethod;
  /** Relative to the version root, e.g. "/me/events" or "/users/{id}/calendar/getSchedule". */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Ids of requests that must run first (and be in the same call). */
  dependsOn?: readonly string[];
}

export interface BatchResult {
  id: string;
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: unknown;
}

/** What goes over the wire for one item. */
export interface WireRequest {
  id: string;
  method: BatchMethod;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  dependsOn?: string[];
}

const BatchResponseSchema = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number().int(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  ),
});

/** How a batch's items count against Outlook's per-mailbox concurrency. */
export interface MailboxSplit {
  /** The mailbox an item's URL counts against (Outlook items), undefined for other services. */
  mailboxOf(url: string): string | undefined;
  /** Items one batch may carry per mailbox: Outlook runs at most this many at once (4). */
  maxPerMailbox: number;
}

/**
 * Splits requests into batches of ≤ 20, keeping every `dependsOn`-connected group in one batch
 * (first fit, in input order). With `split`, a batch also carries at most `maxPerMailbox`
 * Outlook items per mailbox (Graph runs a batch's items side by side and counts each against the
 * mailbox's 4 concurrent requests, so a 5th would come back 429); a single connected group over
 * that travels alone. Throws a RangeError for duplicate ids, unknown or circular dependencies,
 * or a connected group larger than 20.
 */
export function planBatchChunks(requests: readonly BatchRequest[], split?: MailboxSplit): BatchRequest[][] {
  const byId = new Map<string, BatchRequest>();
  for (const request of requests) {
    if (request.id === "") throw new RangeError("$batch request ids must not be empty.");
    if (byId.has(request.id)) throw new RangeError(`Duplicate $batch request id "${request.id}".`);
    assertRelativePath(request.url);
    byId.set(request.id, request);
  }
  for (const request of requests) {
    for (const dep of request.dependsOn ?? []) {
      if (!byId.has(dep)) throw new RangeError(`$batch request "${request.id}" depends on unknown request "${dep}".`);
    }
  }
  assertAcyclic(requests, byId);

  // Union-find over dependsOn edges: each root names one group that must travel together.
  const parent = new Map<string, string>(requests.map((r) => [r.id, r.id]));
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(id, root);
    return root;
  };
  for (const request of requests) {
    for (const dep of request.dependsOn ?? []) parent.set(find(request.id), find(dep));
  }
  const groups = new Map<string, BatchRequest[]>();
  for (const request of requests) {
    const root = find(request.id);
    const group = groups.get(root) ?? [];
    group.push(request);
    groups.set(root, group);
  }

  const mailboxCounts = (items: readonly BatchRequest[]): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const item of items) {
      const mailbox = split?.mailboxOf(item.url);
      if (mailbox !== undefined) counts.set(mailbox, (counts.get(mailbox) ?? 0) + 1);
    }
    return counts;
  };
  const chunks: Array<{ items: BatchRequest[]; perMailbox: Map<string, number> }> = [];
  for (const group of groups.values()) {
    if (group.length > MAX_BATCH_SIZE) {
      throw new RangeError(`A dependsOn chain of ${group.length} requests (starting "${group[0]?.id}") exceeds the $batch limit of ${MAX_BATCH_SIZE}.`);
    }
    const needs = mailboxCounts(group);
    const fits = (c: { items: BatchRequest[]; perMailbox: Map<string, number> }) =>
      c.items.length + group.length <= MAX_BATCH_SIZE && [...needs].every(([mailbox, n]) => (c.perMailbox.get(mailbox) ?? 0) + n <= (split?.maxPerMailbox ?? Infinity));
    const chunk = chunks.find(fits);
    if (chunk) {
      chunk.items.push(...group);
      for (const [mailbox, n] of needs) chunk.perMailbox.set(mailbox, (chunk.perMailbox.get(mailbox) ?? 0) + n);
    } else chunks.push({ items: [...group], perMailbox: needs });
  }
  // Keep input order inside each batch (Graph runs independent items in any order anyway).
  const position = new Map(requests.map((r, i) => [r.id, i]));
  return chunks.map((c) => c.items.sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0)));
}

function assertAcyclic(requests: readonly BatchRequest[], byId: ReadonlyMap<string, BatchRequest>): void {
  const state = new Map<string, "visiting" | "done">();
  const visit = (id: string, trail: string[]): void => {
    const seen = state.get(id);
    if (seen === "done") return;
    if (seen === "visiting") throw new RangeError(`Circular $batch dependsOn: ${[...trail, id].join(" → ")}.`);
    state.set(id, "visiting");
    for (const dep of byId.get(id)?.dependsOn ?? []) visit(dep, [...trail, id]);
    state.set(id, "done");
  };
  for (const request of requests) visit(request.id, []);
}

function toWire(request: BatchRequest, resending: ReadonlySet<string>): WireRequest {
  const wire: WireRequest = { id: request.id, method: request.method, url: request.url };
  if (request.body !== undefined) {
    wire.body = request.body;
    // Graph rejects an item with a body but no Content-Type.
    const hasContentType = Object.keys(request.headers ?? {}).some((h) => h.toLowerCase() === "content-type");
    wire.headers = hasContentType ? { ...request.headers } : { ...request.headers, "Content-Type": "application/json" };
  } else if (request.headers !== undefined) {
    wire.headers = { ...request.headers };
  }
  // On a re-send, dependencies that already succeeded are not in the batch any more.
  const dependsOn = (request.dependsOn ?? []).filter((dep) => resending.has(dep));
  if (dependsOn.length > 0) wire.dependsOn = dependsOn;
  return wire;
}

function lowerCaseHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

export interface BatchDeps {
  /** POSTs `{ requests }` to /$batch (with the normal HTTP retry) and returns the parsed JSON body. */
  send(requests: WireRequest[]): Promise<unknown>;
  policy: RetryPolicy;
  /** Keeps each HTTP batch within Outlook's per-mailbox concurrency (see planBatchChunks). */
  split?: MailboxSplit;
}

/**
 * Sends the requests in batches of ≤ 20 and returns one result per request, in input order.
 * Items answered 429/503/504 inside the batch are re-sent (only they, plus dependents that failed
 * with 424 because of them) after the longest Retry-After among them, up to `maxRetries` rounds;
 * after that their last answer is returned as is (read it with {@link readBatchItemOrThrow}).
 *
 * Batches go one after another: Outlook counts every inner request against the mailbox's
 * 4-concurrent limit, and `send` holds a limiter slot per Outlook item while a batch runs.
 * Throws GraphRequestError when a batch request itself fails, RangeError for an invalid plan.
 */
export async function runBatch(requests: readonly BatchRequest[], deps: BatchDeps): Promise<BatchResult[]> {
  const results = new Map<string, BatchResult>();
  for (const chunk of planBatchChunks(requests, deps.split)) {
    await runChunk(chunk, deps, results);
  }
  return requests.map((request) => {
    const result = results.get(request.id);
    if (result === undefined) throw invalidResponse(`Graph's $batch response has no answer for request "${request.id}".`);
    return result;
  });
}

async function runChunk(chunk: readonly BatchRequest[], deps: BatchDeps, results: Map<string, BatchResult>): Promise<void> {
  let pending: readonly BatchRequest[] = chunk;
  for (let round = 0; ; round += 1) {
    const ids = new Set(pending.map((r) => r.id));
    const raw = await deps.send(pending.map((r) => toWire(r, ids)));
    const body = parseBody(BatchResponseSchema, raw, "POST /$batch");
    for (const item of body.responses) {
      if (!ids.has(item.id)) continue;
      results.set(item.id, { id: item.id, status: item.status, headers: lowerCaseHeaders(item.headers), body: item.body });
    }
    const missing = pending.find((r) => !body.responses.some((item) => item.id === r.id));
    if (missing) throw invalidResponse(`Graph's $batch response has no answer for request "${missing.id}".`);

    const throttled = pending.filter((r) => RETRIABLE_STATUSES.has(results.get(r.id)?.status ?? 0));
    if (throttled.length === 0 || round >= deps.policy.maxRetries) return;

    const waits = throttled.map((r) => parseRetryAfter(results.get(r.id)?.headers["retry-after"]));
    const known = waits.filter((w): w is number => w !== undefined);
    const waitMs = known.length > 0 ? Math.max(...known) : backoffDelay(round, deps.policy);
    if (waitMs > deps.policy.maxRetryAfterMs) return;

    const resend = new Set(throttled.map((r) => r.id));
    // Dependents Graph skipped (424 Failed Dependency) because a throttled item failed go again too.
    for (let grew = true; grew; ) {
      grew = false;
      for (const request of pending) {
        if (resend.has(request.id) || results.get(request.id)?.status !== 424) continue;
        if ((request.dependsOn ?? []).some((dep) => resend.has(dep))) {
          resend.add(request.id);
          grew = true;
        }
      }
    }
    await deps.policy.sleep(waitMs);
    pending = pending.filter((r) => resend.has(r.id));
  }
}

/**
 * The body of a successful batch item validated by `schema`; a failed item (including one still
 * throttled after the retries) becomes a GraphRequestError with Graph's code and Retry-After.
 */
export function readBatchItemOrThrow<T>(result: BatchResult, schema: z.ZodType<T>, what = `$batch item "${result.id}"`): T {
  if (result.status < 200 || result.status >= 300) {
    throw errorFromResponse({ status: result.status, header: (name) => result.headers[name.toLowerCase()], body: result.body }, what);
  }
  return parseBody(schema, result.body, what);
}
