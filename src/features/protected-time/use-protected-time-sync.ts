import { useQuery } from "@tanstack/react-query";
import { useApi } from "../../lib/api-context";

export const protectedTimeSyncKey = ["protected-time", "sync"] as const;

/**
 * Delegated mode puts a member's prep and reflection blocks on their own calendar when they open
 * the app (issue #5): one sync per visit, in the background. A failure changes nothing on the
 * calendar and is retried on the next visit, so it is not shown as an error here.
 */
export function useProtectedTimeSync(enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: protectedTimeSyncKey,
    queryFn: () => api.syncMyProtectedTime(),
    enabled,
    staleTime: Infinity,
    retry: false,
    refetchOnWindowFocus: false,
  });
}
