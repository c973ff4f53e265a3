import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useApi } from "../../lib/api-context";

/** How long typing must pause before the directory is searched: one request per word, not per key. */
export const PEOPLE_SEARCH_DEBOUNCE_MS = 250;

export function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

/** Directory people whose name or address starts with `query` (GET /api/people?q=); idle when empty. */
export function usePeopleSearch(query: string) {
  const api = useApi();
  const q = useDebouncedValue(query.trim(), PEOPLE_SEARCH_DEBOUNCE_MS);
  const search = useQuery({
    queryKey: ["people", q],
    queryFn: () => api.searchPeople(q),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  // While the debounce runs the last answer still shows, flagged as not yet for this text.
  return { ...search, searchedFor: q, settled: q === query.trim() };
}
