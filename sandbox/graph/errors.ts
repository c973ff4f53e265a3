import type { Response } from "express";

/** An error answered in Graph's shape: `{ error: { code, message, innerError } }`. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "GraphError";
  }
}

export function graphErrorBody(code: string, message: string, requestId: string) {
  return { error: { code, message, innerError: { date: new Date().toISOString(), "request-id": requestId, "client-request-id": requestId } } };
}

export function sendGraphError(res: Response, err: GraphError, requestId: string): void {
  for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
  res.status(err.status).json(graphErrorBody(err.code, err.message, requestId));
}

export const notFound = (what: string) => new GraphError(404, "ErrorItemNotFound", `The specified object was not found in the store. (${what})`);
export const badRequest = (message: string, code = "BadRequest") => new GraphError(400, code, message);
export const forbidden = (message: string) => new GraphError(403, "ErrorAccessDenied", message);
