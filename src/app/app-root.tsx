import { QueryClientProvider } from "@tanstack/react-query";
import type { QueryClient } from "@tanstack/react-query";
import { StrictMode, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { createRoot } from "react-dom/client";
import { HostProvider, connectHost, useHost } from "../host";
import type { ConnectHostOptions, Host } from "../host";
import { createApiClient } from "../lib/api-client";
import { ApiProvider } from "../lib/api-context";
import { createQueryClient } from "../lib/query-client";

/** Host, theme, API client and query cache for one surface. Tests pass their own `connect`. */
export function AppRoot({
  connect,
  queryClient,
  children,
}: {
  connect: () => Promise<Host>;
  queryClient?: QueryClient;
  children: ReactNode;
}) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <QueryClientProvider client={client}>
      <HostProvider connect={connect}>
        <ApiLayer>{children}</ApiLayer>
      </HostProvider>
    </QueryClientProvider>
  );
}

function ApiLayer({ children }: { children: ReactNode }) {
  const host = useHost();
  const api = useMemo(() => createApiClient({ getToken: () => host.getToken() }), [host]);
  return <ApiProvider client={api}>{children}</ApiProvider>;
}

/** Entry point of every surface's main.tsx. */
export function mountSurface(page: ReactNode, options: ConnectHostOptions = {}): void {
  const container = document.getElementById("root");
  if (!container) throw new Error("index.html needs a #root element");
  const connect = () => connectHost(options);
  createRoot(container).render(
    <StrictMode>
      <AppRoot connect={connect}>{page}</AppRoot>
    </StrictMode>,
  );
}
