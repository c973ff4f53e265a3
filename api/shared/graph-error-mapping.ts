import { AppError } from "./errors";

/**
 * The shape api/graph/errors.ts `GraphRequestError` exposes (team contract). Matched by shape and
 * name instead of `instanceof` so the error middleware does not depend on the Graph layer.
 */
export interface GraphRequestErrorLike extends Error {
  status: number;
  code: string;
  retryAfterMs?: number;
}

export function isGraphRequestError(err: unknown): err is GraphRequestErrorLike {
  return (
    err instanceof Error &&
    err.name === "GraphRequestError" &&
    typeof (err as Partial<GraphRequestErrorLike>).status === "number" &&
    typeof (err as Partial<GraphRequestErrorLike>).code === "string"
  );
}

/**
 * What the caller of our API should see when Microsoft Graph fails underneath it:
 * throttling stays 429 (with Retry-After) so clients back off; Graph outages (5xx, network)
 * become 503; Graph refusing access becomes 403; anything else Graph rejected is our bug or a
 * stale reference, reported as 502 so it is not mistaken for a client error.
 */
export function graphErrorToAppError(err: GraphRequestErrorLike): AppError {
  const detail = `${err.code}: ${err.message}`;
  if (err.status === 429) {
    const seconds = Math.max(1, Math.ceil((err.retryAfterMs ?? 1000) / 1000));
    return new AppError("graph_throttled", `Microsoft Graph is throttling requests; retry in ${seconds} s.`, {
      cause: err,
      headers: { "Retry-After": String(seconds) },
    });
  }
  if (err.status === 0 || err.status >= 500) {
    return new AppError("graph_unavailable", `Microsoft Graph is unavailable right now (${detail}). Try again shortly.`, { cause: err });
  }
  if (err.status === 403) {
    return new AppError("forbidden", `Microsoft Graph denied access (${detail}).`, { cause: err });
  }
  return new AppError("graph_error", `Microsoft Graph rejected a request (HTTP ${err.status} ${detail}).`, { cause: err });
}
