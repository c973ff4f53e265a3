import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { AppRoot } from "../../../src/app/app-root";
import type { Host } from "../../../src/host";
import { createQueryClient } from "../../../src/lib/query-client";

/** Renders a surface the way main.tsx does, with a given host and no query retries. */
export function renderPage(page: ReactNode, connect: () => Promise<Host>) {
  return render(
    <AppRoot connect={connect} queryClient={createQueryClient({ retry: false })}>
      {page}
    </AppRoot>,
  );
}
