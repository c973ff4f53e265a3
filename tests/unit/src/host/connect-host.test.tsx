import { afterEach, describe, expect, it, vi } from "vitest";
import { connectHost } from "../../../../src/host";
import { fakeApi } from "../fake-host";
import { fakeTeams, iframeWindow, meetingContext, sandboxHealth } from "./fake-teams";

afterEach(() => {
  vi.useRealTimers();
});

const healthFetch = () => fakeApi({ "/api/health": { body: sandboxHealth } });

describe("connectHost decides where the page runs", () => {
  it("treats a top-level window as a plain browser at once, without loading TeamsJS", async () => {
    vi.useFakeTimers();
    const loadTeams = vi.fn();
    const host = await connectHost({ window, loadTeams, fetchImpl: healthFetch() });
    expect(loadTeams).not.toHaveBeenCalled();
    expect(host.getHostContext()).toMatchObject({ kind: "browser", frameContext: "none" });
    expect(host.signIn.kind).toBe("sandbox");
  });

  it("falls back to a plain browser when the parent frame never answers initialize", async () => {
    vi.useFakeTimers();
    const teams = fakeTeams({ answers: false });
    let settled = false;
    const pending = connectHost({ window: iframeWindow(), loadTeams: async () => teams.sdk, fetchImpl: healthFetch() }).finally(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(2_900);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    const host = await pending;
    expect(host.getHostContext().kind).toBe("browser");
  });

  it("passes the sandbox origin to TeamsJS as a valid message origin", async () => {
    const teams = fakeTeams();
    await connectHost({ window: iframeWindow(), loadTeams: async () => teams.sdk, fetchImpl: healthFetch() });
    expect(teams.mocks.app.initialize).toHaveBeenCalledWith(["http://localhost:3001"]);
  });

  it("reads meeting, chat, user and theme from the Teams context", async () => {
    const teams = fakeTeams({ context: { ...meetingContext, app: { ...meetingContext.app, theme: "dark" } } });
    const host = await connectHost({ window: iframeWindow(), loadTeams: async () => teams.sdk, fetchImpl: healthFetch() });
    expect(host.getHostContext()).toEqual({
      kind: "teams",
      frameContext: "sidePanel",
      theme: "dark",
      user: { id: "oid-ada", upn: "ada@contoso.test", tenantId: "tid-contoso" },
      meetingId: "MCMxOTptZWV0aW5n",
      chatId: "19:meeting_abc@thread.v2",
      locale: "en-gb",
    });
    await expect(host.getToken()).resolves.toBe("teams-sso-token");
  });

  it("recognises Outlook as the host of the personal tab", async () => {
    const teams = fakeTeams({
      context: { app: { theme: "default", locale: "en-us", host: { name: "Outlook" } }, page: { frameContext: "content" }, user: meetingContext.user },
    });
    const host = await connectHost({ window: iframeWindow(), loadTeams: async () => teams.sdk, fetchImpl: healthFetch() });
    expect(host.getHostContext().kind).toBe("outlook");
    // Meetings live in Teams only.
    expect(host.capabilities.stageSharing.isSupported()).toBe(false);
  });

  it("has no user for an anonymous meeting participant", async () => {
    const teams = fakeTeams({ context: { ...meetingContext, user: { id: "" } } });
    const host = await connectHost({ window: iframeWindow(), loadTeams: async () => teams.sdk, fetchImpl: healthFetch() });
    expect(host.getHostContext().user).toBeUndefined();
  });

  it("offers stage sharing only in the side panel and on the stage", async () => {
    for (const [frameContext, supported] of [
      ["sidePanel", true],
      ["meetingStage", true],
      ["content", false],
      ["settings", false],
    ] as const) {
      const teams = fakeTeams({ context: { ...meetingContext, page: { frameContext } } });
      const host = await connectHost({ window: iframeWindow(), loadTeams: async () => teams.sdk, fetchImpl: healthFetch() });
      expect(host.capabilities.stageSharing.isSupported(), frameContext).toBe(supported);
      expect(host.capabilities.tabConfig.isSupported(), frameContext).toBe(frameContext === "settings");
    }
  });

  it("shares a page to the stage after checking permission", async () => {
    const teams = fakeTeams();
    const host = await connectHost({ window: iframeWindow(), loadTeams: async () => teams.sdk, fetchImpl: healthFetch() });
    await expect(host.capabilities.stageSharing.canShare()).resolves.toBe(true);
    await host.capabilities.stageSharing.share("http://localhost:3000/stage");
    expect(teams.mocks.meeting.shareAppContentToStage).toHaveBeenCalledWith(expect.any(Function), "http://localhost:3000/stage");
  });

  it("tells a plain-browser user in Microsoft 365 mode to open the app in Teams or Outlook", async () => {
    const host = await connectHost({
      window,
      fetchImpl: fakeApi({ "/api/health": { body: { status: "ok", mode: "microsoft365", storage: "postgres" } } }),
    });
    expect(host.signIn).toEqual({ kind: "unavailable", message: expect.stringMatching(/Open Coaching Circles in Teams or Outlook/) });
    await expect(host.getToken()).rejects.toMatchObject({ code: "host_required" });
  });

  it("uses Office when the task pane runs in Outlook, and the browser when it doesn't", async () => {
    const office = { host: "Outlook", platform: "OfficeOnline", getAppointmentComposer: () => undefined, getAccessToken: async () => "office-sso" };
    const inOutlook = await connectHost({ prefer: "office", waitForOffice: async () => office, fetchImpl: healthFetch() });
    expect(inOutlook.getHostContext()).toMatchObject({ kind: "outlook", frameContext: "taskpane" });
    await expect(inOutlook.getToken()).resolves.toBe("office-sso");
    const standalone = await connectHost({ prefer: "office", waitForOffice: async () => null, fetchImpl: healthFetch() });
    expect(standalone.getHostContext().kind).toBe("browser");
    expect(standalone.office).toBeUndefined();
  });
});
