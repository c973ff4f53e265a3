import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../lib/api-context";
import type { CircleDetail, CreateCircleInput } from "../../lib/api-schemas";
import { circlesQueryKey } from "./use-circles";

export const circleQueryKey = (circleId: string) => ["circle", circleId] as const;
export const formatsQueryKey = ["formats"] as const;

/** One circle with its members, charter and booked series as Outlook has it (GET /api/circles/{id}). */
export function useCircle(circleId: string) {
  const api = useApi();
  return useQuery({ queryKey: circleQueryKey(circleId), queryFn: () => api.getCircle(circleId) });
}

/** Built-in formats and the caller's own copies. */
export function useFormats() {
  const api = useApi();
  return useQuery({ queryKey: formatsQueryKey, queryFn: () => api.listFormats(), staleTime: 5 * 60_000 });
}

export function useCreateCircle() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateCircleInput) => api.createCircle(input),
    onSuccess: (circle) => {
      queryClient.setQueryData(circleQueryKey(circle.id), circle);
      void queryClient.invalidateQueries({ queryKey: circlesQueryKey });
    },
  });
}

/**
 * A change to the booked series. The API answers with the circle read back from Outlook, and
 * that answer — not what we asked for — is what the page shows next.
 */
export function useSeriesChange<V>(circleId: string, change: (variables: V) => Promise<CircleDetail>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: (circle) => {
      queryClient.setQueryData(circleQueryKey(circleId), circle);
      void queryClient.invalidateQueries({ queryKey: circlesQueryKey });
    },
  });
}
