/**
 * The one error the Graph layer throws for a failed Graph call. Shape is a team contract
 * (api/shared/graph-error-mapping.ts matches it by `name`, `status` and `code`).
 *
 * - `status`: the HTTP status Graph answered with; 0 when Graph could not be reached at all
 *   (network error, timeout); 502 when Graph answered 2xx with a body we cannot use.
 * - `code`: Graph's `error.code` (e.g. "TooManyRequests", "ErrorItemNotFound"), or one of ours:
 *   "graph_unreachable", "graph_invalid_response", "graph_paging_limit".
 * - `retryAfterMs`: from Graph's `Retry-After`, when it sent one (429/503).
 * - `requestId`: Graph's `request-id`, for support tickets and log correlation.
 */
export class GraphRequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retryAfterMs?: number;
  readonly requestId?: string;

  constructor(init: { status: number; code: string; message: string; retryAfterMs?: number; requestId?: string; cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "GraphRequestError";
    this.status = init.status;
    this.code = init.code;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.requestId !== undefined) this.requestId = init.requestId;
  }
}

export function isGraphRequestError(err: unknown): err is GraphRequestError {
  return err instanceof GraphRequestError;
}

/** Graph 2xx with a body that does not match what we rely on: Graph's bug or a contract drift, never the caller's. */
export function invalidResponse(message: string, cause?: unknown): GraphRequestError {
  return new GraphRequestError({ status: 502, code: "graph_invalid_response", message, cause });
}
