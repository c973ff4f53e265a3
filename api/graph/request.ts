import { z } from "zod";
import type { BatchRequest } from "./batch";
import { GraphRequestError } from "./errors";
import type { GraphClient } from "./types";

/**
 * Shared plumbing for the domain operations (calendar.ts, meetings.ts, chats.ts, …): every
 * operation is first a pure `…Request()` builder returning a {@link BatchRequest}, and the direct
 * call sends exactly that request. So a step sent alone and the same step inside a `$batch` have
 * one shape, tested once.
 */

/** "me" or a user id / UPN. */
export type Mailbox = string;

/** Returned times in UTC: no Windows zone to interpret on the way back (style.md #5). */
export const PREFER_UTC = { Prefer: 'outlook.timezone="UTC"' } as const;

/** `/me` or `/users/{id}` (the id percent-encoded: UPNs may hold `#` or `'`). */
export function mailboxRoot(mailbox: Mailbox): string {
  if (mailbox === "") throw new RangeError("mailbox must be \"me\" or a user id / UPN.");
  return mailbox === "me" ? "/me" : `/users/${encodeURIComponent(mailbox)}`;
}

/** One path segment (an event, meeting or chat id): Graph ids may contain `=`, `/` or `:`. */
export function segment(id: string): string {
  if (id === "") throw new RangeError("Graph ids must not be empty.");
  return encodeURIComponent(id);
}

/** An OData string literal: quotes doubled (https://learn.microsoft.com/graph/query-parameters#escaping-single-quotes). */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A query string from ordered pairs; values percent-encoded so `&`, `#`, `+`, `%` inside a filter survive. */
export function query(params: ReadonlyArray<readonly [string, string]>): string {
  return params.length === 0 ? "" : `?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&")}`;
}

/** Sends a built request on its own (outside a batch) and validates the answer with `schema`. */
export function sendRequest<T>(graph: GraphClient, request: BatchRequest, schema: z.ZodType<T>): Promise<T>;
export function sendRequest(graph: GraphClient, request: BatchRequest): Promise<void>;
export async function sendRequest<T>(graph: GraphClient, request: BatchRequest, schema?: z.ZodType<T>): Promise<T | void> {
  const options = request.headers ? { headers: request.headers } : {};
  switch (request.method) {
    case "GET":
      if (!schema) {
        await graph.get(request.url, z.unknown(), options);
        return;
      }
      return graph.get(request.url, schema, options);
    case "POST":
      return schema ? graph.post(request.url, request.body, schema, options) : graph.post(request.url, request.body, undefined, options);
    case "PATCH":
      return schema ? graph.patch(request.url, request.body, schema, options) : graph.patch(request.url, request.body, undefined, options);
    case "DELETE":
      return graph.delete(request.url, options);
    case "PUT":
      throw new RangeError("PUT is not used by the domain operations.");
  }
}

/** True for a GraphRequestError with this HTTP status. */
export function isStatus(err: unknown, status: number): err is GraphRequestError {
  return err instanceof GraphRequestError && err.status === status;
}
