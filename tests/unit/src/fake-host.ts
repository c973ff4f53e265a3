import { vi } from "vitest";
import type { Host, HostContext, SignIn } from "../../../src/host";
import type { ThemeName } from "../../../src/host";
import { unsupportedCapabilities } from "../../../src/host/capabilities";
import type { HostCapabilities } from "../../../src/host/capabilities";
import type { OfficeSession } from "../../../src/host/office/office-ready";

/** A Host with a controllable theme, for rendering pages without TeamsJS. */
export function fakeHost(
  overrides: {
    context?: Partial<HostContext>;
    capabilities?: Partial<HostCapabilities>;
    signIn?: SignIn;
    office?: OfficeSession;
    sandboxUrl?: string;
  } = {},
) {
  let theme: ThemeName = overrides.context?.theme ?? "default";
  const listeners = new Set<(theme: ThemeName) => void>();
  const host: Host = {
    getHostContext: () => ({ kind: "teams", frameContext: "content", locale: "en-gb", ...overrides.context, theme }),
    onThemeChange(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    getToken: vi.fn(async () => "test-token"),
    capabilities: { ...unsupportedCapabilities, ...overrides.capabilities },
    signIn: overrides.signIn ?? { kind: "host" },
    sandboxUrl: overrides.sandboxUrl,
    office: overrides.office,
  };
  return {
    host,
    connect: () => Promise.resolve(host),
    /** What the host does when the user switches Teams' theme. */
    changeTheme(next: ThemeName) {
      theme = next;
      for (const cb of listeners) cb(next);
    },
  };
}

/** A fetch that answers our API paths from a table; unknown paths get the API's 404 envelope. */
export function fakeApi(routes: Record<string, { status?: number; body: unknown } | (() => { status?: number; body: unknown })>) {
  return vi.fn(async (input: RequestInfo | URL, _init?: RequestInit) => {
    const path = new URL(String(input), "http://app.test").pathname;
    const route = routes[path];
    const answer = typeof route === "function" ? route() : route;
    if (!answer) return jsonResponse(404, { error: { code: "not_found", message: `No route ${path}` } });
    return jsonResponse(answer.status ?? 200, answer.body);
  });
}

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

export const ada = {
  id: "0f1c…-ada",
  displayName: "Ada Lovelace",
  userPrincipalName: "ada@contoso.test",
  mail: "ada@contoso.test",
  jobTitle: "Engineer",
  department: "R&D",
  timeZone: "Europe/London",
};
