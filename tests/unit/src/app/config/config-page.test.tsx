import { cleanup, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConfigPage } from "../../../../../src/app/config/config-page";
import { connectHost } from "../../../../../src/host";
import { fakeApi, fakeHost } from "../../fake-host";
import { fakeTeams, iframeWindow, sandboxHealth } from "../../host/fake-teams";

type FakeTeams = ReturnType<typeof fakeTeams>;
import { renderPage } from "../../render-page";

// The page loads TeamsJS through the host layer's dynamic import; this replaces the module.
const teams = vi.hoisted(() => ({ current: undefined as FakeTeams | undefined }));
vi.mock("@microsoft/teams-js", () => ({
  get app() {
    return teams.current?.mocks.app;
  },
  get authentication() {
    return teams.current?.mocks.authentication;
  },
  get meeting() {
    return teams.current?.mocks.meeting;
  },
  get pages() {
    return teams.current?.mocks.pages;
  },
}));

beforeEach(() => {
  teams.current = fakeTeams({
    context: {
      app: { theme: "default", locale: "en-gb", host: { name: "Teams" } },
      page: { frameContext: "settings" },
      user: { id: "oid-ada", userPrincipalName: "ada@contoso.test", tenant: { id: "tid" } },
      chat: { id: "19:meeting_abc@thread.v2" },
      meeting: { id: "MCMx" },
    },
  });
});
afterEach(cleanup);

const connectInTeams = () =>
  connectHost({ window: iframeWindow(), fetchImpl: fakeApi({ "/api/health": { body: sandboxHealth } }) });

describe("meeting tab configuration page", () => {
  it("enables Save, then stores the side panel and personal tab URLs when Teams saves", async () => {
    renderPage(<ConfigPage />, connectInTeams);
    expect(await screen.findByRole("heading", { level: 1, name: "Add Coaching Circles to this meeting" })).toBeInTheDocument();
    const mocks = teams.current!.mocks;
    await waitFor(() => expect(mocks.pages.config.setValidityState).toHaveBeenCalledWith(true));

    const event = teams.current!.pressSave();
    const origin = window.location.origin;
    expect(mocks.pages.config.setConfig).toHaveBeenCalledWith({
      entityId: "coaching-session",
      contentUrl: `${origin}/sidepanel`,
      websiteUrl: `${origin}/tab`,
      suggestedDisplayName: "Coaching circle",
    });
    await waitFor(() => expect(event.notifySuccess).toHaveBeenCalledTimes(1));
    expect(event.notifyFailure).not.toHaveBeenCalled();
  });

  it("tells Teams the save failed, and the user why, when setConfig is refused", async () => {
    teams.current!.mocks.pages.config.setConfig.mockRejectedValueOnce(new Error("Not allowed"));
    renderPage(<ConfigPage />, connectInTeams);
    await waitFor(() => expect(teams.current!.mocks.pages.config.setValidityState).toHaveBeenCalledWith(true));
    const event = teams.current!.pressSave();
    await waitFor(() => expect(event.notifyFailure).toHaveBeenCalled());
    expect(event.notifySuccess).not.toHaveBeenCalled();
    expect(await screen.findByText("The tab wasn't saved.")).toBeInTheDocument();
  });

  it("explains that the page belongs to Teams when opened in a browser", async () => {
    renderPage(<ConfigPage />, fakeHost({ context: { kind: "browser", frameContext: "none" } }).connect);
    expect(await screen.findByText("This page is for Teams.")).toBeInTheDocument();
  });
});
