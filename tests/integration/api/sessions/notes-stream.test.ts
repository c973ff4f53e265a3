import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachEngine } from "../../../fixtures/engines";
import { openEventStream, seedCircle, startApiOver, type DemoPerson } from "./sandbox-stack";
import { apiCaller, useSessionCast } from "./session-cast";

/**
 * Notes on the session's event stream: a circle note reaches every member's stream as it is
 * written; a private note reaches its author's streams and nobody else's, live or on replay; a
 * reconnecting client (Last-Event-ID) gets only the notes it lacks.
 */
const XSS = "<img src=x onerror=alert(1)>";

const cast = useSessionCast({ meetingOn: { date: "2030-04-01", time: "10:00" } });

interface StreamNoteLike {
  id: string;
  authorId: string;
  visibility: string;
  text: string;
  createdAt: string;
}
const notesOf = (data: string) => (JSON.parse(data) as { notes: StreamNoteLike[] }).notes;

describe("session notes on the event stream", () => {
  forEachEngine((ctx) => {
    let api: { url: string; close(): Promise<void> };
    // A pinned clock: notes written in the same millisecond must still each get their own cursor.
    const now = new Date("2030-04-01T10:05:00Z");
    let sessionId: string;
    const opened: Array<{ close(): void }> = [];

    const call = apiCaller(cast, () => api.url);
    const stream = async (who: DemoPerson, query = "", headers: Record<string, string> = {}) => {
      const ticket = await call<{ ticket: string }>(who, "POST", `/api/sessions/${sessionId}/stream-ticket`);
      expect(ticket.status).toBe(201);
      const s = await openEventStream(`${api.url}/api/sessions/${sessionId}/events?ticket=${ticket.body.ticket}${query}`, headers);
      expect(s.status).toBe(200);
      opened.push(s);
      return s;
    };
    const note = async (who: DemoPerson, text: string, visibility: "private" | "circle") => {
      const res = await call<StreamNoteLike & { mine: boolean }>(who, "POST", `/api/sessions/${sessionId}/notes`, { text, visibility });
      expect(res.status).toBe(201);
      return res.body;
    };
    const hasNote = (text: string) => (e: { event?: string; data: string }) => e.event === "notes" && notesOf(e.data).some((n) => n.text === text);

    beforeAll(async () => {
      api = await startApiOver(ctx.db, cast.sandbox.url, () => now);
      await seedCircle(ctx.db, { name: `Notes circle ${ctx.engine}`, members: [cast.megan, cast.alex, cast.priya], chatId: cast.chatId });
      const found = await call<{ session: { id: string } }>(cast.megan, "GET", `/api/sessions/current?chatId=${encodeURIComponent(cast.chatId)}`);
      sessionId = found.body.session.id;
    });
    afterAll(async () => {
      for (const s of opened) s.close();
      await api?.close();
    });

    it("sends a circle note to every member's stream as it is written, as text", async () => {
      const priyaStream = await stream(cast.priya);
      const meganStream = await stream(cast.megan);
      await priyaStream.waitFor((e) => e.event === "state");
      await meganStream.waitFor((e) => e.event === "state");
      const written = await note(cast.alex, `circle ${XSS}`, "circle");
      for (const s of [priyaStream, meganStream]) {
        const event = await s.waitFor(hasNote(`circle ${XSS}`));
        expect(notesOf(event.data)).toEqual([{ id: written.id, authorId: cast.alex.id, visibility: "circle", text: `circle ${XSS}`, createdAt: written.createdAt }]);
        // The id says which version the client holds and the newest note's cursor.
        expect(event.id).toBe(`0.${Date.parse(written.createdAt)}`);
      }
    });

    it("sends a private note to its author's stream and never to another member's", async () => {
      const alexStream = await stream(cast.alex);
      const priyaStream = await stream(cast.priya);
      await alexStream.waitFor((e) => e.event === "state");
      await priyaStream.waitFor((e) => e.event === "state");
      await note(cast.alex, `private ${XSS}`, "private");
      await alexStream.waitFor(hasNote(`private ${XSS}`));
      // A circle note written afterwards arrives after anything written before it on the same stream…
      await note(cast.megan, "after the private one", "circle");
      await priyaStream.waitFor(hasNote("after the private one"));
      // …so had the private note been sent to Priya, it would be here by now.
      const priyaGot = priyaStream.events.filter((e) => e.event === "notes").flatMap((e) => notesOf(e.data).map((n) => n.text));
      expect(priyaGot).toContain("after the private one");
      expect(priyaGot).not.toContain(`private ${XSS}`);
      expect(priyaStream.events.some((e) => e.data.includes(XSS) && e.data.includes('"visibility":"private"'))).toBe(false);
    });

    it("never replays someone else's private note to a member who connects afresh", async () => {
      const fresh = await stream(cast.priya);
      const replay = await fresh.waitFor((e) => e.event === "notes");
      expect(notesOf(replay.data).map((n) => n.text)).toEqual([`circle ${XSS}`, "after the private one"]);
      const alexFresh = await stream(cast.alex);
      const alexReplay = await alexFresh.waitFor((e) => e.event === "notes");
      expect(notesOf(alexReplay.data).map((n) => n.text)).toEqual([`circle ${XSS}`, `private ${XSS}`, "after the private one"]);
    });

    it("replays to a reconnecting client only the notes written after its Last-Event-ID", async () => {
      const first = await stream(cast.priya);
      const held = await first.waitFor((e) => e.event === "notes");
      first.close();
      await note(cast.alex, "while Priya was away", "circle");
      await note(cast.alex, "Alex's own, while Priya was away", "private");

      // As EventSource reconnects by itself: the Last-Event-ID header.
      const back = await stream(cast.priya, "", { "last-event-id": held.id! });
      const missed = await back.waitFor((e) => e.event === "notes");
      expect(notesOf(missed.data).map((n) => n.text)).toEqual(["while Priya was away"]);
      // It already held version 0: no state event repeats it.
      expect(back.events.filter((e) => e.event === "state")).toEqual([]);

      // As the panel reconnects (a new ticket, lastEventId in the URL): nothing new, so no notes event.
      const again = await stream(cast.priya, `&lastEventId=${encodeURIComponent(missed.id!)}`);
      await note(cast.megan, "the next one", "circle");
      const next = await again.waitFor((e) => e.event === "notes");
      expect(notesOf(next.data).map((n) => n.text)).toEqual(["the next one"]);
    });

    it("refuses a malformed Last-Event-ID in the URL and gives an outsider no stream", async () => {
      const ticket = await call<{ ticket: string }>(cast.priya, "POST", `/api/sessions/${sessionId}/stream-ticket`);
      expect((await fetch(`${api.url}/api/sessions/${sessionId}/events?ticket=${ticket.body.ticket}&lastEventId=1.2.3`)).status).toBe(400);
      expect((await call(cast.outsider, "POST", `/api/sessions/${sessionId}/stream-ticket`)).status).toBe(404);
      expect((await call(cast.outsider, "POST", `/api/sessions/${sessionId}/notes`, { text: "hi", visibility: "circle" })).status).toBe(404);
    });
  });
});
