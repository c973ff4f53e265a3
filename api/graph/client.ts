import { Client, ResponseType } from "@microsoft/microsoft-graph-client";
import type { z } from "zod";
import type { CallerIdentity } from "../auth/identity";
import { runBatch, type BatchRequest, type BatchResult } from "./batch";
import { GraphRequestError, invalidResponse } from "./errors";
import { MailboxLimiter, isOutlookRequest, outlookSlots, type MailboxSlots } from "./mailbox-limiter";
import { AuthMiddleware, FetchMiddleware, MailboxLimitMiddleware, RequestState, RetryMiddleware } from "./middleware";
import { errorFromResponse, parseBody } from "./responses";
import { resolveRetryPolicy, type RetryPolicy } from "./retry";
import { GraphMailboxSettingsSchema, GraphProfileSchema, PROFILE_SELECT, pageSchema, toMailboxSettings, type GraphProfile, type MailboxSettings } from "./schemas";
import type { AppGraph, BatchOptions, GraphClient, GraphFactory, GraphFactoryOptions, PageOptions, RequestOptions, UserGraph } from "./types";
import { assertRelativePath, mailboxTargetOf, nextLinkToPath, parseGraphBaseUrl, protectPathFromSdk, type GraphBase } from "./urls";

type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

const DEFAULT_MAX_PAGES = 200;
const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set(["GET", "PUT", "DELETE"]);

/** Who a client acts for, to key the per-mailbox limiter. */
interface MailboxScope {
  tenantId: string;
  caller?: CallerIdentity;
  /** The limiter's per-mailbox limit (Outlook items per HTTP batch). */
  maxPerMailbox?: number;
}

/**
 * The limiter key of a path: tenant + mailbox. `/me` and the caller's own id or UPN share the
 * caller's key; another user's UPN and id get different keys (we cannot map one to the other
 * without a lookup, so those two may together exceed 4). Paths without a mailbox share one key.
 */
export function mailboxKey(path: string, scope: MailboxScope): string {
  const tenant = scope.tenantId.toLowerCase();
  const target = mailboxTargetOf(path);
  const caller = scope.caller;
  const callerKey = caller ? `${tenant}/${caller.userId.toLowerCase()}` : undefined;
  if (target.kind === "me" && callerKey) return callerKey;
  if (target.kind === "user") {
    if (callerKey && caller && (target.user === caller.userId.toLowerCase() || target.user === caller.userPrincipalName.toLowerCase())) return callerKey;
    return `${tenant}/${target.user}`;
  }
  return `${tenant}/*`;
}

function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

class GraphSession implements GraphClient {
  constructor(
    private readonly client: Client,
    protected readonly base: GraphBase,
    private readonly policy: RetryPolicy,
    private readonly scope: MailboxScope,
  ) {}

  get<T>(path: string, schema: z.ZodType<T>, options?: RequestOptions): Promise<T> {
    return this.call("GET", path, undefined, schema, options);
  }

  post<T>(path: string, body: unknown, schema: z.ZodType<T>, options?: RequestOptions): Promise<T>;
  post(path: string, body: unknown, schema?: undefined, options?: RequestOptions): Promise<void>;
  post<T>(path: string, body: unknown, schema?: z.ZodType<T>, options?: RequestOptions): Promise<T | void> {
    return this.call("POST", path, body, schema, options);
  }

  patch<T>(path: string, body: unknown, schema: z.ZodType<T>, options?: RequestOptions): Promise<T>;
  patch(path: string, body: unknown, schema?: undefined, options?: RequestOptions): Promise<void>;
  patch<T>(path: string, body: unknown, schema?: z.ZodType<T>, options?: RequestOptions): Promise<T | void> {
    return this.call("PATCH", path, body, schema, options);
  }

  async delete(path: string, options?: RequestOptions): Promise<void> {
    await this.call("DELETE", path, undefined, undefined, options);
  }

  async getAllPages<T>(path: string, itemSchema: z.ZodType<T>, options: PageOptions = {}): Promise<T[]> {
    const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
    const schema = pageSchema(itemSchema);
    const items: T[] = [];
    const visited = new Set<string>();
    let next: string | undefined = path;
    for (let pages = 0; next !== undefined; pages += 1) {
      if (pages >= maxPages) {
        throw new GraphRequestError({ status: 502, code: "graph_paging_limit", message: `GET ${path.split("?", 1)[0]} has more than ${maxPages} pages; narrow the query or raise maxPages.` });
      }
      visited.add(next);
      const page = await this.call("GET", next, undefined, schema, options);
      items.push(...page.value);
      const link = page["@odata.nextLink"];
      if (link === undefined) break;
      let nextPath: string;
      try {
        nextPath = nextLinkToPath(link, this.base);
      } catch (err) {
        throw invalidResponse(err instanceof Error ? err.message : String(err), err);
      }
      // A nextLink pointing back at a page we read would loop forever.
      if (visited.has(nextPath)) throw invalidResponse(`Graph returned a @odata.nextLink that repeats an earlier page of GET ${path.split("?", 1)[0]}.`);
      next = nextPath;
    }
    return items;
  }

  batch(requests: readonly BatchRequest[], options: BatchOptions = {}): Promise<BatchResult[]> {
    if (requests.length === 0) return Promise.resolve([]);
    // Outlook counts every inner request against the mailbox it addresses: each HTTP batch
    // carries at most 4 Outlook items per mailbox and takes one limiter slot per item (items of
    // other services take none).
    const keyOf = (path: string) => mailboxKey(path, this.scope);
    const maxPerMailbox = this.scope.maxPerMailbox ?? 4;
    const idempotent = options.idempotent ?? requests.every((r) => r.method === "GET");
    return runBatch(requests, {
      policy: this.policy,
      split: { mailboxOf: (url) => (isOutlookRequest(url) ? keyOf(url) : undefined), maxPerMailbox },
      send: (wire) => this.call("POST", "/$batch", { requests: wire }, undefined, { idempotent }, outlookSlots(wire.map((w) => w.url), keyOf), true),
    });
  }

  /**
   * One Graph call through the SDK and our middleware. Resolves to the validated body (or the
   * raw JSON when `rawJson`, or undefined without a schema).
   */
  protected call<T>(method: HttpMethod, path: string, body: unknown, schema: z.ZodType<T>, options?: RequestOptions): Promise<T>;
  protected call(method: HttpMethod, path: string, body: unknown, schema: undefined, options?: RequestOptions): Promise<void>;
  protected call(method: HttpMethod, path: string, body: unknown, schema: undefined, options: RequestOptions, key: MailboxSlots, rawJson: true): Promise<unknown>;
  protected call<T>(method: HttpMethod, path: string, body: unknown, schema: z.ZodType<T> | undefined, options?: RequestOptions, key?: MailboxSlots, rawJson?: boolean): Promise<T | void>;
  protected async call<T>(
    method: HttpMethod,
    path: string,
    body: unknown,
    schema: z.ZodType<T> | undefined,
    options: RequestOptions = {},
    key?: MailboxSlots,
    rawJson = false,
  ): Promise<T | unknown> {
    assertRelativePath(path);
    const what = `${method} ${path.split("?", 1)[0]}`;
    // Only Outlook resources count against a mailbox's 4 concurrent requests; a Teams, directory or
    // To Do request takes no slot (an empty set), as inside a $batch.
    const slots = key ?? outlookSlots([path], (p) => mailboxKey(p, this.scope));
    const state = new RequestState(method, path, slots, options.idempotent ?? IDEMPOTENT_METHODS.has(method));
    let request = this.client.api(protectPathFromSdk(path)).responseType(ResponseType.RAW).middlewareOptions([state]);
    if (options.headers) request = request.headers(options.headers);
    // Serialised here so a string body is sent as a JSON string, like any other value.
    const payload = body === undefined ? undefined : JSON.stringify(body);

    let raw: unknown;
    try {
      switch (method) {
        case "GET":
          raw = await request.get();
          break;
        case "POST":
          raw = await request.post(payload);
          break;
        case "PATCH":
          raw = await request.patch(payload);
          break;
        case "PUT":
          raw = await request.put(payload);
          break;
        case "DELETE":
          raw = await request.delete();
          break;
      }
    } catch (err) {
      // The SDK wraps what our middleware threw; rethrow the original (see RequestState).
      if (state.failed) throw state.failure;
      throw new GraphRequestError({ status: 0, code: "graph_unreachable", message: `Microsoft Graph request failed (${what}): ${err instanceof Error ? err.message : String(err)}`, cause: err });
    }
    if (!(raw instanceof Response)) throw invalidResponse(`The Graph client returned no HTTP response for ${what}.`);

    const text = await raw.text();
    const json = tryParseJson(text);
    if (!raw.ok) {
      throw errorFromResponse({ status: raw.status, header: (name) => raw.headers.get(name) ?? undefined, body: json.ok ? json.value : text }, what);
    }
    if (schema === undefined && !rawJson) return undefined;
    if (!json.ok) throw invalidResponse(`Graph returned a body that is not JSON to ${what}.`);
    if (schema === undefined) return json.value;
    return parseBody(schema, json.value, what);
  }
}

class UserGraphSession extends GraphSession implements UserGraph {
  readonly kind = "user" as const;

  getMe(): Promise<GraphProfile> {
    return this.get(`/me?$select=${PROFILE_SELECT}`, GraphProfileSchema);
  }

  async getMailboxSettings(userIdOrMe = "me"): Promise<MailboxSettings> {
    const path = userIdOrMe === "me" ? "/me/mailboxSettings" : `/users/${encodeURIComponent(userIdOrMe)}/mailboxSettings`;
    return toMailboxSettings(await this.get(path, GraphMailboxSettingsSchema), userIdOrMe);
  }
}

class AppGraphSession extends GraphSession implements AppGraph {
  readonly kind = "app" as const;

  constructor(client: Client, base: GraphBase, policy: RetryPolicy, readonly tenantId: string, maxPerMailbox: number) {
    super(client, base, policy, { tenantId, maxPerMailbox });
  }

  async getMailboxSettings(userId: string): Promise<MailboxSettings> {
    return toMailboxSettings(await this.get(`/users/${encodeURIComponent(userId)}/mailboxSettings`, GraphMailboxSettingsSchema), userId);
  }
}

/**
 * The Graph layer's entry point: one factory per process (it owns the per-mailbox limiter), one
 * client per call context. Throws a TypeError/RangeError for an invalid base URL or options.
 */
export function createGraphFactory(opts: GraphFactoryOptions): GraphFactory {
  const base = parseGraphBaseUrl(opts.baseUrl);
  const policy = resolveRetryPolicy(opts.retry);
  const limiter = new MailboxLimiter(opts.maxConcurrentPerMailbox ?? 4);
  // Looked up per call so a test that stubs globalThis.fetch after creating the factory still works.
  const fetchImpl: typeof fetch = opts.fetchImpl ?? ((input, init) => fetch(input, init));
  const timeoutMs = opts.requestTimeoutMs ?? 60_000;

  const makeClient = (getToken: () => Promise<string>, tenantId: string) =>
    Client.initWithMiddleware({
      baseUrl: base.host,
      defaultVersion: base.version,
      middleware: [
        new AuthMiddleware(getToken),
        new RetryMiddleware(policy),
        new MailboxLimitMiddleware(limiter, `${tenantId.toLowerCase()}/*`),
        new FetchMiddleware(fetchImpl, timeoutMs),
      ],
    });

  return {
    forUser(caller) {
      const client = makeClient(() => opts.tokens.userToken(caller), caller.tenantId);
      return new UserGraphSession(client, base, policy, { tenantId: caller.tenantId, caller, maxPerMailbox: limiter.maxConcurrent });
    },
    forApp(tenantId) {
      return new AppGraphSession(makeClient(() => opts.tokens.appToken(tenantId), tenantId), base, policy, tenantId, limiter.maxConcurrent);
    },
  };
}
