import type { Context, Middleware, MiddlewareOptions } from "@microsoft/microsoft-graph-client";
import { GraphRequestError } from "./errors";
import type { MailboxLimiter, MailboxSlots } from "./mailbox-limiter";
import { RETRIABLE_STATUSES, backoffDelay, parseRetryAfter, type RetryPolicy } from "./retry";

/**
 * Our middleware chain for `Client.initWithMiddleware`: auth → retry → per-mailbox limit → fetch.
 * Passing a chain replaces the SDK's defaults (its RetryHandler, HTTPMessageHandler), so retry
 * and the terminal fetch live here. Order matters: the token is fetched once per call; a retry
 * waits OUTSIDE the limiter so a sleeping request does not hold one of the mailbox's 4 slots.
 */

/**
 * Per-request facts the middleware needs, passed as an SDK middleware option. It also carries
 * failures out of the chain: the SDK wraps anything a middleware throws into its own GraphError
 * (losing e.g. the token provider's "consent_required" AppError), so the caller rethrows
 * `failure` instead.
 */
export class RequestState implements MiddlewareOptions {
  failure: unknown = undefined;
  failed = false;

  constructor(
    readonly method: string,
    readonly path: string,
    /** Limiter key: tenant + mailbox (see client.ts `mailboxKey`); for a $batch, the slots of its Outlook items. */
    readonly mailboxKey: MailboxSlots,
    /** Safe to repeat after a network error (the request may or may not have reached Graph). */
    readonly idempotent: boolean,
  ) {}

  fail(err: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.failure = err;
  }
}

function stateOf(context: Context): RequestState | undefined {
  const option = context.middlewareControl?.getMiddlewareOptions(RequestState);
  return option instanceof RequestState ? option : undefined;
}

abstract class ChainLink implements Middleware {
  private nextLink: Middleware | undefined;

  setNext(next: Middleware): void {
    this.nextLink = next;
  }

  protected next(context: Context): Promise<void> {
    if (this.nextLink === undefined) throw new Error(`${this.constructor.name} must not be the last middleware.`);
    return this.nextLink.execute(context);
  }

  abstract execute(context: Context): Promise<void>;
}

function setHeader(context: Context, name: string, value: string): void {
  const options = (context.options ??= {});
  const headers = options.headers;
  if (headers instanceof Headers) {
    headers.set(name, value);
  } else if (Array.isArray(headers)) {
    options.headers = [...headers.filter(([k]) => k?.toLowerCase() !== name.toLowerCase()), [name, value]];
  } else {
    options.headers = { ...headers, [name]: value };
  }
}

/** Bearer token from our GraphTokenProvider (delegated for a user, app-only for a tenant). */
export class AuthMiddleware extends ChainLink {
  constructor(private readonly getToken: () => Promise<string>) {
    super();
  }

  async execute(context: Context): Promise<void> {
    let token: string;
    try {
      token = await this.getToken();
    } catch (err) {
      stateOf(context)?.fail(err);
      throw err;
    }
    setHeader(context, "Authorization", `Bearer ${token}`);
    await this.next(context);
  }
}

/**
 * Repeats requests Graph answers 429/503/504, waiting `Retry-After` when sent, else exponential
 * backoff with jitter. POSTs are retried too: our creates carry a `transactionId`, which makes
 * Graph return the existing event instead of creating a second one; getSchedule is a read.
 * Network errors and timeouts are retried only for idempotent requests: we cannot know whether
 * the request reached Graph. After the last attempt the final response is left for the caller to
 * turn into a GraphRequestError (with Retry-After as retryAfterMs).
 */
export class RetryMiddleware extends ChainLink {
  constructor(private readonly policy: RetryPolicy) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const state = stateOf(context);
    for (let attempt = 0; ; attempt += 1) {
      const canRetry = attempt < this.policy.maxRetries;
      context.response = undefined;
      try {
        await this.next(context);
      } catch (err) {
        if (canRetry && state?.idempotent === true) {
          await this.policy.sleep(backoffDelay(attempt, this.policy));
          continue;
        }
        const reason = describeNetworkError(err);
        const where = state === undefined ? "" : ` (${state.method} ${state.path.split("?", 1)[0]})`;
        state?.fail(
          new GraphRequestError({
            status: 0,
            code: "graph_unreachable",
            message: `Could not reach Microsoft Graph${where}: ${reason}`,
            cause: err,
          }),
        );
        throw err;
      }
      const response = context.response as Response | undefined;
      if (response === undefined || !RETRIABLE_STATUSES.has(response.status) || !canRetry) return;
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
      if (retryAfterMs !== undefined && retryAfterMs > this.policy.maxRetryAfterMs) return;
      await this.policy.sleep(retryAfterMs ?? backoffDelay(attempt, this.policy));
    }
  }
}

/** "fetch failed (ECONNREFUSED)": undici hides the useful part in `cause`. */
function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause: unknown = err.cause;
  if (!(cause instanceof Error)) return err.message;
  const code = "code" in cause && typeof cause.code === "string" ? cause.code : undefined;
  return `${err.message} (${code ?? cause.message})`;
}

/** Queues the request behind others to the same mailbox (see MailboxLimiter). */
export class MailboxLimitMiddleware extends ChainLink {
  constructor(
    private readonly limiter: MailboxLimiter,
    private readonly fallbackKey: string,
  ) {
    super();
  }

  execute(context: Context): Promise<void> {
    const key = stateOf(context)?.mailboxKey ?? this.fallbackKey;
    return this.limiter.run(key, () => this.next(context));
  }
}

/** Statuses whose responses must not have a body (Fetch standard "null body status"). */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * The terminal link: `fetchImpl` (injectable, unlike the SDK's HTTPMessageHandler which calls the
 * global fetch). The body is read here, inside the limiter slot and the timeout, so a request
 * counts against its mailbox until Graph has answered completely.
 */
export class FetchMiddleware implements Middleware {
  constructor(
    private readonly fetchImpl: typeof fetch,
    private readonly timeoutMs: number,
  ) {}

  async execute(context: Context): Promise<void> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const callerSignal = context.options?.signal ?? undefined;
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    const response = await this.fetchImpl(context.request, { ...context.options, signal });
    const body = NULL_BODY_STATUSES.has(response.status) ? null : await response.arrayBuffer();
    context.response = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  }
}
