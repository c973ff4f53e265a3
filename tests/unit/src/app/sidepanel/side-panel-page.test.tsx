import { act, cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SidePanelPage } from "../../../../../src/app/sidepanel/side-panel-page";
import type { HostContext } from "../../../../../src/host";
import { fakeHost } from "../../fake-host";
import { renderPage } from "../../render-page";
import { FACILITATOR, FakeEventSource, MEMBER, fakeSessionApi, sessionView } from "./fake-session";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
beforeEach(() => {
  FakeEventSource.instances = [];
  vi.stubGlobal("EventSource", FakeEventSource);
});

const member = { id: FACILITATOR, upn: "ada@contoso.test", tenantId: "tid" };
const inMeeting: Partial<HostContext> = { kind: "teams", frameContext: "sidePanel", meetingId: "MCMx", chatId: "19:meeting_x@thread.v2", user: member };

const cases: Array<[string, Partial<HostContext>, RegExp]> = [
  ["a plain browser", { kind: "browser", frameContext: "none" }, /Open this panel in a Teams meeting/],
  ["a Teams tab outside a meeting", { kind: "teams", frameContext: "content", user: member }, /Open this panel in a Teams meeting/],
  ["a guest in a meeting", { kind: "teams", frameContext: "sidePanel", meetingId: "MCMx", chatId: "19:x" }, /for members of this organisation/],
];

describe("meeting side panel", () => {
  it.each(cases)("in %s, says where the user stands", async (_name, context, message) => {
    renderPage(<SidePanelPage />, fakeHost({ context }).connect);
    expect(await screen.findByRole("heading", { level: 1, name: "Coaching circle" })).toBeInTheDocument();
    expect(screen.getByRole("main")).toHaveTextContent(message);
    expect(screen.getAllByRole("heading", { level: 1 })).toHaveLength(1);
  });

  it("tells a non-member the session is for its circle, showing none of it", async () => {
    const { fetchMock } = fakeSessionApi({
      "GET /api/sessions/current": { status: 404, body: { error: { code: "not_found", message: "This meeting belongs to a coaching circle you're not a member of." } } },
    });
    vi.stubGlobal("fetch", fetchMock);
    renderPage(<SidePanelPage />, fakeHost({ context: inMeeting }).connect);
    expect(await screen.findByText(/for its circle's members/)).toBeInTheDocument();
    expect(screen.getByRole("main")).toHaveTextContent("you're not a member");
    expect(screen.queryByRole("timer")).not.toBeInTheDocument();
  });

  it("offers to link an unlinked meeting to one of my circles, then shows its session", async () => {
    const api = fakeSessionApi({
      "GET /api/sessions/current": { body: { status: "notLinked", circles: [{ id: "c1", name: "Leads circle" }] } },
      "POST /api/sessions/links": { body: { status: "linked", session: sessionView() } },
      "POST /api/sessions/11111111-1111-4111-8111-111111111111/stream-ticket": { status: 201, body: { ticket: "t".repeat(32), expiresAt: "2030-01-01T00:00:00Z" } },
    });
    vi.stubGlobal("fetch", api.fetchMock);
    renderPage(<SidePanelPage />, fakeHost({ context: inMeeting }).connect);
    expect(await screen.findByText(/isn't linked to a circle yet/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Link this meeting" }));
    expect(await screen.findByRole("timer")).toHaveTextContent("8:00");
    expect(api.requests.find((r) => r.path === "/api/sessions/links")?.body).toEqual({ chatId: "19:meeting_x@thread.v2", meetingId: "MCMx", circleId: "c1" });
  });

  it("lets the facilitator start the session, follows other clients' changes from the stream, and never puts the token in the stream URL", async () => {
    const view = sessionView();
    const api = fakeSessionApi({
      "GET /api/sessions/current": { body: { status: "linked", session: view } },
      [`POST /api/sessions/${view.id}/stream-ticket`]: { status: 201, body: { ticket: "ticket-abcdefghijklmnop", expiresAt: "2030-01-01T00:00:00Z" } },
      [`POST /api/sessions/${view.id}/intents`]: () => ({ body: { state: { ...view.state, version: 1, status: "running", segmentStartedAt: Date.now() }, serverNow: Date.now() } }),
    });
    vi.stubGlobal("fetch", api.fetchMock);
    renderPage(<SidePanelPage />, fakeHost({ context: inMeeting }).connect);

    expect(await screen.findByRole("heading", { name: "Leads circle" })).toBeInTheDocument();
    const roles = screen.getByRole("region", { name: "Today's roles" });
    expect(within(roles).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["You: Facilitator", "Bo Chen: Case owner", "Cy Díaz: Coach"]);

    await userEvent.click(screen.getByRole("button", { name: "Start session" }));
    expect(api.requests.find((r) => r.path.endsWith("/intents"))?.body).toEqual({ type: "start" });
    expect(await screen.findByRole("button", { name: "Next segment" })).toBeInTheDocument();

    const stream = FakeEventSource.instances.at(-1)!;
    expect(stream.url).toContain("ticket=ticket-abcdefghijklmnop");
    expect(stream.url).not.toContain("test-token");
    act(() => stream.emit("state", { state: { ...view.state, version: 2, status: "running", currentSegmentIndex: 1, segmentStartedAt: Date.now() }, serverNow: Date.now() }));
    expect(await screen.findByRole("heading", { name: "question storm" })).toBeInTheDocument();
    expect(screen.getByText(/Bo Chen listens now/)).toBeInTheDocument();
    // An older version arriving late never rolls the panel back.
    act(() => stream.emit("state", { state: { ...view.state, version: 1, status: "running", segmentStartedAt: Date.now() }, serverNow: Date.now() }));
    expect(screen.getByRole("heading", { name: "question storm" })).toBeInTheDocument();
  });

  it("gives a member who isn't the facilitator no run controls, and shows a refused intent's reason", async () => {
    const view = sessionView({ me: MEMBER, state: { status: "running", version: 3, segmentStartedAt: Date.now() } });
    const api = fakeSessionApi({
      "GET /api/sessions/current": { body: { status: "linked", session: view } },
      [`POST /api/sessions/${view.id}/stream-ticket`]: { status: 201, body: { ticket: "x".repeat(32), expiresAt: "2030-01-01T00:00:00Z" } },
      [`POST /api/sessions/${view.id}/intents`]: { status: 403, body: { error: { code: "forbidden", message: "Only the observer keeps the airtime tally." } } },
    });
    vi.stubGlobal("fetch", api.fetchMock);
    renderPage(<SidePanelPage />, fakeHost({ context: { ...inMeeting, user: { ...member, id: MEMBER } } }).connect);
    expect(await screen.findByRole("timer")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Next segment" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Start session" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Add 30 seconds/ })).not.toBeInTheDocument();
    await userEvent.type(screen.getByRole("textbox", { name: "Your question" }), "What matters most?");
    await userEvent.click(screen.getByRole("button", { name: "Add question" }));
    expect(await screen.findByText("Only the observer keeps the airtime tally.")).toBeInTheDocument();
  });

  it("shows questions exactly as typed: markup stays text", async () => {
    const xss = "<img src=x onerror=alert(1)>";
    const view = sessionView({ state: { questions: [{ id: "q1", authorId: MEMBER, text: xss, style: "open", createdAt: 1 }] } });
    vi.stubGlobal(
      "fetch",
      fakeSessionApi({
        "GET /api/sessions/current": { body: { status: "linked", session: view } },
        [`POST /api/sessions/${view.id}/stream-ticket`]: { status: 201, body: { ticket: "x".repeat(32), expiresAt: "2030-01-01T00:00:00Z" } },
      }).fetchMock,
    );
    renderPage(<SidePanelPage />, fakeHost({ context: inMeeting }).connect);
    const questions = await screen.findByRole("list", { name: "Questions" });
    expect(within(questions).getByText(xss)).toBeInTheDocument();
    expect(document.querySelector("img")).toBeNull();
  });

  it("posts my commitment card with the default 'by when' and To Do ticked", async () => {
    const view = sessionView({ me: MEMBER });
    const api = fakeSessionApi({
      "GET /api/sessions/current": { body: { status: "linked", session: view } },
      [`POST /api/sessions/${view.id}/stream-ticket`]: { status: 201, body: { ticket: "x".repeat(32), expiresAt: "2030-01-01T00:00:00Z" } },
      [`POST /api/sessions/${view.id}/commitments`]: (body) => ({
        status: 201,
        body: { id: "k1", sessionId: view.id, ownerId: MEMBER, signal: "", supportWanted: null, postedToChat: true, todoTaskId: "task-1", review: null, ...(body as object) },
      }),
    });
    vi.stubGlobal("fetch", api.fetchMock);
    renderPage(<SidePanelPage />, fakeHost({ context: { ...inMeeting, user: { ...member, id: MEMBER } } }).connect);
    await userEvent.type(await screen.findByRole("textbox", { name: "I will …" }), "ask for feedback weekly");
    await userEvent.click(screen.getByRole("button", { name: "Post my card to the chat" }));
    expect(await screen.findByText(/Posted to the meeting chat\. Added to Microsoft To Do\./)).toBeInTheDocument();
    expect(api.requests.find((r) => r.path.endsWith("/commitments"))?.body).toEqual({ action: "ask for feedback weekly", dueDate: "2030-03-17", signal: "", addToTodo: true });
  });
});
