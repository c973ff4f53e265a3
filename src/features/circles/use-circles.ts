import { useQuery } from "@tanstack/react-query";
import { useApi } from "../../lib/api-context";

export const circlesQueryKey = ["circles"] as const;

/** Circles the signed-in user belongs to (GET /api/circles); may be empty. */
export function useCircles() {
  const api = useApi();
  return useQuery({ queryKey: circlesQueryKey, queryFn: () => api.listCircles() });
}
