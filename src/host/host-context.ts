/** Where the page runs. Components branch on capabilities; this is for wording and diagnostics. */
export type HostKind = "teams" | "outlook" | "office" | "browser";

/** The host's theme names (TeamsJS `app.theme`); the browser maps onto the same three. */
export type ThemeName = "default" | "dark" | "contrast";

/**
 * The surface the host shows us in (TeamsJS `page.frameContext`, plus "taskpane" for the
 * Outlook add-in and "none" outside any host).
 */
export type FrameContext =
  | "content"
  | "sidePanel"
  | "meetingStage"
  | "settings"
  | "remove"
  | "task"
  | "stage"
  | "taskpane"
  | "none";

export interface HostUser {
  /** Entra object id. */
  id: string;
  upn: string;
  tenantId: string;
}

export interface HostContext {
  kind: HostKind;
  frameContext: FrameContext;
  theme: ThemeName;
  /** Absent for anonymous and guest users, and outside a host. */
  user?: HostUser;
  meetingId?: string;
  chatId?: string;
  /**
   * TeamsJS `page.subPageId`: where inside the tab a deep link asked to open (its context's
   * "subEntityId"), e.g. "circle:<id>" from a nudge. Absent when the tab was opened plainly.
   */
  subPageId?: string;
  /** BCP 47, e.g. "en-gb". */
  locale: string;
}

export function toThemeName(value: string | undefined | null): ThemeName {
  return value === "dark" || value === "contrast" ? value : "default";
}

const frameContexts: readonly FrameContext[] = [
  "content",
  "sidePanel",
  "meetingStage",
  "settings",
  "remove",
  "task",
  "stage",
  "taskpane",
];

export function toFrameContext(value: string | undefined | null): FrameContext {
  return frameContexts.find((c) => c === value) ?? "none";
}
