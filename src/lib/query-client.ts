import { QueryClient } from "@tanstack/react-query";
import { isApiError } from "./api-error";

/**
 * One QueryClient per page. Client errors (4xx) are answers, not glitches: retrying a 403 only
 * delays the message the user needs, so only network failures and 5xx/429 are retried.
 */
export function createQueryClient(options: { retry?: boolean } = {}): QueryClient {
  const allowRetry = options.retry ?? true;
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failureCount, error) => {
          if (!allowRetry || failureCount >= 2) return false;
          if (!isApiError(error)) return false;
          return error.status === 0 || error.status === 429 || error.status >= 500;
        },
      },
      mutations: { retry: false },
    },
  });
}
