import type { z } from "zod";
import { GraphRequestError, invalidResponse } from "./errors";
import { parseRetryAfter } from "./retry";
import { GraphErrorBodySchema } from "./schemas";

/** What an error needs from a response, whether a real HTTP response or a $batch item. */
export interface ResponseLike {
  status: number;
  /** Header lookup, case-insensitive. */
  header(name: string): string | undefined;
  body: unknown;
}

/** Graph's `{ error: { code, message } }` (or whatever came instead) as a GraphRequestError. */
export function errorFromResponse(response: ResponseLike, what: string): GraphRequestError {
  const parsed = GraphErrorBodySchema.safeParse(response.body);
  const error = parsed.success ? parsed.data.error : undefined;
  const retryAfterMs = parseRetryAfter(response.header("retry-after"));
  const requestId = error?.innerError?.["request-id"] ?? response.header("request-id");
  return new GraphRequestError({
    status: response.status,
    code: error?.code ?? `http_${response.status}`,
    message: error?.message ?? `Microsoft Graph answered HTTP ${response.status} to ${what}.`,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(requestId === undefined ? {} : { requestId }),
  });
}

/** Validates a 2xx body; a mismatch is Graph's (or our contract's) fault, reported with the fields. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join(".") : "(body)"}: ${issue.message}`)
    .join("; ");
  throw invalidResponse(`Graph returned an unexpected response to ${what}: ${issues}`, result.error);
}
