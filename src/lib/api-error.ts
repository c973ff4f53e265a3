/**
 * Every failed API call surfaces as an ApiError. `code` is the API's stable error code (or one of
 * the client-side codes below), `status` the HTTP status (0 when no response arrived), and
 * `message` a sentence a user can act on.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

/** Codes produced by the client itself, when the API could not answer in its own envelope. */
export const clientErrorCodes = {
  network: "network_error",
  badResponse: "unexpected_response",
  signIn: "sign_in_required",
} as const;

// Used when the API answered without our envelope (a proxy page, a crash). Each says what to do.
export function fallbackMessage(status: number): string {
  if (status === 401) return "Your sign-in has expired. Reload the page to sign in again.";
  if (status === 403) return "You don't have access to this. Ask the circle's organizer to add you.";
  if (status === 404) return "We couldn't find that. It may have been deleted — go back and refresh.";
  if (status === 429) return "Coaching Circles is busy right now. Wait a minute, then try again.";
  if (status >= 500) return "Coaching Circles had a problem on its side. Try again in a moment.";
  return "Something went wrong with that request. Try again, and reload the page if it keeps happening.";
}

/** A user-facing sentence for any thrown value; never a stack trace. */
export function describeError(error: unknown): string {
  if (isApiError(error)) return error.message;
  return "Something unexpected happened. Reload the page and try again.";
}
