import { act, cleanup, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { StageView } from "../../../../../src/features/meeting/stage-view";
import { fakeHost } from "../../fake-host";
import { renderPage } from "../../render-page";
import { FACILITATOR, FakeEventSource, MEMBER, fakeSessionApi, sessionView } from "../sidepanel/fake-session";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
beforeEach(() => {
  FakeEventSource.instances = [];
  vi.stubGlobal("EventSource", FakeEventSource);
});

it("shows the stage waiting for the facilitator, announced as status", async () => {
  renderPage(<StageView />, fakeHost({ context: { frameContext: "meetingStage", meetingId: "MCMx" } }).connect);
  expect(await screen.findByRole("heading", { level: 1, name: "Coaching circle" })).toBeInTheDocument();
  expect(screen.getByRole("status")).toHaveTextContent("Waiting for the facilitator to share the agenda");
  expect(screen.getByRole("main")).toBeInTheDocument();
});

it("shows the live segment, its timer, the agenda and the questions, read-only, following the stream", async () => {
  const view = sessionView({ state: { status: "running", version: 4, segmentStartedAt: Date.now(), questions: [{ id: "q1", authorId: MEMBER, text: "<b>What</b> would help?", style: "open", createdAt: 1 }] } });
  vi.stubGlobal(
    "fetch",
    fakeSessionApi({
      "GET /api/sessions/current": { body: { status: "linked", session: view } },
      [`POST /api/sessions/${view.id}/stream-ticket`]: { status: 201, body: { ticket: "x".repeat(32), expiresAt: "2030-01-01T00:00:00Z" } },
    }).fetchMock,
  );
  renderPage(<StageView />, fakeHost({ context: { frameContext: "meetingStage", meetingId: "MCMx", chatId: "19:x", user: { id: FACILITATOR, upn: "ada@contoso.test", tenantId: "t" } } }).connect);
  expect(await screen.findByRole("heading", { level: 1, name: "check-in round" })).toBeInTheDocument();
  expect(screen.getByRole("timer")).toHaveTextContent(/^[78]:\d\d$/);
  expect(within(screen.getByRole("region", { name: "Question board" })).getByText("<b>What</b> would help?")).toBeInTheDocument();
  expect(screen.queryByRole("button")).not.toBeInTheDocument();
  const agenda = within(screen.getByRole("region", { name: "Agenda" })).getAllByRole("listitem");
  expect(agenda).toHaveLength(3);
  expect(agenda[0]).toHaveAttribute("aria-current", "step");

  act(() => FakeEventSource.instances.at(-1)!.emit("state", { state: { ...view.state, version: 5, currentSegmentIndex: 2, segmentStartedAt: Date.now() }, serverNow: Date.now() }));
  expect(await screen.findByRole("heading", { level: 1, name: "commitments" })).toBeInTheDocument();
});
