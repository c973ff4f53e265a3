import {
  appRequestSchema,
  ErrorCode,
  instanceConfigSchema,
  type AppRequest,
  type DemoUser,
  type FrameContext,
  type HostEvent,
  type HostResponse,
  type InstanceConfig,
  type SdkError,
  type Surface,
  type Theme,
} from "./wire";

/**
 * The host side of the TeamsJS v2 protocol, without the DOM: the page (./main.ts) attaches its
 * iframes' windows and forwards `message` events here; unit tests attach fake windows.
 */

/** The part of `Window` the host needs from a framed app. */
export interface FrameWindow {
  postMessage(message: unknown, targetOrigin: string): void;
}

export interface HostedFrame {
  surface: Surface;
  frameContext: FrameContext;
  window: FrameWindow;
  /** `page.id` in the app's context: the manifest entity id of the tab. */
  entityId: string;
  /** `page.subPageId` in the app's context: a deep link's "subEntityId" (the tab opened at it). */
  subEntityId?: string;
}

export interface MeetingRef {
  /** What `ctx.meeting.id` carries: base64 of `0#<chat thread id>#0`, as Teams sends it. */
  id: string;
  chatId: string;
  title: string;
}

export interface HostLogEntry {
  level: "info" | "warn" | "error";
  surface?: Surface;
  func?: string;
  message: string;
}

export interface TeamsHostHooks {
  shareToStage(url: string): void;
  stopSharing(): void;
  validityChanged(valid: boolean): void;
  configSaved(config: InstanceConfig): void;
  saveFailed(reason: string): void;
  log(entry: HostLogEntry): void;
}

export interface TeamsHostOptions {
  /** Messages from any other origin are ignored, and replies are posted to this origin only. */
  appOrigin: string;
  tenantId: string;
  locale?: string;
  currentUser(): DemoUser | undefined;
  currentTheme(): Theme;
  /** The meeting the meeting surfaces run in; undefined outside a meeting. */
  currentMeeting(): MeetingRef | undefined;
  /** An SSO token for our API for this user (the sandbox's POST /identity/token). */
  fetchToken(userPrincipalName: string): Promise<string>;
  hooks?: Partial<TeamsHostHooks>;
}

export interface IncomingMessage {
  source: unknown;
  origin: string;
  data: unknown;
}

export interface ReceivedCall {
  surface: Surface;
  func: string;
  args: unknown[];
}

/** The SDK version our host claims to support: the app's own TeamsJS version. */
export const CLIENT_SUPPORTED_SDK_VERSION = "2.58.0";

/**
 * The runtime capabilities we answer. `apiVersion` 4 is `latestRuntimeApiVersion` in 2.58;
 * `meeting`, `pages.config` and `authentication` gate the `isSupported()` checks the app makes.
 */
export const RUNTIME_CONFIG = {
  apiVersion: 4,
  isLegacyTeams: false,
  hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
  supports: {
    appInitialization: {},
    authentication: {},
    meeting: {},
    pages: { appButton: {}, tabs: {}, config: {}, backStack: {} },
    teamsCore: {},
  },
} as const;

/** Surfaces that run inside the meeting (and so see `meeting` and `chat` in their context). */
const MEETING_SURFACES: ReadonlySet<Surface> = new Set(["sidepanel", "stage", "config"]);

type Handler = (request: AppRequest, frame: HostedFrame) => unknown[] | undefined | Promise<unknown[] | undefined>;

export class TeamsHost {
  /** Every request received, for the page's status area and for tests. */
  readonly received: ReceivedCall[] = [];
  private readonly frames: HostedFrame[] = [];
  private readonly hooks: Partial<TeamsHostHooks>;
  private readonly sessionId = randomId();
  private pendingConfig: InstanceConfig | undefined;
  private saved: InstanceConfig | undefined;
  private valid = false;
  private stageUrl: string | undefined;
  private readonly handlers: Record<string, Handler>;

  constructor(private readonly options: TeamsHostOptions) {
    this.hooks = options.hooks ?? {};
    this.handlers = {
      initialize: (_req, frame) => [frame.frameContext, "web", JSON.stringify(RUNTIME_CONFIG), CLIENT_SUPPORTED_SDK_VERSION],
      getContext: (_req, frame) => [this.legacyContext(frame)],
      "authentication.getAuthToken": () => this.getAuthToken(),
      // One-way notifications: the library does not wait for an answer.
      "appInitialization.appLoaded": () => undefined,
      "appInitialization.success": () => undefined,
      "appInitialization.failure": (req, frame) => this.logAppFailure(req, frame),
      "appInitialization.expectedFailure": (req, frame) => this.logAppFailure(req, frame),
      registerHandler: () => undefined,
      readyToUnload: () => undefined,
      returnFocus: () => undefined,
      executeDeepLink: (req, frame) => {
        this.log({ level: "info", surface: frame.surface, func: req.func, message: `deep link (not followed in the sandbox): ${String(req.args[0])}` });
        return [true];
      },
      "settings.setValidityState": (req, frame) => this.setValidityState(req, frame),
      "settings.setSettings": (req, frame) => this.setSettings(req, frame),
      "settings.getSettings": (_req, frame) => [(frame.surface === "config" ? (this.pendingConfig ?? this.saved) : this.saved) ?? {}],
      "settings.save.success": () => this.saveSucceeded(),
      "settings.save.failure": (req) => {
        this.hooks.saveFailed?.(typeof req.args[0] === "string" ? req.args[0] : "The app reported that saving failed.");
        return undefined;
      },
      "meeting.getAppContentStageSharingCapabilities": (_req, frame) =>
        this.inMeeting(frame) ? [null, { doesAppHaveSharePermission: true }] : [notInContext("stage sharing")],
      "meeting.shareAppContentToStage": (req, frame) => this.shareToStage(req, frame),
      "meeting.getAppContentStageSharingState": (_req, frame) =>
        this.inMeeting(frame) ? [null, { isAppSharing: this.stageUrl !== undefined }] : [notInContext("stage sharing")],
      "meeting.stopSharingAppContentToStage": (_req, frame) => {
        if (!this.inMeeting(frame)) return [notInContext("stage sharing")];
        this.stageUrl = undefined;
        this.hooks.stopSharing?.();
        return [null, true];
      },
      "meeting.getMeetingDetails": (_req, frame) => this.meetingDetails(frame),
    };
  }

  /** Starts answering a frame's messages. Returns the detach function. */
  attach(frame: HostedFrame): () => void {
    this.frames.push(frame);
    return () => {
      const index = this.frames.indexOf(frame);
      if (index >= 0) this.frames.splice(index, 1);
    };
  }

  get savedConfig(): InstanceConfig | undefined {
    return this.saved;
  }

  get isValid(): boolean {
    return this.valid;
  }

  get sharedStageUrl(): string | undefined {
    return this.stageUrl;
  }

  /** Forgets the configuration dialog's state (a new dialog starts invalid, as in Teams). */
  resetConfigDialog(): void {
    this.pendingConfig = undefined;
    this.valid = false;
  }

  /**
   * The user shared the app to the stage from the meeting's share tray (Teams offers this
   * without the app asking); the stage then loads `url` in the `meetingStage` context.
   */
  shareFromHost(url: string): void {
    this.stageUrl = url;
    this.hooks.shareToStage?.(url);
  }

  /** Stops sharing from the host side (the user pressed "Stop sharing"). */
  stopSharing(): void {
    this.stageUrl = undefined;
  }

  /** Sends `themeChange` to every framed app, as Teams does when the user switches theme. */
  broadcastTheme(theme: Theme): void {
    for (const frame of this.frames) this.sendEvent(frame, { func: "themeChange", args: [theme] });
  }

  /**
   * The user pressed Save in the configuration dialog: Teams sends `settings.save` to the
   * settings frame and waits for `settings.save.success` / `.failure`. Returns false when no
   * configuration frame is attached or the app has not declared its state valid.
   */
  requestSave(): boolean {
    const frame = this.frames.find((f) => f.frameContext === "settings");
    if (!frame || !this.valid) return false;
    this.sendEvent(frame, { func: "settings.save", args: [this.pendingConfig ?? {}] });
    return true;
  }

  /** Handles one `message` event; ignores anything not from an attached frame on the app origin. */
  async handleMessage(event: IncomingMessage): Promise<void> {
    const frame = this.frames.find((f) => f.window === event.source);
    if (!frame) return;
    if (event.origin !== this.options.appOrigin) {
      this.log({ level: "warn", surface: frame.surface, message: `ignored a message from unexpected origin ${event.origin}` });
      return;
    }
    // Host → app replies echo back through our own listener in some setups; only requests have `func` and `id`.
    const parsed = appRequestSchema.safeParse(event.data);
    if (!parsed.success) return;
    const request = parsed.data;
    this.received.push({ surface: frame.surface, func: request.func, args: request.args });

    if (frame.surface === "taskpane") {
      // Outlook hosts the task pane as an Office add-in; Office.js is not emulated, and a TeamsJS
      // call there gets no answer, as in Outlook itself.
      this.log({ level: "info", surface: frame.surface, func: request.func, message: "not answered: the Outlook task pane is not a TeamsJS host" });
      return;
    }

    const handler = this.handlers[request.func];
    if (!handler) {
      this.log({ level: "warn", surface: frame.surface, func: request.func, message: "not supported by the sandbox host" });
      const error: SdkError = { errorCode: ErrorCode.NOT_SUPPORTED_ON_PLATFORM, message: `${request.func} is not supported by the sandbox Teams host.` };
      this.reply(frame, request, [error]);
      return;
    }
    this.log({ level: "info", surface: frame.surface, func: request.func, message: "received" });
    let args: unknown[] | undefined;
    try {
      args = await handler(request, frame);
    } catch (cause) {
      this.log({ level: "error", surface: frame.surface, func: request.func, message: errorMessage(cause) });
      args = [{ errorCode: ErrorCode.INTERNAL_ERROR, message: errorMessage(cause) } satisfies SdkError];
    }
    // The frame may have been detached (view switched) while a token was being fetched.
    if (args !== undefined && this.frames.includes(frame)) this.reply(frame, request, args);
  }

  private reply(frame: HostedFrame, request: AppRequest, args: unknown[]): void {
    const response: HostResponse = { id: request.id, uuidAsString: request.uuidAsString, args };
    frame.window.postMessage(response, this.options.appOrigin);
  }

  private sendEvent(frame: HostedFrame, event: HostEvent): void {
    if (frame.surface === "taskpane") return;
    frame.window.postMessage(event, this.options.appOrigin);
  }

  private log(entry: HostLogEntry): void {
    this.hooks.log?.(entry);
  }

  private inMeeting(frame: HostedFrame): boolean {
    return (frame.frameContext === "sidePanel" || frame.frameContext === "meetingStage") && this.options.currentMeeting() !== undefined;
  }

  /** The v1 ("legacy") context shape: TeamsJS v2 maps it to `app.Context` in `app.getContext()`. */
  private legacyContext(frame: HostedFrame): Record<string, unknown> {
    const user = this.options.currentUser();
    const meeting = MEETING_SURFACES.has(frame.surface) ? this.options.currentMeeting() : undefined;
    return {
      locale: this.options.locale ?? "en-gb",
      theme: this.options.currentTheme(),
      hostName: "Teams",
      hostClientType: "web",
      sessionId: this.sessionId,
      appSessionId: randomId(),
      ringId: "general",
      frameContext: frame.frameContext,
      entityId: frame.entityId,
      subEntityId: frame.subEntityId,
      isFullScreen: false,
      isMultiWindow: false,
      userObjectId: user?.id,
      userPrincipalName: user?.userPrincipalName,
      loginHint: user?.userPrincipalName,
      tid: this.options.tenantId,
      tenantSKU: "enterprise",
      userLicenseType: "Unknown",
      chatId: meeting?.chatId,
      meetingId: meeting?.id,
    };
  }

  private async getAuthToken(): Promise<unknown[]> {
    const user = this.options.currentUser();
    if (!user) return [false, "No user is signed in to the sandbox Teams host."];
    try {
      return [true, await this.options.fetchToken(user.userPrincipalName)];
    } catch (cause) {
      return [false, errorMessage(cause)];
    }
  }

  private logAppFailure(request: AppRequest, frame: HostedFrame): undefined {
    const [reason, message] = request.args;
    this.log({ level: "error", surface: frame.surface, func: request.func, message: `app reported ${String(reason)}: ${String(message ?? "")}` });
    return undefined;
  }

  private setValidityState(request: AppRequest, frame: HostedFrame): undefined {
    if (frame.frameContext !== "settings") return undefined;
    this.valid = request.args[0] === true;
    this.hooks.validityChanged?.(this.valid);
    return undefined;
  }

  private setSettings(request: AppRequest, frame: HostedFrame): unknown[] {
    const parsed = instanceConfigSchema.safeParse(request.args[0]);
    if (!parsed.success) return [false, "The configuration needs a contentUrl."];
    const config = parsed.data;
    // Teams only loads tab pages from the manifest's validDomains: here, the app's origin.
    for (const url of [config.contentUrl, config.websiteUrl, config.removeUrl]) {
      if (url !== undefined && !this.isAppUrl(url)) return [false, `${url} is not in the app's validDomains.`];
    }
    if (frame.frameContext === "settings") this.pendingConfig = config;
    else this.saved = config;
    return [true];
  }

  private saveSucceeded(): undefined {
    if (!this.pendingConfig) {
      this.hooks.saveFailed?.("The app reported success without calling pages.config.setConfig.");
      return undefined;
    }
    this.saved = this.pendingConfig;
    this.hooks.configSaved?.(this.saved);
    return undefined;
  }

  private shareToStage(request: AppRequest, frame: HostedFrame): unknown[] {
    if (!this.inMeeting(frame)) return [notInContext("stage sharing")];
    const url = request.args[0];
    if (typeof url !== "string" || !this.isAppUrl(url)) {
      const error: SdkError = { errorCode: ErrorCode.INVALID_ARGUMENTS, message: `Cannot share ${String(url)}: not in the app's validDomains.` };
      return [error, null];
    }
    this.stageUrl = url;
    this.hooks.shareToStage?.(url);
    return [null, true];
  }

  private meetingDetails(frame: HostedFrame): unknown[] {
    const meeting = MEETING_SURFACES.has(frame.surface) ? this.options.currentMeeting() : undefined;
    if (!meeting) return [notInContext("meeting details"), null];
    const user = this.options.currentUser();
    return [
      null,
      {
        details: { id: meeting.id, title: meeting.title, type: "Scheduled", joinUrl: `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(meeting.chatId)}/0` },
        conversation: { id: meeting.chatId },
        organizer: { id: user?.id, tenantId: this.options.tenantId },
      },
    ];
  }

  private isAppUrl(url: string): boolean {
    try {
      return new URL(url).origin === this.options.appOrigin;
    } catch {
      return false;
    }
  }
}

function notInContext(what: string): SdkError {
  return { errorCode: ErrorCode.NOT_SUPPORTED_IN_CURRENT_CONTEXT, message: `${what} is only available in a meeting's side panel or stage.` };
}

function errorMessage(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

function randomId(): string {
  return globalThis.crypto.randomUUID();
}

/** `ctx.meeting.id` as Teams forms it: base64 of `0#<chat thread id>#0`. */
export function meetingIdForChat(chatId: string): string {
  return btoa(`0#${chatId}#0`);
}
