import type { z } from "zod";
import type { CallerIdentity, GraphTokenProvider } from "../auth/identity";
import type { BatchRequest, BatchResult } from "./batch";
import type { RetryOptions } from "./retry";
import type { GraphProfile, MailboxSettings } from "./schemas";

export interface GraphFactoryOptions {
  /** Graph root with version, e.g. "https://graph.microsoft.com/v1.0" or `${sandboxUrl}/v1.0` (without a version: v1.0). */
  baseUrl: string;
  tokens: GraphTokenProvider;
  /** Defaults to the global fetch. */
  fetchImpl?: typeof fetch;
  retry?: RetryOptions;
  /** Default 4: Outlook's concurrent-request limit per app per mailbox. */
  maxConcurrentPerMailbox?: number;
  /** Per attempt, including reading the body. Default 60 s. */
  requestTimeoutMs?: number;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /**
   * Safe to repeat after a network error or timeout. Defaults to true for GET/PUT/DELETE, false
   * for POST/PATCH; set it for read-only POSTs (getSchedule). 429/503/504 are retried regardless.
   */
  idempotent?: boolean;
}

export interface PageOptions extends RequestOptions {
  /** Stops (throwing "graph_paging_limit") after this many pages. Default 200. */
  maxPages?: number;
}

export interface BatchOptions {
  /** As RequestOptions.idempotent, for the outer /$batch POST. Default: true when every item is a GET. */
  idempotent?: boolean;
}

/**
 * Typed access to Graph for one call context. Paths are relative to the version root and start
 * with "/" ("/me/events?$top=50"). Every method throws GraphRequestError when Graph fails (after
 * retries) or answers with a body that does not match `schema` (code "graph_invalid_response");
 * errors from the token provider (e.g. AppError "consent_required") pass through unchanged.
 */
export interface GraphClient {
  get<T>(path: string, schema: z.ZodType<T>, options?: RequestOptions): Promise<T>;
  post<T>(path: string, body: unknown, schema: z.ZodType<T>, options?: RequestOptions): Promise<T>;
  /** Without a schema the response body is ignored (204 No Content, 202 Accepted). */
  post(path: string, body: unknown, schema?: undefined, options?: RequestOptions): Promise<void>;
  patch<T>(path: string, body: unknown, schema: z.ZodType<T>, options?: RequestOptions): Promise<T>;
  patch(path: string, body: unknown, schema?: undefined, options?: RequestOptions): Promise<void>;
  delete(path: string, options?: RequestOptions): Promise<void>;
  /** Every item of a collection, following `@odata.nextLink` (same base URL only). */
  getAllPages<T>(path: string, itemSchema: z.ZodType<T>, options?: PageOptions): Promise<T[]>;
  /** See batch.ts `runBatch`: ≤ 20 per HTTP batch, dependsOn groups kept together, throttled items retried. */
  batch(requests: readonly BatchRequest[], options?: BatchOptions): Promise<BatchResult[]>;
}

/** Delegated access as the caller (`/me` is the caller). */
export interface UserGraph extends GraphClient {
  readonly kind: "user";
  getMe(): Promise<GraphProfile>;
  /** `userIdOrMe` "me" (default) or a user id/UPN; zones converted to IANA. */
  getMailboxSettings(userIdOrMe?: string): Promise<MailboxSettings>;
}

/** App-only access to a tenant (`/users/{id}/...`; `/me` does not exist). */
export interface AppGraph extends GraphClient {
  readonly kind: "app";
  readonly tenantId: string;
  getMailboxSettings(userId: string): Promise<MailboxSettings>;
}

export interface GraphFactory {
  forUser(caller: CallerIdentity): UserGraph;
  forApp(tenantId: string): AppGraph;
}
