/**
 * When and how long to wait before repeating a Graph request. Used by the retry middleware (whole
 * HTTP requests) and by $batch (items throttled inside a 200 batch response, which no middleware
 * sees).
 */

/** Graph's "try again later" statuses: throttled, service unavailable, gateway timeout. */
export const RETRIABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

export interface RetryOptions {
  /** Retries after the first attempt. Default 5 (the SDK's own RetryHandler does 3). */
  maxRetries?: number;
  /** Injected in tests so nothing really waits. */
  sleep?: (ms: number) => Promise<void>;
  /** First backoff step when Graph sends no Retry-After. Default 1 s. */
  baseDelayMs?: number;
  /** Backoff ceiling. Default 30 s. */
  maxDelayMs?: number;
  /**
   * A Retry-After longer than this is not waited out in-process: the request fails at once with
   * `retryAfterMs` so a durable job can come back later instead of holding a request open.
   * Default 60 s.
   */
  maxRetryAfterMs?: number;
}

export interface RetryPolicy {
  maxRetries: number;
  sleep: (ms: number) => Promise<void>;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function resolveRetryPolicy(options: RetryOptions = {}): RetryPolicy {
  const maxRetries = options.maxRetries ?? 5;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new RangeError(`retry.maxRetries must be a non-negative integer (got ${maxRetries}).`);
  return {
    maxRetries,
    sleep: options.sleep ?? realSleep,
    baseDelayMs: options.baseDelayMs ?? 1_000,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
  };
}

/**
 * `Retry-After` as milliseconds: delta-seconds ("7") or an HTTP-date (RFC 9110 §10.2.3).
 * Undefined when absent or unparseable; a date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so retries from
 * many requests throttled together spread out but never fire immediately.
 */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(step / 2 + random() * (step / 2));
}
