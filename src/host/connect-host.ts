import { healthSchema } from "../lib/api-schemas";
import type { Health } from "../lib/api-schemas";
import { readBrowserTheme, watchBrowserTheme } from "./browser-theme";
import { createTeamsCapabilities, unsupportedCapabilities } from "./capabilities";
import type { HostCapabilities } from "./capabilities";
import { toFrameContext, toThemeName } from "./host-context";
import type { HostContext, HostKind, ThemeName } from "./host-context";
import { HostError } from "./host-error";
import { createOfficeHostParts } from "./office/office-host";
import type { OfficeSession } from "./office/office-ready";
import { createSandboxIdentity } from "./sandbox-identity";
import type { SandboxIdentity } from "./sandbox-identity";
import { loadTeamsSdk } from "./teams-sdk";
import type { TeamsSdk } from "./teams-sdk";
import { TimeoutError, withTimeout } from "./timeout";

/** How this page gets a token for our API. */
export type SignIn =
  /** Teams/Outlook single sign-on. */
  | { kind: "host" }
  /** Plain browser, sandbox mode: pick a demo user. */
  | { kind: "sandbox"; identity: SandboxIdentity }
  /** Plain browser, Microsoft 365 mode: only a host can sign the user in. */
  | { kind: "unavailable"; message: string };

export interface Host {
  getHostContext(): HostContext;
  /** Calls `cb` with the new theme whenever the host (or OS) changes it; returns unsubscribe. */
  onThemeChange(cb: (theme: ThemeName) => void): () => void;
  /** A bearer token for our API. Throws HostError (sign_in_required, host_required, token_failed). */
  getToken(): Promise<string>;
  capabilities: HostCapabilities;
  signIn: SignIn;
  /** Present in sandbox mode (learned from GET /api/health). */
  sandboxUrl?: string;
  /** The Outlook add-in's Office.js session, when the page runs in Outlook. */
  office?: OfficeSession;
}

export interface ConnectHostOptions {
  /** "teams" for tab/side panel/stage/config; "office" for the Outlook task pane. */
  prefer?: "teams" | "office";
  window?: Window;
  loadTeams?: () => Promise<TeamsSdk>;
  /** Office.js readiness (taskpane); null when not in an Office host. */
  waitForOffice?: () => Promise<OfficeSession | null>;
  fetchImpl?: typeof fetch;
  storage?: Storage;
  matchMedia?: (query: string) => MediaQueryList;
  /**
   * How long to wait for a parent frame to answer TeamsJS' initialize. TeamsJS itself waits 60 s;
   * a real host answers in well under a second, so 3 s keeps the plain-browser fallback snappy.
   */
  initializeTimeoutMs?: number;
}

export const defaultInitializeTimeoutMs = 3_000;
const healthTimeoutMs = 3_000;

const openInHostMessage = "Open Coaching Circles in Teams or Outlook to sign in.";

/**
 * Works out where the page runs and returns the matching Host. Never hangs: a top-level window is
 * a plain browser at once (TeamsJS would reject anyway), and a parent frame that does not answer
 * within `initializeTimeoutMs` is treated as a plain browser too.
 */
export async function connectHost(options: ConnectHostOptions = {}): Promise<Host> {
  const win = options.window ?? window;
  const health = await fetchHealth(options.fetchImpl);
  const sandboxUrl = health?.sandboxUrl;

  if (options.prefer === "office" && options.waitForOffice) {
    const office = await options.waitForOffice();
    if (office) return officeHost(office, options, sandboxUrl);
    return browserHost(options, sandboxUrl, health);
  }

  if (win.parent === win) return browserHost(options, sandboxUrl, health);

  const teams = await connectTeams(options, sandboxUrl);
  if (!teams) return browserHost(options, sandboxUrl, health);
  return teamsHost(teams.sdk, teams.context, options, sandboxUrl);
}

async function fetchHealth(fetchImpl: typeof fetch | undefined): Promise<Health | undefined> {
  try {
    const doFetch = fetchImpl ?? globalThis.fetch;
    const response = await withTimeout(doFetch("/api/health", { headers: { Accept: "application/json" } }), healthTimeoutMs, () => new TimeoutError("health"));
    if (!response.ok) return undefined;
    return healthSchema.parse(await response.json());
  } catch {
    // Health only tells us the sandbox origin; without it we still run (Microsoft 365 mode rules apply).
    return undefined;
  }
}

type TeamsContext = Awaited<ReturnType<TeamsSdk["app"]["getContext"]>>;

async function connectTeams(
  options: ConnectHostOptions,
  sandboxUrl: string | undefined,
): Promise<{ sdk: TeamsSdk; context: TeamsContext } | undefined> {
  const timeoutMs = options.initializeTimeoutMs ?? defaultInitializeTimeoutMs;
  try {
    const sdk = await (options.loadTeams ?? loadTeamsSdk)();
    // TeamsJS only accepts messages from its built-in list of Microsoft origins plus these.
    const validMessageOrigins = sandboxUrl ? [new URL(sandboxUrl).origin] : [];
    await withTimeout(sdk.app.initialize(validMessageOrigins), timeoutMs, () => new TimeoutError("app.initialize"));
    const context = await withTimeout(sdk.app.getContext(), timeoutMs, () => new TimeoutError("app.getContext"));
    // Tells hosts that show a loading indicator that we are ready; older hosts need no reply.
    sdk.app.notifySuccess().catch(() => undefined);
    return { sdk, context };
  } catch {
    return undefined;
  }
}

function hostKindOf(hostName: string | undefined): HostKind {
  if (hostName === "Outlook" || hostName === "OutlookWin32") return "outlook";
  if (hostName === "Office") return "office";
  return "teams";
}

function teamsHost(sdk: TeamsSdk, ctx: TeamsContext, options: ConnectHostOptions, sandboxUrl: string | undefined): Host {
  const frameContext = toFrameContext(ctx.page.frameContext);
  let theme = toThemeName(ctx.app.theme);
  const listeners = new Set<(theme: ThemeName) => void>();
  // TeamsJS keeps a single theme handler; we register it once and fan out.
  sdk.app.registerOnThemeChangeHandler((next) => {
    theme = toThemeName(next);
    for (const cb of listeners) cb(theme);
  });
  const user =
    ctx.user?.id && ctx.user.tenant?.id
      ? { id: ctx.user.id, upn: ctx.user.userPrincipalName ?? "", tenantId: ctx.user.tenant.id }
      : undefined;
  const kind = hostKindOf(ctx.app.host?.name);
  const baseContext: Omit<HostContext, "theme"> = {
    kind,
    frameContext,
    user,
    meetingId: ctx.meeting?.id,
    chatId: ctx.chat?.id,
    ...(ctx.page.subPageId ? { subPageId: ctx.page.subPageId } : {}),
    locale: ctx.app.locale || navigatorLocale(options.window),
  };
  return {
    getHostContext: () => ({ ...baseContext, theme }),
    onThemeChange(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    async getToken() {
      try {
        return await sdk.authentication.getAuthToken();
      } catch (cause) {
        throw new HostError(
          "token_failed",
          "Teams couldn't sign you in to Coaching Circles. Reload the app; if it keeps happening, ask your admin to approve Coaching Circles.",
          { cause },
        );
      }
    },
    capabilities: createTeamsCapabilities(sdk, frameContext, kind),
    signIn: { kind: "host" },
    sandboxUrl,
  };
}

function navigatorLocale(win: Window | undefined): string {
  return (win ?? globalThis.window)?.navigator?.language?.toLowerCase() || "en-us";
}

function browserThemeSource(options: ConnectHostOptions) {
  return {
    read: () => readBrowserTheme(options.matchMedia),
    watch: (cb: (theme: ThemeName) => void) => watchBrowserTheme(cb, options.matchMedia),
  };
}

function browserHost(options: ConnectHostOptions, sandboxUrl: string | undefined, health: Health | undefined): Host {
  const theme = browserThemeSource(options);
  const signIn: SignIn = sandboxUrl
    ? { kind: "sandbox", identity: createSandboxIdentity(sandboxUrl, { fetchImpl: options.fetchImpl, storage: options.storage }) }
    : {
        kind: "unavailable",
        message: health ? openInHostMessage : "We couldn't reach Coaching Circles. Check your connection, then reload the page.",
      };
  return {
    getHostContext: () => ({
      kind: "browser",
      frameContext: "none",
      theme: theme.read(),
      locale: navigatorLocale(options.window),
    }),
    onThemeChange: theme.watch,
    getToken: () => {
      if (signIn.kind === "sandbox") return signIn.identity.getToken();
      return Promise.reject(new HostError("host_required", signIn.kind === "unavailable" ? signIn.message : openInHostMessage));
    },
    capabilities: unsupportedCapabilities,
    signIn,
    sandboxUrl,
  };
}

function officeHost(office: OfficeSession, options: ConnectHostOptions, sandboxUrl: string | undefined): Host {
  const theme = browserThemeSource(options);
  const parts = createOfficeHostParts(office);
  return {
    getHostContext: () => ({
      kind: office.host === "Outlook" ? "outlook" : "office",
      frameContext: "taskpane",
      theme: theme.read(),
      locale: office.displayLanguage?.toLowerCase() || navigatorLocale(options.window),
    }),
    onThemeChange: theme.watch,
    getToken: parts.getToken,
    capabilities: unsupportedCapabilities,
    signIn: { kind: "host" },
    sandboxUrl,
    office,
  };
}
