import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useHost } from "../../host";
import { fetchNudgeSettings, updateNudgeSettings, type NudgeKind, type NudgeSettings } from "./nudges-api";

export const nudgeSettingsQueryKey = ["nudge-settings"] as const;

export function useNudgeSettings() {
  const host = useHost();
  return useQuery({ queryKey: nudgeSettingsQueryKey, queryFn: () => fetchNudgeSettings({ getToken: () => host.getToken() }) });
}

/**
 * Flips one switch. The switch moves at once (optimistic); if the API refuses, it moves back and
 * the error is the mutation's, for the section to show.
 */
export function useSetNudge() {
  const host = useHost();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, enabled }: { kind: NudgeKind; enabled: boolean }) => updateNudgeSettings({ getToken: () => host.getToken() }, { [kind]: enabled }),
    onMutate: async ({ kind, enabled }) => {
      await queryClient.cancelQueries({ queryKey: nudgeSettingsQueryKey });
      const before = queryClient.getQueryData<NudgeSettings>(nudgeSettingsQueryKey);
      if (before) queryClient.setQueryData<NudgeSettings>(nudgeSettingsQueryKey, { ...before, [kind]: enabled });
      return { before };
    },
    onError: (_error, _variables, context) => {
      if (context?.before) queryClient.setQueryData(nudgeSettingsQueryKey, context.before);
    },
    // Only the switch this call changed: answers to quick successive flips may arrive out of order.
    onSuccess: (settings, { kind }) => queryClient.setQueryData<NudgeSettings>(nudgeSettingsQueryKey, (current) => (current ? { ...current, [kind]: settings[kind] } : settings)),
  });
}
