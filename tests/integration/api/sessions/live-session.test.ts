import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachEngine } from "../../../fixtures/engines";
import { graphCall, openEventStream, sandboxToken, seedCircle, startApiOver, type DemoPerson } from "./sandbox-stack";
import { apiCaller, useSessionCast } from "./session-cast";

/**
 * The live session over HTTP, against the real sandbox (identity tokens, meeting chat, To Do):
 * two members of the same meeting, a facilitator and another member, plus an outsider.
 */
const GRAPH = "https://graph.microsoft.com";
const XSS = "<img src=x onerror=alert(1)>";

const cast = useSessionCast({ meetingOn: { date: "2030-03-04", time: "10:00" } });

interface RunStateLike {
  version: number;
  status: string;
  currentSegmentIndex: number;
  roles: { facilitator: string; caseOwner: string | null };
  questions: Array<{ text: string; style: string; suggestion?: string }>;
}
interface SessionViewLike {
  id: string;
  circle: { name: string; charter: string[] };
  state: RunStateLike;
  review: Array<{ id: string; ownerId: string; action: string }>;
  myCommitment: unknown;
  defaultDueDate: string;
  nextSessionDate: string | null;
}

describe("live session API against the sandbox", () => {
  forEachEngine((ctx) => {
    let api: { url: string; close(): Promise<void> };
    let now = new Date("2030-03-04T10:05:00Z");
    let session: SessionViewLike;

    const call = apiCaller(cast, () => api.url);
    const find = (who: DemoPerson) => call<{ status: string; session: SessionViewLike }>(who, "GET", `/api/sessions/current?chatId=${encodeURIComponent(cast.chatId)}`);
    const intent = (who: DemoPerson, body: Record<string, unknown>) => call<{ state: RunStateLike; serverNow: number }>(who, "POST", `/api/sessions/${session.id}/intents`, body);
    const stream = async (who: DemoPerson, sessionId = session.id, extra = "") => {
      const ticket = await call<{ ticket: string }>(who, "POST", `/api/sessions/${sessionId}/stream-ticket`);
      expect(ticket.status).toBe(201);
      return openEventStream(`${api.url}/api/sessions/${sessionId}/events?ticket=${ticket.body.ticket}${extra}`);
    };
    const stateOf = (data: string) => (JSON.parse(data) as { state: RunStateLike }).state;

    beforeAll(async () => {
      api = await startApiOver(ctx.db, cast.sandbox.url, () => now);
      await seedCircle(ctx.db, { name: `Leads circle ${ctx.engine}`, members: [cast.megan, cast.alex, cast.priya], chatId: cast.chatId });
    });
    afterAll(async () => {
      await api?.close();
    });

    it("tells a non-member the meeting isn't theirs, without any of the circle's content", async () => {
      const res = await call<{ error: { code: string; message: string } }>(cast.outsider, "GET", `/api/sessions/current?chatId=${encodeURIComponent(cast.chatId)}`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("not_found");
      expect(res.body.error.message).toMatch(/not a member/);
      expect(JSON.stringify(res.body)).not.toContain("Leads circle");
    });

    it("finds the meeting's session for a member, with fairly assigned roles and the charter", async () => {
      const res = await find(cast.alex);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe("linked");
      session = res.body.session;
      expect(session.circle.name).toBe(`Leads circle ${ctx.engine}`);
      expect(session.circle.charter).toEqual(["What is said here stays here."]);
      expect(session.state).toMatchObject({ version: 0, status: "notStarted" });
      // First session: the first member in join order facilitates, the next is case owner.
      expect(session.state.roles.facilitator).toBe(cast.megan.id);
      expect(session.state.roles.caseOwner).toBe(cast.alex.id);
      expect(session.nextSessionDate).toBe("2030-03-18");
      expect(session.defaultDueDate).toBe("2030-03-17");
      // Everyone in the meeting lands on the same run.
      expect((await find(cast.megan)).body.session.id).toBe(session.id);
    });

    it("hides the session from a non-member by id as well", async () => {
      expect((await call(cast.outsider, "GET", `/api/sessions/${session.id}`)).status).toBe(404);
      expect((await call(cast.outsider, "POST", `/api/sessions/${session.id}/stream-ticket`)).status).toBe(404);
      expect((await call(cast.outsider, "POST", `/api/sessions/${session.id}/intents`, { type: "addQuestion", text: "What now?" })).status).toBe(404);
    });

    it("fans the facilitator's start and next out to another member's event stream", async () => {
      const alexStream = await stream(cast.alex);
      expect(alexStream.status).toBe(200);
      expect(alexStream.contentType).toMatch(/^text\/event-stream/);
      const first = await alexStream.waitFor(() => true);
      expect(first).toMatchObject({ event: "state", id: "0" });

      const started = await intent(cast.megan, { type: "start", expectedVersion: 0 });
      expect(started.status).toBe(200);
      expect(started.body.state).toMatchObject({ version: 1, status: "running" });
      const next = await intent(cast.megan, { type: "next" });
      expect(next.body.state.currentSegmentIndex).toBe(1);

      const seen = await alexStream.waitFor((e) => e.id === "2");
      expect(stateOf(seen.data)).toMatchObject({ version: 2, status: "running", currentSegmentIndex: 1 });
      alexStream.close();
    });

    it("refuses to let a member who isn't the facilitator advance (403), and nothing changes", async () => {
      const res = await intent(cast.alex, { type: "next" });
      expect(res.status).toBe(403);
      expect((res.body as unknown as { error: { code: string } }).error.code).toBe("forbidden");
      const view = await call<SessionViewLike>(cast.priya, "GET", `/api/sessions/${session.id}`);
      expect(view.body.state).toMatchObject({ version: 2, currentSegmentIndex: 1 });
    });

    it("answers 409 to a stale expectedVersion instead of applying the intent twice", async () => {
      const res = await intent(cast.megan, { type: "next", expectedVersion: 1 });
      expect(res.status).toBe(409);
    });

    it("gives a reconnecting client the current state unless it already holds that version", async () => {
      const behind = await stream(cast.priya, session.id, "&lastEventId=1");
      const caughtUp = await behind.waitFor(() => true);
      expect(caughtUp.id).toBe("2");
      behind.close();

      const current = await stream(cast.priya, session.id, "&lastEventId=2");
      const added = await intent(cast.priya, { type: "addQuestion", text: "Have you tried talking to her?" });
      expect(added.status).toBe(200);
      const event = await current.waitFor(() => true);
      // The first thing the up-to-date client receives is the new version, not a repeat of 2.
      expect(event.id).toBe("3");
      const question = stateOf(event.data).questions[0]!;
      expect(question.style).toBe("advice");
      expect(question.suggestion).toMatch(/^What/);
      current.close();
    });

    it("accepts a stream ticket once, and only for its own session", async () => {
      const ticket = await call<{ ticket: string }>(cast.alex, "POST", `/api/sessions/${session.id}/stream-ticket`);
      const url = `${api.url}/api/sessions/${session.id}/events?ticket=${ticket.body.ticket}`;
      const firstUse = await openEventStream(url);
      expect(firstUse.status).toBe(200);
      firstUse.close();
      const again = await fetch(url);
      expect(again.status).toBe(401);
      const forged = await fetch(`${api.url}/api/sessions/${session.id}/events?ticket=${"x".repeat(32)}`);
      expect(forged.status).toBe(401);
    });

    it("keeps private notes to their author and shares circle notes with members", async () => {
      expect((await call(cast.alex, "POST", `/api/sessions/${session.id}/notes`, { text: `private ${XSS}`, visibility: "private" })).status).toBe(201);
      now = new Date(now.getTime() + 1000);
      expect((await call(cast.alex, "POST", `/api/sessions/${session.id}/notes`, { text: "for the circle", visibility: "circle" })).status).toBe(201);
      const priyaNotes = await call<{ notes: Array<{ text: string }> }>(cast.priya, "GET", `/api/sessions/${session.id}/notes`);
      expect(priyaNotes.body.notes.map((n) => n.text)).toEqual(["for the circle"]);
      const alexNotes = await call<{ notes: Array<{ text: string; mine: boolean }> }>(cast.alex, "GET", `/api/sessions/${session.id}/notes`);
      expect(alexNotes.body.notes.map((n) => n.text)).toEqual([`private ${XSS}`, "for the circle"]);
      expect((await call(cast.outsider, "GET", `/api/sessions/${session.id}/notes`)).status).toBe(404);
    });

    it("posts a member's commitment card to the meeting chat as a valid Adaptive Card, with their text kept as text, and adds a To Do task", async () => {
      const action = `ask for feedback ${XSS} on engine-${ctx.engine}`;
      const res = await call<{ id: string; postedToChat: boolean; todoTaskId: string | null; dueDate: string }>(cast.alex, "POST", `/api/sessions/${session.id}/commitments`, {
        action,
        signal: "I hear one surprise",
        supportWanted: "**nudges** [please](javascript:alert(1))",
        addToTodo: true,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ postedToChat: true, dueDate: "2030-03-17" });
      expect(res.body.todoTaskId).not.toBeNull();

      const graphToken = await sandboxToken(cast.sandbox.url, cast.megan.upn, GRAPH);
      const messages = await graphCall<{ value: Array<{ from: { user: { id: string } }; body: { content: string }; attachments: Array<{ id: string; contentType: string; content: string }> }> }>(
        cast.sandbox.url,
        graphToken,
        "GET",
        `/chats/${encodeURIComponent(cast.chatId)}/messages`,
      );
      const posted = messages.body.value.find((m) => m.attachments.some((a) => a.content.includes(`engine-${ctx.engine}`)));
      expect(posted, "the card is in the meeting chat").toBeDefined();
      expect(posted!.from.user.id).toBe(cast.alex.id);
      const attachment = posted!.attachments[0]!;
      expect(attachment.contentType).toBe("application/vnd.microsoft.card.adaptive");
      expect(posted!.body.content).toBe(`<attachment id="${attachment.id}"></attachment>`);
      const card = JSON.parse(attachment.content) as { type: string; version: string; body: Array<{ text?: string; facts?: Array<{ value: string }> }> };
      expect(card).toMatchObject({ type: "AdaptiveCard", version: "1.5" });
      const texts = JSON.stringify(card.body);
      expect(texts).not.toContain("<img");
      expect(texts).toContain("&lt;img src=x onerror=alert\\\\(1\\\\)&gt;");
      expect(texts).not.toContain("[please](");

      const todoToken = await sandboxToken(cast.sandbox.url, cast.alex.upn, GRAPH);
      const lists = await graphCall<{ value: Array<{ id: string; displayName: string }> }>(cast.sandbox.url, todoToken, "GET", "/me/todo/lists");
      const list = lists.body.value.find((l) => l.displayName === "Coaching commitments");
      expect(list).toBeDefined();
      const tasks = await graphCall<{ value: Array<{ id: string; title: string; dueDateTime: { dateTime: string } }> }>(cast.sandbox.url, todoToken, "GET", `/me/todo/lists/${list!.id}/tasks`);
      const task = tasks.body.value.find((t) => t.id === res.body.todoTaskId);
      expect(task?.title).toBe(`I will ${action}`);
      expect(task?.dueDateTime.dateTime).toMatch(/^2030-03-17T00:00:00/);

      const again = await call(cast.alex, "POST", `/api/sessions/${session.id}/commitments`, { action: "something else" });
      expect(again.status).toBe(409);
    });

    it("opens the next session with those cards to review, rotated roles, and only the owner may mark theirs", async () => {
      now = new Date("2030-03-18T10:05:00Z");
      const res = await find(cast.priya);
      expect(res.status).toBe(200);
      const next = res.body.session;
      expect(next.id).not.toBe(session.id);
      expect(next.state.roles.facilitator).not.toBe(cast.megan.id);
      const card = next.review.find((c) => c.ownerId === cast.alex.id);
      expect(card?.action).toContain(XSS);

      const byPriya = await call(cast.priya, "POST", `/api/sessions/${next.id}/intents`, { type: "markReviewed", commitmentId: card!.id, status: "done", learning: "x" });
      expect(byPriya.status).toBe(403);
      const byAlex = await call<{ state: { reviewed: Record<string, { status: string }> } }>(cast.alex, "POST", `/api/sessions/${next.id}/intents`, {
        type: "markReviewed",
        commitmentId: card!.id,
        status: "partly",
        learning: "Asking early works",
      });
      expect(byAlex.status).toBe(200);
      expect(byAlex.body.state.reviewed[card!.id]).toEqual({ status: "partly", learning: "Asking early works" });
      const reread = await find(cast.megan);
      expect(reread.body.session.review.find((c) => c.id === card!.id)).toMatchObject({ review: { status: "partly", learning: "Asking early works" } });
    });
  });
});
