import { afterAll, beforeAll } from "vitest";
import { startSandbox } from "../../../../sandbox/server";
import { createMeetingChat, demoPeople, sandboxToken, type DemoPerson, type RunningSandbox } from "./sandbox-stack";

/**
 * Who the live-session tests play with: a running sandbox, a circle's three members (Megan, who
 * organises, Alex and Priya) and an outsider from the same directory; with `meetingOn`, the
 * Teams meeting chat Megan booked for the three.
 */
export interface SessionCast {
  sandbox: RunningSandbox;
  megan: DemoPerson;
  alex: DemoPerson;
  priya: DemoPerson;
  outsider: DemoPerson;
  /** The meeting's chat thread id (empty without `meetingOn`). */
  chatId: string;
}

/**
 * Starts the sandbox before the file's tests and closes it after them. The fields are filled in
 * by the time any test or inner `beforeAll` runs.
 */
export function useSessionCast(opts: { meetingOn?: { date: string; time: string } } = {}): SessionCast {
  const cast = {} as SessionCast;
  beforeAll(async () => {
    cast.sandbox = await startSandbox({ port: 0, appUrl: "http://localhost:0" });
    const people = await demoPeople(cast.sandbox.url);
    const byUpn = (upn: string) => people.find((p) => p.upn === upn)!;
    cast.megan = byUpn("megan.bowen@contoso.example");
    cast.alex = byUpn("alex.wilber@contoso.example");
    cast.priya = byUpn("priya.raman@contoso.example");
    cast.outsider = people.find((p) => ![cast.megan.id, cast.alex.id, cast.priya.id].includes(p.id))!;
    cast.chatId = opts.meetingOn ? (await createMeetingChat(cast.sandbox.url, cast.megan, [cast.alex, cast.priya], opts.meetingOn)).chatId : "";
  });
  afterAll(async () => {
    await cast.sandbox?.close();
  });
  return cast;
}

/**
 * Calls our API as a person, JSON in and out, with one sandbox token per person. `apiUrl` is read
 * on each call: the API starts in a `beforeAll`, after this is made.
 */
export function apiCaller(cast: SessionCast, apiUrl: () => string) {
  const tokens = new Map<string, string>();
  return async <T = unknown>(who: DemoPerson, method: string, path: string, body?: unknown): Promise<{ status: number; body: T; text: string }> => {
    if (!tokens.has(who.upn)) tokens.set(who.upn, await sandboxToken(cast.sandbox.url, who.upn));
    const res = await fetch(`${apiUrl()}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens.get(who.upn)}`, ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, text };
  };
}
