import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { useHost } from "../../host";
import { useApi } from "../../lib/api-context";
import { programApi, type CohortBooking, type CreateProgramInput, type Program } from "./program-api";

export const programsQueryKey = ["programs"] as const;
export const programQueryKey = (programId: string) => ["program", programId] as const;
export const programBookingQueryKey = (programId: string) => ["program", programId, "booking"] as const;
export const programHealthQueryKey = (programId: string) => ["program", programId, "health"] as const;
/** Same key as the circles feature: one formats cache per page. */
const formatsQueryKey = ["formats"] as const;

/** How often the cohort booking is polled while it runs. */
export const BOOKING_POLL_MS = 1_500;

export function useProgramApi() {
  const host = useHost();
  return useMemo(() => programApi({ getToken: () => host.getToken() }), [host]);
}

/** Programs the signed-in person owns (GET /api/programs). */
export function usePrograms() {
  const api = useProgramApi();
  return useQuery({ queryKey: programsQueryKey, queryFn: () => api.listPrograms() });
}

export function useProgram(programId: string) {
  const api = useProgramApi();
  return useQuery({ queryKey: programQueryKey(programId), queryFn: () => api.getProgram(programId) });
}

export function useFormatsForPrograms() {
  const api = useApi();
  return useQuery({ queryKey: formatsQueryKey, queryFn: () => api.listFormats(), staleTime: 5 * 60_000 });
}

/** A change whose answer is the program as the API now has it: that answer is what the page shows. */
function useProgramChange<V>(programId: string, change: (variables: V) => Promise<Program>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: (program) => {
      queryClient.setQueryData(programQueryKey(programId), program);
      void queryClient.invalidateQueries({ queryKey: programsQueryKey });
    },
  });
}

export function useCreateProgram() {
  const api = useProgramApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateProgramInput) => api.createProgram(input),
    onSuccess: (program) => {
      queryClient.setQueryData(programQueryKey(program.id), program);
      void queryClient.invalidateQueries({ queryKey: programsQueryKey });
    },
  });
}

export function useEnrol(programId: string) {
  const api = useProgramApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { upns: string[] } | { csv: string }) => api.enrol(programId, input),
    onSuccess: (result) => {
      queryClient.setQueryData(programQueryKey(programId), result.program);
      void queryClient.invalidateQueries({ queryKey: programsQueryKey });
    },
  });
}

export function useFormCircles(programId: string) {
  const api = useProgramApi();
  // Forming again with a new seed proposes other circles; the first time, the API seeds with the program id.
  return useProgramChange(programId, (input: { seed?: string }) => api.formCircles(programId, input));
}

export function useMoveMember(programId: string) {
  const api = useProgramApi();
  return useProgramChange(programId, (input: { personId: string; toCircle: number }) => api.moveMember(programId, input));
}

export function useBookProgram(programId: string) {
  const api = useProgramApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { startOn: string }) => api.book(programId, input),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: programBookingQueryKey(programId) });
      void queryClient.invalidateQueries({ queryKey: programQueryKey(programId) });
      void queryClient.invalidateQueries({ queryKey: programsQueryKey });
    },
  });
}

const finished = (booking: CohortBooking | undefined) => booking?.status === "succeeded" || booking?.status === "failed";

/** The cohort booking's progress, polled until it succeeds or fails. */
export function useProgramBooking(programId: string, enabled: boolean) {
  const api = useProgramApi();
  return useQuery({
    queryKey: programBookingQueryKey(programId),
    queryFn: () => api.getBooking(programId),
    enabled,
    staleTime: 0,
    refetchInterval: (query) => (finished(query.state.data) || query.state.status === "error" ? false : BOOKING_POLL_MS),
  });
}

/** The health dashboard; figures change slowly, so kept for a minute. */
export function useProgramHealth(programId: string, enabled: boolean) {
  const api = useProgramApi();
  return useQuery({ queryKey: programHealthQueryKey(programId), queryFn: () => api.getHealth(programId), enabled, staleTime: 60_000 });
}
