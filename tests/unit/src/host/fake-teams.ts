import { vi } from "vitest";
import type { TeamsSdk } from "../../../../src/host/teams-sdk";

/** Legacy-free TeamsJS v2 context, as app.getContext() returns it. */
export interface FakeTeamsContext {
  app: { theme: string; locale: string; host: { name: string } };
  page: { frameContext: string; id?: string };
  user?: { id: string; userPrincipalName?: string; tenant?: { id: string } };
  meeting?: { id: string };
  chat?: { id: string };
}

export const meetingContext: FakeTeamsContext = {
  app: { theme: "default", locale: "en-gb", host: { name: "Teams" } },
  page: { frameContext: "sidePanel" },
  user: { id: "oid-ada", userPrincipalName: "ada@contoso.test", tenant: { id: "tid-contoso" } },
  meeting: { id: "MCMxOTptZWV0aW5n" },
  chat: { id: "19:meeting_abc@thread.v2" },
};

/**
 * A stand-in for the TeamsJS module. `answers: false` models a parent frame that never replies
 * (TeamsJS would wait 60 s). `saveHandler()` is what Teams calls when the user presses Save.
 */
export function fakeTeams(options: { answers?: boolean; context?: FakeTeamsContext } = {}) {
  let themeHandler: ((theme: string) => void) | undefined;
  let saveHandler: ((event: { notifySuccess(): void; notifyFailure(reason?: string): void }) => void) | undefined;
  const sdk = {
    app: {
      initialize: vi.fn((_origins?: string[]) => (options.answers === false ? new Promise<void>(() => undefined) : Promise.resolve())),
      getContext: vi.fn(async () => options.context ?? meetingContext),
      notifySuccess: vi.fn(async () => undefined),
      isInitialized: vi.fn(() => true),
      registerOnThemeChangeHandler: vi.fn((handler: (theme: string) => void) => {
        themeHandler = handler;
      }),
    },
    authentication: { getAuthToken: vi.fn(async () => "teams-sso-token") },
    meeting: {
      getAppContentStageSharingCapabilities: vi.fn(
        (cb: (error: unknown, caps: { doesAppHaveSharePermission: boolean } | null) => void) => cb(null, { doesAppHaveSharePermission: true }),
      ),
      shareAppContentToStage: vi.fn((cb: (error: unknown, result: boolean | null) => void) => cb(null, true)),
    },
    pages: {
      config: {
        isSupported: vi.fn(() => true),
        registerOnSaveHandler: vi.fn((handler: typeof saveHandler) => {
          saveHandler = handler;
        }),
        setConfig: vi.fn(async () => undefined),
        setValidityState: vi.fn(),
      },
    },
  };
  return {
    sdk: sdk as unknown as TeamsSdk,
    mocks: sdk,
    /** The host switching theme (TeamsJS "themeChange" event). */
    emitTheme: (theme: string) => themeHandler?.(theme),
    pressSave() {
      const event = { notifySuccess: vi.fn(), notifyFailure: vi.fn() };
      if (!saveHandler) throw new Error("no save handler registered");
      saveHandler(event);
      return event;
    },
  };
}

/** A window inside an iframe (its parent is another window). */
export function iframeWindow(): Window {
  return { parent: {}, navigator: { language: "en-GB" } } as unknown as Window;
}

export const sandboxHealth = { status: "ok", mode: "sandbox", storage: "sqlite", sandboxUrl: "http://localhost:3001", version: "0.1.0" };
