import type { z } from "zod";
import { ApiError, clientErrorCodes, fallbackMessage } from "./api-error";
import {
  circleDetailSchema,
  circlesSchema,
  errorEnvelopeSchema,
  formatsSchema,
  healthSchema,
  jobAcceptedSchema,
  jobSchema,
  meSchema,
  peopleSchema,
  protectedTimeSyncSchema,
  slotSearchResultSchema,
} from "./api-schemas";
import type {
  BookSeriesInput,
  ProtectedTimeSync,
  CircleDetail,
  CircleSummary,
  CreateCircleInput,
  Format,
  Health,
  Job,
  Me,
  Person,
  SlotSearchResult,
  UpdateCircleInput,
} from "./api-schemas";

export interface ApiClientOptions {
  /** Where the API lives; "" means the page's own origin (the API serves the pages). */
  baseUrl?: string;
  /** Bearer token for the caller; throws when the user has to sign in first. */
  getToken: () => Promise<string>;
  fetchImpl?: typeof fetch;
}

export interface ApiClient {
  getHealth(): Promise<Health>;
  getMe(): Promise<Me>;
  listCircles(): Promise<CircleSummary[]>;
  getCircle(circleId: string): Promise<CircleDetail>;
  createCircle(input: CreateCircleInput): Promise<CircleDetail>;
  updateCircle(circleId: string, input: UpdateCircleInput): Promise<CircleDetail>;
  addMember(circleId: string, upn: string): Promise<CircleDetail>;
  removeMember(circleId: string, memberId: string): Promise<CircleDetail>;
  listFormats(): Promise<Format[]>;
  searchPeople(query: string): Promise<Person[]>;
  searchSlots(circleId: string, input?: { startOn?: string }): Promise<SlotSearchResult>;
  /** 202 { jobId }; booking the same circle again answers with the same job (idempotent). */
  bookSeries(circleId: string, input: BookSeriesInput): Promise<{ jobId: string }>;
  getJob(jobId: string): Promise<Job>;
  skipOccurrence(circleId: string, occurrenceId: string, input?: { message?: string }): Promise<CircleDetail>;
  moveOccurrence(circleId: string, occurrenceId: string, input: { start: string }): Promise<CircleDetail>;
  moveSeries(circleId: string, input: { fromDate: string; start: string }): Promise<CircleDetail>;
  cancelSeries(circleId: string, input?: { message?: string }): Promise<CircleDetail>;
  syncMyProtectedTime(): Promise<ProtectedTimeSync>;
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * One call to our API: bearer token, JSON in and out, the response parsed with `schema`. Throws
 * ApiError for every failure: the API's `{ error: { code, message } }` envelope, a response that is
 * not what the contract says, or no response at all. Feature clients (team, live session) use it too.
 */
export async function requestJson<S extends z.ZodType>(
  options: ApiClientOptions,
  path: string,
  schema: S,
  auth: boolean,
  init: { method?: Method; body?: unknown } = {},
): Promise<z.infer<S>> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (auth) headers.Authorization = `Bearer ${await options.getToken()}`;
  const requestInit: RequestInit = { headers };
  if (init.method && init.method !== "GET") requestInit.method = init.method;
  if (init.body !== undefined) {
    headers["Content-Type"] = "application/json";
    requestInit.body = JSON.stringify(init.body);
  }
  let response: Response;
  try {
    // Resolved per call so tests can swap globalThis.fetch after the client is created.
    response = await (options.fetchImpl ?? globalThis.fetch)(`${options.baseUrl ?? ""}${path}`, requestInit);
  } catch (cause) {
    throw new ApiError(
      clientErrorCodes.network,
      0,
      "We couldn't reach Coaching Circles. Check your connection, then try again.",
      { cause },
    );
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const envelope = errorEnvelopeSchema.safeParse(body);
    if (envelope.success) {
      throw new ApiError(envelope.data.error.code, response.status, envelope.data.error.message);
    }
    throw new ApiError(`http_${response.status}`, response.status, fallbackMessage(response.status));
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(
      clientErrorCodes.badResponse,
      response.status,
      "Coaching Circles sent an answer this page doesn't understand. Reload the page to get the latest version.",
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

/**
 * Typed client for our API. Throws ApiError for every failure: the API's `{ error: { code,
 * message } }` envelope, a response that is not what the contract says, or no response at all.
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const request = <S extends z.ZodType>(path: string, schema: S, auth: boolean, init: { method?: Method; body?: unknown } = {}) =>
    requestJson(options, path, schema, auth, init);

  return {
    getHealth: () => request("/api/health", healthSchema, false),
    getMe: () => request("/api/me", meSchema, true),
    listCircles: async () => (await request("/api/circles", circlesSchema, true)).circles,
    getCircle: (circleId) => request(`/api/circles/${seg(circleId)}`, circleDetailSchema, true),
    createCircle: (input) => request("/api/circles", circleDetailSchema, true, { method: "POST", body: input }),
    updateCircle: (circleId, input) => request(`/api/circles/${seg(circleId)}`, circleDetailSchema, true, { method: "PATCH", body: input }),
    addMember: (circleId, upn) => request(`/api/circles/${seg(circleId)}/members`, circleDetailSchema, true, { method: "POST", body: { upn } }),
    removeMember: (circleId, memberId) =>
      request(`/api/circles/${seg(circleId)}/members/${seg(memberId)}`, circleDetailSchema, true, { method: "DELETE" }),
    listFormats: async () => (await request("/api/formats", formatsSchema, true)).formats,
    searchPeople: async (query) => (await request(`/api/people?q=${encodeURIComponent(query)}`, peopleSchema, true)).people,
    searchSlots: (circleId, input = {}) =>
      request(`/api/circles/${seg(circleId)}/slots`, slotSearchResultSchema, true, { method: "POST", body: input }),
    bookSeries: (circleId, input) => request(`/api/circles/${seg(circleId)}/booking`, jobAcceptedSchema, true, { method: "POST", body: input }),
    getJob: (jobId) => request(`/api/jobs/${seg(jobId)}`, jobSchema, true),
    skipOccurrence: (circleId, occurrenceId, input = {}) =>
      request(`/api/circles/${seg(circleId)}/occurrences/${seg(occurrenceId)}/skip`, circleDetailSchema, true, { method: "POST", body: input }),
    moveOccurrence: (circleId, occurrenceId, input) =>
      request(`/api/circles/${seg(circleId)}/occurrences/${seg(occurrenceId)}/move`, circleDetailSchema, true, { method: "POST", body: input }),
    moveSeries: (circleId, input) => request(`/api/circles/${seg(circleId)}/series/move`, circleDetailSchema, true, { method: "POST", body: input }),
    cancelSeries: (circleId, input = {}) =>
      request(`/api/circles/${seg(circleId)}/series/cancel`, circleDetailSchema, true, { method: "POST", body: input }),
    syncMyProtectedTime: () => request("/api/protected-time/sync", protectedTimeSyncSchema, true, { method: "POST" }),
  };
}

/** Ids go into paths as one segment (Graph event ids contain "/", "+" and "="). */
function seg(id: string): string {
  return encodeURIComponent(id);
}
