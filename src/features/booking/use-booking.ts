import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../lib/api-context";
import type { BookSeriesInput, Job } from "../../lib/api-schemas";

export const slotsQueryKey = (circleId: string, startOn: string | undefined) => ["slots", circleId, startOn ?? ""] as const;
export const jobQueryKey = (jobId: string) => ["job", jobId] as const;

/** How often a running booking is asked for its progress. */
export const JOB_POLL_MS = 1_000;

/** The best recurring times for the circle, scored over the whole series (POST …/slots). */
export function useSlotSuggestions(circleId: string, startOn: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: slotsQueryKey(circleId, startOn),
    queryFn: () => api.searchSlots(circleId, startOn ? { startOn } : {}),
    // Calendars change; a suggestion older than a few minutes is searched again on return.
    staleTime: 2 * 60_000,
  });
}

/** Starts (or, for the same circle, rejoins) the booking job. Safe to repeat: the API never books twice. */
export function useBookSeries(circleId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (choice: BookSeriesInput) => api.bookSeries(circleId, choice),
    // A retry may answer with the same job id: its cached "failed" must not stop the polling.
    onSuccess: ({ jobId }) => queryClient.invalidateQueries({ queryKey: jobQueryKey(jobId) }),
  });
}

export function isFinished(job: Job | undefined): boolean {
  return job?.status === "succeeded" || job?.status === "failed";
}

/** The booking job, polled until it succeeds or fails. */
export function useJob(jobId: string, pollMs = JOB_POLL_MS) {
  const api = useApi();
  return useQuery({
    queryKey: jobQueryKey(jobId),
    queryFn: () => api.getJob(jobId),
    refetchInterval: (query) => (isFinished(query.state.data) ? false : pollMs),
    staleTime: 0,
  });
}
