import { EventEmitter } from "node:events";
import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createRunState } from "../../../../api/sessions/run-state";
import { chatIdFromMeetingId, localDateIn } from "../../../../api/sessions/service";
import { HEARTBEAT_MS, SessionHub, encodeStateEvent, formatEvent, parseEventId } from "../../../../api/sessions/session-hub";

class FakeResponse extends EventEmitter {
  status = 0;
  headers: Record<string, string> = {};
  written = "";
  ended = false;
  writeHead(status: number, headers: Record<string, string>) {
    this.status = status;
    this.headers = headers;
    return this;
  }
  write(chunk: string | Buffer) {
    this.written += chunk.toString();
    return true;
  }
  end() {
    this.ended = true;
  }
}

const state = createRunState({ sessionId: "s1", segments: [{ id: "a", name: "check-in", minutes: 5 }], roles: { facilitator: "u1", caseOwner: "u2", timekeeper: null, observer: null, coaches: [] } });
const asRes = (r: FakeResponse) => r as unknown as ServerResponse;
let hub: SessionHub;
afterEach(() => {
  hub?.close();
  vi.useRealTimers();
});

describe("SessionHub", () => {
  it("opens an event stream and sends the current state with its version as the event id", () => {
    hub = new SessionHub(() => new Date(1_000));
    const res = new FakeResponse();
    hub.subscribe("s1", "u1", asRes(res), state, undefined);
    expect(res.status).toBe(200);
    expect(res.headers["Content-Type"]).toMatch(/^text\/event-stream/);
    expect(res.written).toContain(`id: 0\nevent: state\ndata: ${JSON.stringify({ state, serverNow: 1000 })}\n\n`);
  });

  it("skips the state a reconnecting client already holds, then sends the next version to every client of that session only", () => {
    hub = new SessionHub(() => new Date(2_000));
    const caughtUp = new FakeResponse();
    const other = new FakeResponse();
    const elsewhere = new FakeResponse();
    hub.subscribe("s1", "u1", asRes(caughtUp), state, 0);
    hub.subscribe("s1", "u2", asRes(other), state, undefined);
    hub.subscribe("s2", "u3", asRes(elsewhere), { ...state, sessionId: "s2" }, undefined);
    expect(caughtUp.written).not.toContain("data:");
    const next = { ...state, version: 1, status: "running" as const };
    hub.publish(next);
    expect(caughtUp.written).toContain("id: 1\n");
    expect(other.written).toContain("id: 1\n");
    expect(elsewhere.written).not.toContain("id: 1\n");
  });

  it("forgets a client whose connection closed", () => {
    hub = new SessionHub();
    const res = new FakeResponse();
    hub.subscribe("s1", "u1", asRes(res), state, undefined);
    expect(hub.clientCount("s1")).toBe(1);
    res.emit("close");
    expect(hub.clientCount("s1")).toBe(0);
  });

  it("sends a circle note to every client of the session and a private note only to its author's streams", () => {
    hub = new SessionHub();
    const authorPhone = new FakeResponse();
    const authorLaptop = new FakeResponse();
    const other = new FakeResponse();
    hub.subscribe("s1", "u1", asRes(authorPhone), state, undefined);
    hub.subscribe("s1", "u1", asRes(authorLaptop), state, undefined);
    hub.subscribe("s1", "u2", asRes(other), state, undefined);
    hub.publishNote("s1", { id: "n1", authorId: "u1", visibility: "private", text: "mine alone", createdAt: "2030-01-01T00:00:00.001Z" });
    hub.publishNote("s1", { id: "n2", authorId: "u1", visibility: "circle", text: "for all", createdAt: "2030-01-01T00:00:00.002Z" });
    for (const res of [authorPhone, authorLaptop]) expect(res.written).toContain("mine alone");
    expect(other.written).not.toContain("mine alone");
    expect(other.written).toContain(`id: 0.${Date.parse("2030-01-01T00:00:00.002Z")}\nevent: notes\ndata: {"notes":[{"id":"n2"`);
  });

  it("keeps a silent stream open with a heartbeat, but spares streams that just heard an event", () => {
    vi.useFakeTimers();
    hub = new SessionHub();
    const quiet = new FakeResponse();
    const busy = new FakeResponse();
    hub.subscribe("s1", "u1", asRes(quiet), state, undefined);
    hub.subscribe("s2", "u2", asRes(busy), { ...state, sessionId: "s2" }, undefined);
    for (let second = 1; second <= HEARTBEAT_MS / 1000 + 6; second++) {
      vi.advanceTimersByTime(1000);
      hub.publish({ ...state, sessionId: "s2", version: second });
    }
    expect(quiet.written).toContain(": heartbeat\n\n");
    expect(busy.written).not.toContain(": heartbeat");
  });

  it("reads both kinds of event id back from Last-Event-ID, and nothing else", () => {
    expect(parseEventId("12")).toEqual({ version: 12 });
    expect(parseEventId("12.1893456000002")).toEqual({ version: 12, noteCursor: 1893456000002 });
    for (const bad of ["", "x", "1.2.3", "-1", "1e3", undefined]) expect(parseEventId(bad)).toBeUndefined();
  });

  it("encodes a state event once into exactly the JSON and frame it would have had (answer and stream share it)", () => {
    const event = { state: { ...state, questions: [{ id: "q1", authorId: "u1", text: "Wie geht's? \u2028 <b>", style: "open" as const, createdAt: 1 }] }, serverNow: 1234 };
    const encoded = encodeStateEvent(event);
    expect(encoded.json).toBe(JSON.stringify(event));
    expect(encoded.frame.toString("utf8")).toBe(formatEvent(event));
    expect(encodeStateEvent(event, JSON.stringify(event.state)).json).toBe(encoded.json);
  });

  it("writes each event as one data line even when text holds newlines", () => {
    const withQuestion = { ...state, questions: [{ id: "q1", authorId: "u1", text: "What\nnext?", style: "open" as const, createdAt: 1 }] };
    const frame = formatEvent({ state: withQuestion, serverNow: 1 });
    expect(frame.split("\n").filter((l) => l.startsWith("data: "))).toHaveLength(1);
  });
});

describe("finding the meeting", () => {
  it("reads the chat thread id out of a Teams meeting id", () => {
    const meetingId = Buffer.from("0#19:meeting_NzY3@thread.v2#0").toString("base64");
    expect(chatIdFromMeetingId(meetingId)).toBe("19:meeting_NzY3@thread.v2");
    expect(chatIdFromMeetingId("not-a-meeting")).toBeUndefined();
  });

  it("dates a session by the circle's wall clock, not UTC (late evening in Los Angeles is the next day in UTC)", () => {
    expect(localDateIn(new Date("2030-03-05T05:30:00Z"), "America/Los_Angeles")).toBe("2030-03-04");
    expect(localDateIn(new Date("2030-03-05T05:30:00Z"), "Asia/Tokyo")).toBe("2030-03-05");
  });
});
