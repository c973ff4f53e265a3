import { act, cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SidePanelPage } from "../../../../../src/app/sidepanel/side-panel-page";
import type { HostContext } from "../../../../../src/host";
import { FACILITATOR, FakeEventSource, MEMBER, fakeSessionApi, sessionView } from "../../app/sidepanel/fake-session";
import { fakeHost } from "../../fake-host";
import { renderPage } from "../../render-page";

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});
beforeEach(() => {
  FakeEventSource.instances = [];
  vi.stubGlobal("EventSource", FakeEventSource);
});

const XSS = "<img src=x onerror=alert(1)>";
/** How long the first render may take on a busy machine (a wait, not a timed assertion). */
const LOADED = 10_000;
const member = { id: FACILITATOR, upn: "ada@contoso.test", tenantId: "tid" };
const inMeeting: Partial<HostContext> = { kind: "teams", frameContext: "sidePanel", meetingId: "MCMx", chatId: "19:meeting_x@thread.v2", user: member };
const note = (id: string, authorId: string, text: string, createdAt: string, visibility: "private" | "circle" = "circle") => ({ id, authorId, visibility, text, createdAt });

function setup(noteAnswer?: { status: number; body: unknown }) {
  const view = sessionView();
  let tickets = 0;
  const api = fakeSessionApi({
    "GET /api/sessions/current": { body: { status: "linked", session: view } },
    [`POST /api/sessions/${view.id}/stream-ticket`]: () => ({ status: 201, body: { ticket: `ticket-${++tickets}-abcdefghijklmnop`, expiresAt: "2030-01-01T00:00:00Z" } }),
    [`POST /api/sessions/${view.id}/notes`]: (body) => {
      if (noteAnswer) return noteAnswer;
      const { text, visibility } = body as { text: string; visibility: "private" | "circle" };
      return { status: 201, body: { ...note("n-mine", FACILITATOR, text, "2030-03-04T10:20:00.000Z", visibility), mine: true } };
    },
    [`GET /api/sessions/${view.id}/notes`]: { body: { notes: [] } },
  });
  vi.stubGlobal("fetch", api.fetchMock);
  renderPage(<SidePanelPage />, fakeHost({ context: inMeeting }).connect);
  return { view, api };
}

const notesList = () => within(screen.getByRole("list", { name: "Notes" }));

// Rendering the whole panel in jsdom is slow on a busy machine; nothing here is timed.
describe("circle notes in the side panel", { timeout: 20_000 }, () => {
  it("shows another member's circle note as it arrives on the stream, as text, and never polls while live", async () => {
    const { api } = setup();
    expect(await screen.findByRole("heading", { name: "Leads circle" }, { timeout: LOADED })).toBeInTheDocument();
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    const stream = FakeEventSource.instances[0]!;
    act(() => stream.emit("open"));
    act(() => stream.emit("notes", { notes: [note("n1", MEMBER, `Bo's note ${XSS}`, "2030-03-04T10:10:00.000Z")] }));
    expect(await notesList().findByText(`Bo's note ${XSS}`)).toBeInTheDocument();
    expect(notesList().getByText("Circle: members · from Bo Chen")).toBeInTheDocument();
    expect(document.querySelector('img[src="x"]')).toBeNull();
    // The same note again (a replay) is not shown twice.
    act(() => stream.emit("notes", { notes: [note("n1", MEMBER, `Bo's note ${XSS}`, "2030-03-04T10:10:00.000Z")] }));
    expect(notesList().getAllByRole("listitem")).toHaveLength(1);
    expect(api.requests.filter((r) => r.method === "GET" && r.path.endsWith("/notes"))).toEqual([]);
  });

  it("adds my own note at once, marked private, and clears the field", async () => {
    setup();
    await userEvent.type(await screen.findByRole("textbox", { name: "Note" }, { timeout: LOADED }), "Only for me");
    await userEvent.click(screen.getByRole("button", { name: "Save note" }));
    expect(await notesList().findByText("Only for me")).toBeInTheDocument();
    expect(notesList().getByText("Private: only you")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Note" })).toHaveValue("");
  });

  it("keeps what I typed and says what to do when the note could not be saved", async () => {
    setup({ status: 503, body: { error: { code: "unavailable", message: "Notes can't be saved right now. Try again in a minute." } } });
    await userEvent.type(await screen.findByRole("textbox", { name: "Note" }, { timeout: LOADED }), "Keep me");
    await userEvent.click(screen.getByRole("button", { name: "Save note" }));
    expect(await screen.findByText("Notes can't be saved right now. Try again in a minute.")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Note" })).toHaveValue("Keep me");
    expect(screen.getByRole("button", { name: "Save note" })).toBeEnabled();
  });

  it("reconnects with the version and the newest note it holds, so the server sends only what it lacks", async () => {
    setup();
    expect(await screen.findByRole("heading", { name: "Leads circle" }, { timeout: LOADED })).toBeInTheDocument();
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    const first = FakeEventSource.instances[0]!;
    expect(new URL(first.url, "http://app.test").searchParams.get("lastEventId")).toBe("0");
    act(() => first.emit("notes", { notes: [note("n1", MEMBER, "first", "2030-03-04T10:10:00.000Z")] }));
    act(() => first.emit("error"));
    expect(first.closed).toBe(true);
    // After the backoff, a new stream with a new ticket.
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(2), { timeout: 3_000 });
    const second = FakeEventSource.instances[1]!;
    const params = new URL(second.url, "http://app.test").searchParams;
    expect(params.get("ticket")).toBe("ticket-2-abcdefghijklmnop");
    expect(params.get("lastEventId")).toBe(`0.${Date.parse("2030-03-04T10:10:00.000Z")}`);
  });

  it("falls back to reading the notes while live updates are unavailable", async () => {
    vi.stubGlobal("EventSource", undefined);
    const { api } = setup();
    expect(await screen.findByText("Live updates aren't available in this browser.", {}, { timeout: LOADED })).toBeInTheDocument();
    await vi.waitFor(() => expect(api.requests.some((r) => r.method === "GET" && r.path.endsWith("/notes"))).toBe(true));
  });
});
