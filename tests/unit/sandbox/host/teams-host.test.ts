import { describe, expect, it } from "vitest";
import { meetingIdForChat, TeamsHost, type FrameWindow, type HostLogEntry, type MeetingRef, type TeamsHostOptions } from "../../../../sandbox/host/client/teams-host";
import type { DemoUser, FrameContext, InstanceConfig, Surface, Theme } from "../../../../sandbox/host/client/wire";

const APP_ORIGIN = "http://localhost:3000";
const TENANT = "8a6f1c2e-4b7d-4c1e-9f3a-2d5e6b7c8a90";
const MEGAN: DemoUser = { id: "00000000-0000-4000-8000-000000000001", displayName: "Megan Bowen", userPrincipalName: "megan@contoso.example" };
const CHAT_ID = "19:meeting_abc@thread.v2";
const MEETING: MeetingRef = { id: meetingIdForChat(CHAT_ID), chatId: CHAT_ID, title: "Circle" };

/** A framed app's window: records what the host posts to it. */
class FakeFrame implements FrameWindow {
  readonly posted: { message: Record<string, unknown>; targetOrigin: string }[] = [];
  postMessage(message: unknown, targetOrigin: string): void {
    this.posted.push({ message: message as Record<string, unknown>, targetOrigin });
  }
  get last(): Record<string, unknown> | undefined {
    return this.posted.at(-1)?.message;
  }
}

function setup(overrides: Partial<TeamsHostOptions> = {}) {
  let theme: Theme = "default";
  const saved: InstanceConfig[] = [];
  const shared: string[] = [];
  const failures: string[] = [];
  const logs: HostLogEntry[] = [];
  const tokensFor: string[] = [];
  const host = new TeamsHost({
    appOrigin: APP_ORIGIN,
    tenantId: TENANT,
    currentUser: () => MEGAN,
    currentTheme: () => theme,
    currentMeeting: () => MEETING,
    fetchToken: async (upn) => {
      tokensFor.push(upn);
      return `token-for-${upn}`;
    },
    hooks: {
      configSaved: (config) => saved.push(config),
      shareToStage: (url) => shared.push(url),
      saveFailed: (reason) => failures.push(reason),
      log: (entry) => logs.push(entry),
    },
    ...overrides,
  });
  const frame = (surface: Surface, frameContext: FrameContext) => {
    const window = new FakeFrame();
    host.attach({ surface, frameContext, window, entityId: "circle" });
    let nextId = 0;
    const call = async (func: string, ...args: unknown[]) => {
      const id = nextId++;
      await host.handleMessage({ source: window, origin: APP_ORIGIN, data: { id, uuidAsString: `uuid-${surface}-${id}`, func, args, timestamp: Date.now() } });
      const reply = window.posted.find((p) => p.message.id === id)?.message;
      return reply?.args as unknown[] | undefined;
    };
    return { window, call };
  };
  return { host, frame, saved, shared, failures, logs, tokensFor, setTheme: (t: Theme) => (theme = t) };
}

describe("sandbox Teams host (TeamsJS protocol)", () => {
  it("answers initialize with the frame context, web client, an apiVersion 4 runtime and SDK 2.58.0, echoing id and uuid", async () => {
    const { frame } = setup();
    const sidePanel = frame("sidepanel", "sidePanel");
    await sidePanel.call("initialize", "2.58.0", 4, [APP_ORIGIN]);

    const { message, targetOrigin } = sidePanel.window.posted[0]!;
    expect(targetOrigin).toBe(APP_ORIGIN);
    expect(message).toMatchObject({ id: 0, uuidAsString: "uuid-sidepanel-0" });
    const [frameContext, clientType, runtimeJson, sdkVersion] = message.args as [string, string, string, string];
    expect([frameContext, clientType, sdkVersion]).toEqual(["sidePanel", "web", "2.58.0"]);
    const runtime = JSON.parse(runtimeJson) as { apiVersion: number; supports: Record<string, unknown> };
    expect(runtime.apiVersion).toBe(4);
    expect(runtime.supports).toMatchObject({ meeting: {}, authentication: {}, pages: { config: {} } });
  });

  it("ignores messages from windows it does not host and from other origins", async () => {
    const { host, frame, logs } = setup();
    const tab = frame("tab", "content");
    const stranger = new FakeFrame();
    await host.handleMessage({ source: stranger, origin: APP_ORIGIN, data: { id: 0, uuidAsString: "x", func: "initialize", args: [] } });
    await host.handleMessage({ source: tab.window, origin: "https://evil.example", data: { id: 0, uuidAsString: "x", func: "initialize", args: [] } });

    expect(stranger.posted).toHaveLength(0);
    expect(tab.window.posted).toHaveLength(0);
    expect(logs.some((l) => l.message.includes("https://evil.example"))).toBe(true);
  });

  it("gives the side panel a context with the meeting, chat, user, tenant, theme and en-gb locale", async () => {
    const { frame, setTheme } = setup();
    setTheme("dark");
    const [context] = (await frame("sidepanel", "sidePanel").call("getContext"))!;
    expect(context).toMatchObject({
      hostName: "Teams",
      hostClientType: "web",
      frameContext: "sidePanel",
      theme: "dark",
      locale: "en-gb",
      userObjectId: MEGAN.id,
      userPrincipalName: MEGAN.userPrincipalName,
      tid: TENANT,
      meetingId: MEETING.id,
      chatId: CHAT_ID,
    });
    expect(atob(MEETING.id)).toBe(`0#${CHAT_ID}#0`);
  });

  it("gives the personal tab no meeting and no chat", async () => {
    const { frame } = setup();
    const [context] = (await frame("tab", "content").call("getContext")) as [Record<string, unknown>];
    expect(context.frameContext).toBe("content");
    expect(context.meetingId).toBeUndefined();
    expect(context.chatId).toBeUndefined();
  });

  it("passes a deep link's sub-entity to the tab it opens (TeamsJS reads it as page.subPageId)", async () => {
    const { host } = setup();
    const window = new FakeFrame();
    host.attach({ surface: "tab", frameContext: "content", window, entityId: "circles", subEntityId: "circle:c1" });
    await host.handleMessage({ source: window, origin: APP_ORIGIN, data: { id: 0, uuidAsString: "u", func: "getContext", args: [] } });
    const [context] = window.posted[0]!.message.args as [Record<string, unknown>];
    expect(context).toMatchObject({ entityId: "circles", subEntityId: "circle:c1" });
    // Opened plainly, there is none.
    const [plain] = (await setup().frame("tab", "content").call("getContext")) as [Record<string, unknown>];
    expect(plain.subEntityId).toBeUndefined();
  });

  it("answers getAuthToken with a token for the signed-in demo user", async () => {
    const { frame, tokensFor } = setup();
    const reply = await frame("tab", "content").call("authentication.getAuthToken", undefined, undefined, undefined, undefined);
    expect(reply).toEqual([true, `token-for-${MEGAN.userPrincipalName}`]);
    expect(tokensFor).toEqual([MEGAN.userPrincipalName]);
  });

  it("reports a failed token request as [false, reason] so the app's promise rejects", async () => {
    const { frame } = setup({
      fetchToken: async () => {
        throw new Error("identity service down");
      },
    });
    expect(await frame("tab", "content").call("authentication.getAuthToken")).toEqual([false, "identity service down"]);
  });

  it("sends themeChange to every hosted frame when the theme changes", () => {
    const { host, frame } = setup();
    const panel = frame("sidepanel", "sidePanel");
    const stage = frame("stage", "meetingStage");
    host.broadcastTheme("contrast");
    for (const f of [panel, stage]) expect(f.window.last).toEqual({ func: "themeChange", args: ["contrast"] });
  });

  it("runs the configuration Save flow: valid state, setConfig, settings.save, notifySuccess", async () => {
    const { host, frame, saved } = setup();
    const config = frame("config", "settings");
    expect(host.requestSave()).toBe(false); // invalid until the app says otherwise

    await config.call("settings.setValidityState", true);
    const contentUrl = `${APP_ORIGIN}/sidepanel?circle=c1`;
    expect(await config.call("settings.setSettings", { entityId: "c1", contentUrl, suggestedDisplayName: "Circle" })).toEqual([true]);
    expect(host.requestSave()).toBe(true);
    expect(config.window.last).toEqual({ func: "settings.save", args: [{ entityId: "c1", contentUrl, suggestedDisplayName: "Circle" }] });
    expect(saved).toHaveLength(0);

    await config.call("settings.save.success");
    expect(saved).toEqual([{ entityId: "c1", contentUrl, suggestedDisplayName: "Circle" }]);
    expect(host.savedConfig?.contentUrl).toBe(contentUrl);
    expect(await config.call("settings.getSettings")).toEqual([{ entityId: "c1", contentUrl, suggestedDisplayName: "Circle" }]);
  });

  it("refuses a configuration whose contentUrl is outside the app's domain", async () => {
    const { frame } = setup();
    const reply = await frame("config", "settings").call("settings.setSettings", { contentUrl: "https://elsewhere.example/x" });
    expect(reply?.[0]).toBe(false);
    expect(String(reply?.[1])).toContain("validDomains");
  });

  it("reports the app's save failure", async () => {
    const { frame, failures } = setup();
    await frame("config", "settings").call("settings.save.failure", "no circle chosen");
    expect(failures).toEqual(["no circle chosen"]);
  });

  it("lets the side panel share an app URL to the stage and reports the sharing state", async () => {
    const { frame, shared } = setup();
    const panel = frame("sidepanel", "sidePanel");
    expect(await panel.call("meeting.getAppContentStageSharingCapabilities")).toEqual([null, { doesAppHaveSharePermission: true }]);
    expect(await panel.call("meeting.getAppContentStageSharingState")).toEqual([null, { isAppSharing: false }]);
    expect(await panel.call("meeting.shareAppContentToStage", `${APP_ORIGIN}/stage?run=1`, { sharingProtocol: "Collaborative" })).toEqual([null, true]);
    expect(shared).toEqual([`${APP_ORIGIN}/stage?run=1`]);
    expect(await panel.call("meeting.getAppContentStageSharingState")).toEqual([null, { isAppSharing: true }]);
  });

  it("refuses stage sharing outside a meeting and for foreign URLs", async () => {
    const { frame, shared } = setup();
    const [tabError] = (await frame("tab", "content").call("meeting.shareAppContentToStage", `${APP_ORIGIN}/stage`))!;
    expect(tabError).toMatchObject({ errorCode: 501 });
    const [foreignError] = (await frame("sidepanel", "sidePanel").call("meeting.shareAppContentToStage", "https://elsewhere.example/stage"))!;
    expect(foreignError).toMatchObject({ errorCode: 4000 });
    expect(shared).toEqual([]);
  });

  it("answers an unknown function with an SdkError the library recognises, and logs it", async () => {
    const { frame, logs } = setup();
    const [error] = (await frame("tab", "content").call("calendar.composeMeeting", {}))!;
    expect(error).toMatchObject({ errorCode: 100 });
    expect(logs.some((l) => l.func === "calendar.composeMeeting" && l.level === "warn")).toBe(true);
  });

  it("does not answer one-way notifications such as appInitialization.success", async () => {
    const { host, frame } = setup();
    const tab = frame("tab", "content");
    expect(await tab.call("appInitialization.success", "2.58.0")).toBeUndefined();
    expect(tab.window.posted).toHaveLength(0);
    expect(host.received.map((r) => r.func)).toEqual(["appInitialization.success"]);
  });

  it("does not answer TeamsJS from the Outlook task pane (Outlook is an Office.js host)", async () => {
    const { frame } = setup();
    const pane = frame("taskpane", "content");
    expect(await pane.call("initialize", "2.58.0", 4, [])).toBeUndefined();
    expect(pane.window.posted).toHaveLength(0);
  });

  it("stops answering a frame once it is detached", async () => {
    const { host } = setup();
    const window = new FakeFrame();
    const detach = host.attach({ surface: "tab", frameContext: "content", window, entityId: "home" });
    detach();
    await host.handleMessage({ source: window, origin: APP_ORIGIN, data: { id: 0, uuidAsString: "u", func: "getContext", args: [] } });
    expect(window.posted).toHaveLength(0);
  });
});
