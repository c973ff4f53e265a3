import { createContext, useContext } from "react";
import type { ReactNode } from "react";
import type { ApiClient } from "./api-client";

const ApiContext = createContext<ApiClient | undefined>(undefined);

export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

/** The page's API client. Throws when rendered outside ApiProvider (a wiring bug, not a user error). */
export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error("useApi() needs an <ApiProvider> above it");
  return client;
}
