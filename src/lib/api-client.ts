import type { z } from "zod";
import { ApiError, clientErrorCodes, fallbackMessage } from "./api-error";
import { circlesSchema, errorEnvelopeSchema, healthSchema, meSchema } from "./api-schemas";
import type { CircleSummary, Health, Me } from "./api-schemas";

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
}

/**
 * Typed client for our API. Throws ApiError for every failure: the API's `{ error: { code,
 * message } }` envelope, a response that is not what the contract says, or no response at all.
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = options.baseUrl ?? "";
  // Resolved per call so tests can swap globalThis.fetch after the client is created.
  const doFetch = (input: string, init: RequestInit) => (options.fetchImpl ?? globalThis.fetch)(input, init);

  async function request<S extends z.ZodType>(path: string, schema: S, auth: boolean): Promise<z.infer<S>> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (auth) headers.Authorization = `Bearer ${await options.getToken()}`;
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, { headers });
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

  return {
    getHealth: () => request("/api/health", healthSchema, false),
    getMe: () => request("/api/me", meSchema, true),
    listCircles: async () => (await request("/api/circles", circlesSchema, true)).circles,
  };
}
