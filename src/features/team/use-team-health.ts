import { useQuery } from "@tanstack/react-query";
import { useHost } from "../../host";
import { fetchTeamHealth } from "./team-api";

export const teamHealthQueryKey = ["team-health"] as const;

/** The signed-in manager's team aggregates (GET /api/team); figures change slowly, so kept for 5 minutes. */
export function useTeamHealth() {
  const host = useHost();
  return useQuery({ queryKey: teamHealthQueryKey, queryFn: () => fetchTeamHealth({ getToken: () => host.getToken() }), staleTime: 5 * 60_000 });
}
