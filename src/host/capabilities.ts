import type { FrameContext, HostKind } from "./host-context";
import { HostError } from "./host-error";
import type { TeamsSdk } from "./teams-sdk";

/** Share our page to the meeting stage (TeamsJS `meeting`); side panel and stage only. */
export interface StageSharingCapability {
  isSupported(): boolean;
  /** Whether the signed-in user may share (presenters/organizers; needs MeetingStage.Write.Chat). */
  canShare(): Promise<boolean>;
  share(url: string): Promise<void>;
}

/** What Teams stores for a configurable tab (TeamsJS `pages.config.setConfig`). */
export interface TabConfig {
  entityId: string;
  contentUrl: string;
  websiteUrl?: string;
  suggestedDisplayName?: string;
  removeUrl?: string;
}

export interface SaveEvent {
  notifySuccess(): void;
  notifyFailure(reason?: string): void;
}

/** The tab configuration page's contract with Teams (TeamsJS `pages.config`); settings frame only. */
export interface TabConfigCapability {
  isSupported(): boolean;
  /** Teams calls `handler` when the user presses Save; the handler must notify success or failure. */
  onSave(handler: (event: SaveEvent) => void): void;
  setConfig(config: TabConfig): Promise<void>;
  /** Enables Teams' Save button. */
  setValidityState(valid: boolean): void;
}

export interface HostCapabilities {
  stageSharing: StageSharingCapability;
  tabConfig: TabConfigCapability;
}

const notSupported = (what: string) =>
  new HostError("not_supported", `${what} is only available inside a Teams meeting.`);

export const unsupportedCapabilities: HostCapabilities = {
  stageSharing: {
    isSupported: () => false,
    canShare: async () => false,
    share: async () => {
      throw notSupported("Sharing to the meeting stage");
    },
  },
  tabConfig: {
    isSupported: () => false,
    onSave: () => {
      throw notSupported("Setting up the meeting tab");
    },
    setConfig: async () => {
      throw notSupported("Setting up the meeting tab");
    },
    setValidityState: () => undefined,
  },
};

function safely(check: () => boolean): boolean {
  // TeamsJS' isSupported() throws when called before initialize completes; that means "no".
  try {
    return check();
  } catch {
    return false;
  }
}

export function createTeamsCapabilities(teams: TeamsSdk, frameContext: FrameContext, kind: HostKind): HostCapabilities {
  // TeamsJS has no meeting.isSupported(); its meeting calls require the side panel or stage frame,
  // and only Teams hosts meetings (Outlook and the Microsoft 365 app do not).
  const stageFrames: FrameContext[] = ["sidePanel", "meetingStage"];
  const stageSharing: StageSharingCapability = {
    isSupported: () => kind === "teams" && stageFrames.includes(frameContext) && safely(() => teams.app.isInitialized()),
    canShare: () =>
      new Promise((resolve) => {
        if (!stageSharing.isSupported()) return resolve(false);
        teams.meeting.getAppContentStageSharingCapabilities((error, capabilities) => {
          resolve(!error && capabilities?.doesAppHaveSharePermission === true);
        });
      }),
    share: (url) =>
      new Promise((resolve, reject) => {
        if (!stageSharing.isSupported()) return reject(notSupported("Sharing to the meeting stage"));
        teams.meeting.shareAppContentToStage((error) => {
          if (error) {
            reject(
              new HostError("not_supported", "Teams didn't share the agenda to the stage. Check that you're a presenter, then try again.", {
                cause: error,
              }),
            );
          } else resolve();
        }, url);
      }),
  };
  const tabConfig: TabConfigCapability = {
    isSupported: () => frameContext === "settings" && safely(() => teams.pages.config.isSupported()),
    onSave: (handler) => teams.pages.config.registerOnSaveHandler((event) => handler(event)),
    setConfig: (config) => teams.pages.config.setConfig(config),
    setValidityState: (valid) => teams.pages.config.setValidityState(valid),
  };
  return { stageSharing, tabConfig };
}
