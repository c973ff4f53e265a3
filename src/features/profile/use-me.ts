import { useQuery } from "@tanstack/react-query";
import { useApi } from "../../lib/api-context";

export const meQueryKey = ["me"] as const;

/** The signed-in user's profile and time zone (GET /api/me). */
export function useMe() {
  const api = useApi();
  return useQuery({ queryKey: meQueryKey, queryFn: () => api.getMe() });
}
