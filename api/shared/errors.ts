/**
 * The one error type of the API. Clients switch on `code` (stable), never on `message`.
 * Thrown anywhere; rendered by ./error-middleware.ts as `{ error: { code, message } }`.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  consent_required: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  graph_throttled: 429,
  internal: 500,
  graph_error: 502,
  graph_unavailable: 503,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export class AppError extends Error {
  readonly status: number;
  /** Extra response headers, e.g. Retry-After for graph_throttled. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    opts: { status?: number; cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "AppError";
    this.status = opts.status ?? ERROR_STATUS[code];
    this.headers = opts.headers ?? {};
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

export const notFound = (what: string) => new AppError("not_found", `${what} was not found.`);
export const badRequest = (message: string) => new AppError("bad_request", message);
export const forbidden = (message: string) => new AppError("forbidden", message);
export const conflict = (message: string) => new AppError("conflict", message);
