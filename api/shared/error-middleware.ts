import type { ErrorRequestHandler, RequestHandler } from "express";
import { ZodError } from "zod";
import { AppError, type ErrorCode } from "./errors";
import { graphErrorToAppError, isGraphRequestError } from "./graph-error-mapping";
import type { Logger } from "./logger";

/** `{ error: { code, message } }`: the body of every error answer. */
export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string };
}

/** Names each invalid field, e.g. `body.name: Too small: expected string to have >=1 characters`. */
export function describeZodError(err: ZodError, prefix?: string): string {
  const parts = err.issues.map((issue) => {
    const where = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  return `Invalid request: ${parts.join("; ")}`;
}

interface HttpErrorLike {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
}

const CODE_BY_CLIENT_STATUS: Record<number, ErrorCode> = { 400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict", 413: "payload_too_large" };

/** Turns anything thrown into an AppError; unknown errors become `internal` without leaking details. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return new AppError("bad_request", describeZodError(err), { cause: err });
  if (isGraphRequestError(err)) return graphErrorToAppError(err);

  const httpErr = (typeof err === "object" && err !== null ? err : {}) as HttpErrorLike;
  // body-parser (express.json) errors: see https://github.com/expressjs/body-parser#errors
  if (httpErr.type === "entity.parse.failed") return new AppError("bad_request", "The request body is not valid JSON.", { cause: err });
  if (httpErr.type === "entity.too.large") return new AppError("payload_too_large", "The request body is too large.", { cause: err });
  const status = httpErr.status ?? httpErr.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500 && httpErr.expose !== false) {
    return new AppError(CODE_BY_CLIENT_STATUS[status] ?? "bad_request", httpErr.message || "The request could not be processed.", { status, cause: err });
  }
  return new AppError("internal", "Something went wrong on our side. Please try again.", { cause: err });
}

export function sendError(res: Parameters<RequestHandler>[1], appError: AppError): void {
  for (const [name, value] of Object.entries(appError.headers)) res.setHeader(name, value);
  const body: ErrorEnvelope = { error: { code: appError.code, message: appError.message } };
  res.status(appError.status).json(body);
}

/** Unknown routes under /api answer in the envelope, not Express's HTML page. */
export function apiNotFound(): RequestHandler {
  return (req, res) => {
    sendError(res, new AppError("not_found", `No API route for ${req.method} ${req.originalUrl.split("?")[0]}.`));
  };
}

/** The last middleware: renders every error as the envelope; never a stack trace. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      // Too late for an envelope (e.g. a stream broke); let Express close the connection.
      next(err);
      return;
    }
    const appError = toAppError(err);
    const log = { method: req.method, path: req.originalUrl.split("?")[0], status: appError.status, code: appError.code };
    if (appError.status >= 500) logger.error({ ...log, err: appError.cause ?? appError }, appError.message);
    else logger.debug(log, appError.message);
    sendError(res, appError);
  };
}
