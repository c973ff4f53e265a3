import { meetingIdForChat, TeamsHost, type HostedFrame, type HostLogEntry, type MeetingRef, type ReceivedCall } from "./teams-host";
import {
  hostConfigSchema,
  meetingsResponseSchema,
  THEMES,
  tokenResponseSchema,
  usersResponseSchema,
  type DemoUser,
  type FrameContext,
  type InstanceConfig,
  type SandboxMeeting,
  type Surface,
  type Theme,
} from "./wire";

/**
 * The sandbox's stand-in for the Microsoft Teams web client: a user switcher, a theme switch
 * and four views that frame our app's surfaces, answering them over the TeamsJS protocol.
 * State lives in the query string (`?view=meeting&user=<upn>&theme=dark&meeting=<chat id>`),
 * so a test or a bookmark can open any view directly.
 */

type View = "tab" | "meeting" | "outlook" | "config";
const VIEWS: readonly { id: View; label: string }[] = [
  { id: "tab", label: "Personal tab" },
  { id: "meeting", label: "Meeting" },
  { id: "outlook", label: "Outlook" },
  { id: "config", label: "Configure tab" },
];

/** A mock meeting's chat thread, in the shape Teams uses for meeting chats. */
const DEFAULT_MEETING_CHAT_ID = "19:meeting_U2FuZGJveERlbW9NZWV0aW5nMDAx@thread.v2";
const SIDE_PANEL_WIDTH_PX = 320;
const TASK_PANE_WIDTH_PX = 350;
const LOG_LIMIT = 300;

export interface SandboxHostApi {
  readonly ready: boolean;
  readonly view: View;
  readonly theme: Theme;
  readonly user: DemoUser | undefined;
  readonly savedConfig: InstanceConfig | undefined;
  readonly stageUrl: string | undefined;
  /** Every TeamsJS request the host received, oldest first. */
  readonly received: readonly ReceivedCall[];
  readonly log: readonly HostLogEntry[];
}

declare global {
  interface Window {
    sandboxHost: SandboxHostApi;
  }
}

const configElement = document.getElementById("host-config");
const config = hostConfigSchema.parse(JSON.parse(configElement?.textContent ?? "{}"));
const appOrigin = new URL(config.appUrl).origin;
const params = new URLSearchParams(location.search);

let users: DemoUser[] = [];
let user: DemoUser | undefined;
let theme: Theme = parseTheme(params.get("theme"));
let view: View = parseView(params.get("view"));
let ready = false;
const logEntries: HostLogEntry[] = [];
const MOCK_MEETING_TITLE = "Coaching circle (mock meeting)";
let meetings: SandboxMeeting[] = [];
let meeting: MeetingRef = meetingFor(params.get("meeting") || DEFAULT_MEETING_CHAT_ID);

const host = new TeamsHost({
  appOrigin,
  tenantId: config.tenantId,
  locale: "en-gb",
  currentUser: () => user,
  currentTheme: () => theme,
  currentMeeting: () => meeting,
  fetchToken,
  hooks: {
    log: addLog,
    shareToStage: (url) => showStage(url),
    stopSharing: () => showStage(undefined),
    validityChanged: (valid) => updateSaveButton(valid),
    configSaved: (saved) => showSavedConfig(saved),
    saveFailed: (reason) => showConfigStatus(`Saving failed: ${reason}`, "error"),
  },
});

window.sandboxHost = {
  get ready() {
    return ready;
  },
  get view() {
    return view;
  },
  get theme() {
    return theme;
  },
  get user() {
    return user;
  },
  get savedConfig() {
    return host.savedConfig;
  },
  get stageUrl() {
    return host.sharedStageUrl;
  },
  received: host.received,
  log: logEntries,
};

window.addEventListener("message", (event) => {
  void host.handleMessage({ source: event.source, origin: event.origin, data: event.data });
});

let detachFrames: (() => void)[] = [];
let stageDetach: (() => void) | undefined;

void start();

async function start(): Promise<void> {
  document.documentElement.dataset.theme = theme;
  renderThemeSwitch();
  renderViewNav();
  try {
    const response = await fetch(`${config.sandboxUrl}/identity/users`);
    if (!response.ok) throw new Error(`GET /identity/users answered ${response.status}`);
    users = usersResponseSchema.parse(await response.json()).value;
  } catch (cause) {
    addLog({ level: "error", message: `Could not load the demo users: ${cause instanceof Error ? cause.message : String(cause)}` });
  }
  meetings = await loadMeetings();
  meeting = meetingFor(meeting.chatId);
  const wanted = params.get("user")?.toLowerCase();
  user = users.find((u) => u.userPrincipalName.toLowerCase() === wanted || u.id === wanted) ?? users[0];
  renderUserSwitch();
  renderView();
  ready = true;
}

/** Meetings booked through the sandbox's Graph, so the meeting view can open a real one. */
async function loadMeetings(): Promise<SandboxMeeting[]> {
  try {
    const response = await fetch(`${config.sandboxUrl}/sandbox/meetings`);
    if (!response.ok) return [];
    return meetingsResponseSchema.parse(await response.json()).value.filter((m) => !m.ended);
  } catch {
    // No meetings booked yet or an older sandbox: the mock meeting is always there.
    return [];
  }
}

function meetingFor(chatId: string): MeetingRef {
  const booked = meetings.find((m) => m.chatId === chatId);
  return { id: meetingIdForChat(chatId), chatId, title: booked?.subject ?? (chatId === DEFAULT_MEETING_CHAT_ID ? MOCK_MEETING_TITLE : "Meeting") };
}

function meetingPicker(): HTMLLabelElement {
  const label = document.createElement("label");
  label.className = "meeting-picker";
  const select = document.createElement("select");
  select.id = "meeting-switch";
  const choices = [{ chatId: DEFAULT_MEETING_CHAT_ID, subject: MOCK_MEETING_TITLE }, ...meetings];
  if (!choices.some((m) => m.chatId === meeting.chatId)) choices.push({ chatId: meeting.chatId, subject: meeting.title });
  select.replaceChildren(...choices.map((m) => new Option(m.subject, m.chatId, false, m.chatId === meeting.chatId)));
  select.onchange = () => {
    meeting = meetingFor(select.value);
    setParam("meeting", meeting.chatId === DEFAULT_MEETING_CHAT_ID ? undefined : meeting.chatId);
    addLog({ level: "info", message: `joined ${meeting.title} (${meeting.chatId})` });
    renderView();
  };
  label.append("Meeting ", select);
  return label;
}

async function fetchToken(upn: string): Promise<string> {
  const response = await fetch(`${config.sandboxUrl}/identity/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ upn }),
  });
  if (!response.ok) throw new Error(`The sandbox identity service refused a token for ${upn} (HTTP ${response.status}).`);
  return tokenResponseSchema.parse(await response.json()).access_token;
}

function renderUserSwitch(): void {
  const select = byId<HTMLSelectElement>("user-switch");
  select.replaceChildren(
    ...users.map((u) => {
      const option = new Option(`${u.displayName} — ${u.jobTitle ?? u.userPrincipalName}`, u.userPrincipalName);
      option.selected = u === user;
      return option;
    }),
  );
  select.disabled = users.length === 0;
  select.onchange = () => {
    user = users.find((u) => u.userPrincipalName === select.value);
    setParam("user", user?.userPrincipalName);
    addLog({ level: "info", message: `signed in as ${user?.displayName ?? "nobody"}; reloading the app` });
    // Signing in as someone else reloads every app frame, as a Teams account switch does.
    renderView();
  };
}

function renderThemeSwitch(): void {
  const select = byId<HTMLSelectElement>("theme-switch");
  select.replaceChildren(...THEMES.map((t) => new Option(themeLabel(t), t, false, t === theme)));
  select.onchange = () => {
    theme = parseTheme(select.value);
    document.documentElement.dataset.theme = theme;
    setParam("theme", theme === "default" ? undefined : theme);
    addLog({ level: "info", message: `theme changed to ${theme}` });
    host.broadcastTheme(theme);
  };
}

function renderViewNav(): void {
  const nav = byId<HTMLElement>("view-nav");
  nav.replaceChildren(
    ...VIEWS.map(({ id, label }) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.dataset.view = id;
      button.onclick = () => {
        view = id;
        setParam("view", id === "tab" ? undefined : id);
        renderView();
      };
      return button;
    }),
  );
}

function renderView(): void {
  for (const detach of detachFrames) detach();
  detachFrames = [];
  host.stopSharing();
  for (const button of byId<HTMLElement>("view-nav").querySelectorAll<HTMLButtonElement>("button")) {
    if (button.dataset.view === view) button.setAttribute("aria-current", "page");
    else button.removeAttribute("aria-current");
  }
  const main = byId<HTMLElement>("view");
  main.replaceChildren();
  main.dataset.view = view;
  if (!user) {
    main.append(paragraph("No demo user is available: is the sandbox identity service running?"));
    return;
  }
  if (view === "tab") renderTabView(main);
  else if (view === "meeting") renderMeetingView(main);
  else if (view === "outlook") renderOutlookView(main);
  else renderConfigView(main);
}

function renderTabView(main: HTMLElement): void {
  // The manifest's personal tab ("circles"); `?view=tab&subPage=circle:<id>` opens it as a nudge's deep link does.
  const frame = appFrame({ surface: "tab", frameContext: "content", entityId: "circles", src: `${config.appUrl}/tab`, title: "Coaching Circles (personal tab)" });
  frame.className = "frame frame-tab";
  main.append(heading("Coaching Circles", "view-title"), frame);
  attachFrame(frame, "tab", "content", "circles", params.get("subPage") || undefined);
}

function renderMeetingView(main: HTMLElement): void {
  const layout = element("div", "meeting");
  const stageArea = element("section", "meeting-main");
  stageArea.setAttribute("aria-labelledby", "meeting-title");
  const bar = element("div", "meeting-bar");
  const title = heading(meeting.title, "meeting-title");
  const sharing = element("p", "sharing-note");
  sharing.id = "sharing-note";
  sharing.hidden = true;
  const stop = document.createElement("button");
  stop.type = "button";
  stop.id = "stop-sharing";
  stop.textContent = "Stop sharing";
  stop.hidden = true;
  stop.onclick = () => {
    host.stopSharing();
    showStage(undefined);
  };
  const share = document.createElement("button");
  share.type = "button";
  share.id = "share-stage";
  share.textContent = "Share Coaching Circles to stage";
  share.onclick = () => host.shareFromHost(`${config.appUrl}/stage`);
  bar.append(title, meetingPicker(), sharing, share, stop);

  const grid = element("ul", "video-grid");
  grid.id = "video-grid";
  grid.setAttribute("aria-label", "Participants (mock video)");
  for (const participant of users.slice(0, 6)) {
    const tile = element("li", "video-tile");
    const initials = element("span", "initials");
    initials.setAttribute("aria-hidden", "true");
    initials.textContent = participant.displayName
      .split(" ")
      .map((part) => part[0] ?? "")
      .join("");
    tile.append(initials, document.createTextNode(participant.displayName));
    grid.append(tile);
  }
  const stage = element("div", "stage");
  stage.id = "stage";
  stage.hidden = true;
  stageArea.append(bar, grid, stage);

  const panel = element("aside", "side-panel");
  panel.setAttribute("aria-labelledby", "side-panel-title");
  const panelTitle = heading("Coaching Circles", "side-panel-title", "h3");
  const src = host.savedConfig?.contentUrl ?? `${config.appUrl}/sidepanel`;
  const entityId = host.savedConfig?.entityId ?? "circle";
  const frame = appFrame({ surface: "sidepanel", frameContext: "sidePanel", entityId, src, title: "Coaching Circles (meeting side panel)" });
  frame.className = "frame frame-sidepanel";
  frame.style.width = `${SIDE_PANEL_WIDTH_PX}px`;
  panel.append(panelTitle, frame);
  layout.append(stageArea, panel);
  main.append(layout);
  attachFrame(frame, "sidepanel", "sidePanel", entityId);
}

function showStage(url: string | undefined): void {
  const stage = document.getElementById("stage");
  const grid = document.getElementById("video-grid");
  const note = document.getElementById("sharing-note");
  const stop = document.getElementById("stop-sharing");
  const share = document.getElementById("share-stage");
  if (!stage || !grid || !note || !stop || !share) return;
  const previous = stage.querySelector("iframe");
  if (previous) {
    detachFrames = detachFrames.filter((detach) => detach !== stageDetach);
    stageDetach?.();
    stageDetach = undefined;
    previous.remove();
  }
  stage.hidden = url === undefined;
  grid.hidden = url !== undefined;
  note.hidden = url === undefined;
  stop.hidden = url === undefined;
  share.hidden = url !== undefined;
  if (url === undefined) {
    addLog({ level: "info", message: "stopped sharing to the meeting stage" });
    return;
  }
  note.textContent = `${user?.displayName ?? "Someone"} is sharing Coaching Circles`;
  const frame = appFrame({ surface: "stage", frameContext: "meetingStage", entityId: "circle", src: url, title: "Coaching Circles (meeting stage)" });
  frame.className = "frame frame-stage";
  stage.append(frame);
  stageDetach = attachFrame(frame, "stage", "meetingStage", "circle");
  addLog({ level: "info", surface: "stage", message: `shared to stage: ${url}` });
}

function renderOutlookView(main: HTMLElement): void {
  const layout = element("div", "outlook");
  const compose = element("section", "compose");
  compose.setAttribute("aria-labelledby", "compose-title");
  compose.append(
    heading("New event (mock Outlook)", "compose-title"),
    paragraph("Office.js is not emulated here: the task pane runs standalone, as in a plain browser."),
  );
  const pane = element("aside", "task-pane");
  pane.setAttribute("aria-labelledby", "task-pane-title");
  const frame = appFrame({ surface: "taskpane", frameContext: "content", entityId: "taskpane", src: `${config.appUrl}/taskpane`, title: "Coaching Circles (Outlook task pane)" });
  frame.className = "frame frame-taskpane";
  frame.style.width = `${TASK_PANE_WIDTH_PX}px`;
  pane.append(heading("Coaching Circles", "task-pane-title", "h3"), frame);
  layout.append(compose, pane);
  main.append(layout);
  attachFrame(frame, "taskpane", "content", "taskpane");
}

function renderConfigView(main: HTMLElement): void {
  host.resetConfigDialog();
  const dialog = element("section", "dialog");
  dialog.setAttribute("role", "dialog");
  dialog.setAttribute("aria-labelledby", "config-title");
  const frame = appFrame({ surface: "config", frameContext: "settings", entityId: "", src: `${config.appUrl}/config`, title: "Coaching Circles (tab configuration)" });
  frame.className = "frame frame-config";
  const footer = element("div", "dialog-footer");
  const status = element("p", "config-status");
  status.id = "config-status";
  status.setAttribute("role", "status");
  const save = document.createElement("button");
  save.type = "button";
  save.id = "config-save";
  save.className = "primary";
  save.textContent = "Save";
  save.disabled = true;
  save.onclick = () => {
    if (host.requestSave()) showConfigStatus("Saving…", "info");
  };
  footer.append(status, save);
  const saved = element("section", "saved-config");
  saved.id = "saved-config";
  saved.setAttribute("aria-labelledby", "saved-config-title");
  saved.hidden = true;
  dialog.append(heading("Add Coaching Circles to the meeting", "config-title"), frame, footer, saved);
  main.append(dialog);
  attachFrame(frame, "config", "settings", "");
}

function updateSaveButton(valid: boolean): void {
  const save = document.getElementById("config-save");
  if (save instanceof HTMLButtonElement) save.disabled = !valid;
}

function showConfigStatus(text: string, level: "info" | "error"): void {
  const status = document.getElementById("config-status");
  if (!status) return;
  status.textContent = text;
  status.dataset.level = level;
}

function showSavedConfig(saved: InstanceConfig): void {
  showConfigStatus("Saved. The tab is now in the meeting.", "info");
  const section = document.getElementById("saved-config");
  if (!section) return;
  const list = document.createElement("dl");
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) continue;
    const term = document.createElement("dt");
    term.textContent = key;
    const detail = document.createElement("dd");
    detail.textContent = String(value);
    detail.dataset.key = key;
    list.append(term, detail);
  }
  section.replaceChildren(heading("Saved tab configuration", "saved-config-title", "h3"), list);
  section.hidden = false;
}

interface FrameSpec {
  surface: Surface;
  frameContext: FrameContext;
  entityId: string;
  src: string;
  title: string;
}

function appFrame(spec: FrameSpec): HTMLIFrameElement {
  const frame = document.createElement("iframe");
  frame.src = spec.src;
  frame.title = spec.title;
  frame.dataset.surface = spec.surface;
  frame.setAttribute("allow", "clipboard-write");
  return frame;
}

/** Attaches an iframe (already in the document, so it has a window) to the TeamsJS host. */
function attachFrame(frame: HTMLIFrameElement, surface: Surface, frameContext: FrameContext, entityId: string, subEntityId?: string): () => void {
  const win = frame.contentWindow;
  if (!win) throw new Error(`The ${surface} frame has no window yet.`);
  const hosted: HostedFrame = { surface, frameContext, entityId, window: win, ...(subEntityId ? { subEntityId } : {}) };
  const detach = host.attach(hosted);
  detachFrames.push(detach);
  return detach;
}

function addLog(entry: HostLogEntry): void {
  logEntries.push(entry);
  if (logEntries.length > LOG_LIMIT) logEntries.shift();
  const list = document.getElementById("log");
  if (!list) return;
  const item = document.createElement("li");
  item.dataset.level = entry.level;
  item.textContent = [entry.surface, entry.func, entry.message].filter(Boolean).join(" · ");
  list.append(item);
  while (list.childElementCount > LOG_LIMIT) list.firstElementChild?.remove();
  if (entry.level !== "info") console.warn(`[sandbox host] ${item.textContent}`);
}

function setParam(name: string, value: string | undefined): void {
  const url = new URL(location.href);
  if (value === undefined) url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  history.replaceState(null, "", url);
}

function parseTheme(value: string | null): Theme {
  return THEMES.find((t) => t === value) ?? "default";
}

function parseView(value: string | null): View {
  return VIEWS.find((v) => v.id === value)?.id ?? "tab";
}

function themeLabel(t: Theme): string {
  return t === "default" ? "Light" : t === "dark" ? "Dark" : "High contrast";
}

function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The host page has no #${id}.`);
  return found as T;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  created.className = className;
  return created;
}

function heading(text: string, id: string, tag: "h2" | "h3" = "h2"): HTMLHeadingElement {
  const h = document.createElement(tag);
  h.id = id;
  h.textContent = text;
  return h;
}

function paragraph(text: string): HTMLParagraphElement {
  const p = document.createElement("p");
  p.textContent = text;
  return p;
}
