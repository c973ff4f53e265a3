import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SidePanelPage } from "../../../../../src/app/sidepanel/side-panel-page";
import type { HostContext } from "../../../../../src/host";
import { fakeHost } from "../../fake-host";
import { renderPage } from "../../render-page";
import { FakeEventSource, MEMBER, fakeSessionApi, sessionView } from "./fake-session";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
beforeEach(() => {
  FakeEventSource.instances = [];
  vi.stubGlobal("EventSource", FakeEventSource);
});

const asMember: Partial<HostContext> = {
  kind: "teams",
  frameContext: "sidePanel",
  meetingId: "MCMx",
  chatId: "19:meeting_x@thread.v2",
  user: { id: MEMBER, upn: "bo@contoso.test", tenantId: "tid" },
};
const XSS = "<img src=x onerror=alert(1)>";

/** The panel for Bo (not the facilitator) on a run in the given state, with insight and pulse routes. */
function open(state: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const view = { ...sessionView({ me: MEMBER, state }), ...extra };
  const api = fakeSessionApi({
    "GET /api/sessions/current": { body: { status: "linked", session: view } },
    [`POST /api/sessions/${view.id}/stream-ticket`]: { status: 201, body: { ticket: "x".repeat(32), expiresAt: "2030-01-01T00:00:00Z" } },
    [`POST /api/sessions/${view.id}/insights`]: (body) => ({ status: 201, body: { ...(body as object), createdAt: "2030-03-04T11:00:00Z", updatedAt: "2030-03-04T11:00:00Z" } }),
    [`POST /api/sessions/${view.id}/pulse`]: (body) => ({ body: { ...(body as object), updatedAt: "2030-03-04T11:00:00Z" } }),
  });
  vi.stubGlobal("fetch", api.fetchMock);
  renderPage(<SidePanelPage />, fakeHost({ context: asMember }).connect);
  return api;
}

const lastSegment = { status: "running", version: 9, currentSegmentIndex: 2, segmentStartedAt: Date.now() };

describe("side panel close", () => {
  it("appears only in the last segment (or after the end), not while the session is under way", async () => {
    open({ status: "running", version: 2, currentSegmentIndex: 1, segmentStartedAt: Date.now() });
    expect(await screen.findByRole("timer")).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Close" })).not.toBeInTheDocument();
  });

  it("saves my insight privately by default, keeping markup as text, with the keyboard alone", async () => {
    const api = open(lastSegment);
    const close = await screen.findByRole("region", { name: "Close" });
    const box = within(close).getByRole("textbox", { name: /One insight I'm taking away/ });
    const shareBox = within(close).getByRole("checkbox", { name: /Share it anonymously/ });
    expect(shareBox).not.toBeChecked();

    // Keyboard only (jsdom has no layout, so Fluent's tab order is not simulated: each control is focused, then keys do the rest).
    box.focus();
    await userEvent.keyboard(`Silence helps ${XSS}`);
    shareBox.focus();
    await userEvent.keyboard(" ");
    expect(shareBox).toBeChecked();
    await userEvent.keyboard(" ");
    expect(shareBox).not.toBeChecked();
    within(close).getByRole("button", { name: "Save my insight" }).focus();
    await userEvent.keyboard("{Enter}");

    expect(await within(close).findByText("Insight saved. Only you can see it.")).toBeInTheDocument();
    expect(api.requests.find((r) => r.path.endsWith("/insights"))?.body).toEqual({ text: `Silence helps ${XSS}`, shareWithProgram: false });
    expect(document.querySelector("img")).toBeNull();
    expect(within(close).getByRole("button", { name: "Update my insight" })).toBeDisabled();
  });

  it("shares it anonymously only when I tick the opt-in", async () => {
    const api = open({ ...lastSegment, status: "ended", endedAt: Date.now() });
    const close = await screen.findByRole("region", { name: "Close" });
    await userEvent.type(within(close).getByRole("textbox", { name: /One insight/ }), "Ask, then wait.");
    await userEvent.click(within(close).getByRole("checkbox", { name: /Share it anonymously/ }));
    await userEvent.click(within(close).getByRole("button", { name: "Save my insight" }));
    expect(await within(close).findByText("Insight saved, and shared anonymously with the program.")).toBeInTheDocument();
    expect(api.requests.find((r) => r.path.endsWith("/insights"))?.body).toEqual({ text: "Ask, then wait.", shareWithProgram: true });
  });

  it("sends the usefulness pulse in one tap, labelled for screen readers, and shows what I gave", async () => {
    const api = open(lastSegment);
    const group = await screen.findByRole("group", { name: "How useful was this session?" });
    const buttons = within(group).getAllByRole("button");
    expect(buttons.map((b) => b.getAttribute("aria-label"))).toEqual(["1 of 5: Not useful", "2 of 5: A little useful", "3 of 5: Useful", "4 of 5: Very useful", "5 of 5: Extremely useful"]);
    within(group).getByRole("button", { name: "4 of 5: Very useful" }).focus();
    await userEvent.keyboard(" ");
    expect(await screen.findByText("Thanks: you rated this session 4 of 5 (very useful).")).toBeInTheDocument();
    expect(within(group).getByRole("button", { name: "4 of 5: Very useful" })).toHaveAttribute("aria-pressed", "true");
    expect(api.requests.filter((r) => r.path.endsWith("/pulse")).map((r) => r.body)).toEqual([{ rating: 4 }]);
  });

  it("shows the insight and pulse I gave earlier when the panel reopens", async () => {
    open(lastSegment, { myInsight: { text: "Earlier thought", shareWithProgram: false, createdAt: "x", updatedAt: "x" }, myPulse: 2 });
    const close = await screen.findByRole("region", { name: "Close" });
    expect(within(close).getByRole("textbox", { name: /One insight/ })).toHaveValue("Earlier thought");
    expect(within(close).getByRole("button", { name: "2 of 5: A little useful" })).toHaveAttribute("aria-pressed", "true");
  });
});
