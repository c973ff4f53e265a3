import { vi } from "vitest";
import { jsonResponse } from "../../fake-host";

export const FACILITATOR = "oid-ada";
export const MEMBER = "oid-bo";

/** A session view as GET /api/sessions/current returns it (linked), for a 3-person circle. */
export function sessionView(overrides: { me?: string; state?: Record<string, unknown>; review?: unknown[] } = {}) {
  const state = {
    sessionId: "11111111-1111-4111-8111-111111111111",
    version: 0,
    status: "notStarted",
    segments: [
      { id: "check-in-round", name: "check-in round", minutes: 8, kind: "round" },
      { id: "question-storm", name: "question storm", minutes: 12, kind: "question-storm" },
      { id: "commitments", name: "commitments", minutes: 8, kind: "commitments" },
    ],
    currentSegmentIndex: 0,
    segmentStartedAt: null,
    segmentExtendedMinutes: 0,
    roles: { facilitator: FACILITATOR, caseOwner: MEMBER, timekeeper: null, observer: null, coaches: ["oid-cy"] },
    questions: [],
    airtime: {},
    reviewed: {},
    ...overrides.state,
  };
  return {
    id: state.sessionId,
    circle: { id: "c1", name: "Leads circle", purpose: "Grow", charter: ["What is said here stays here."] },
    occurrenceDate: "2030-03-04",
    nextSessionDate: "2030-03-18",
    defaultDueDate: "2030-03-17",
    me: overrides.me ?? FACILITATOR,
    members: [
      { id: FACILITATOR, displayName: "Ada Lovelace" },
      { id: MEMBER, displayName: "Bo Chen" },
      { id: "oid-cy", displayName: "Cy Díaz" },
    ],
    state,
    serverNow: Date.now(),
    guide: [{ id: "check-in-round", purpose: "Arrive and hear every voice.", prompts: ["How are you arriving?"] }],
    review: overrides.review ?? [],
    myCommitment: null,
  };
}

type Handler = (body: unknown) => { status?: number; body: unknown };

/** A fetch for the live-session API keyed by "METHOD /path"; records every request. */
export function fakeSessionApi(routes: Record<string, Handler | { status?: number; body: unknown }>) {
  const requests: Array<{ method: string; path: string; search: string; body: unknown; authorization: string | null }> = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), "http://app.test");
    const method = (init?.method ?? "GET").toUpperCase();
    const body: unknown = typeof init?.body === "string" ? JSON.parse(init.body) : undefined;
    const headers = new Headers(init?.headers);
    requests.push({ method, path: url.pathname, search: url.search, body, authorization: headers.get("authorization") });
    const route = routes[`${method} ${url.pathname}`];
    if (!route) return jsonResponse(404, { error: { code: "not_found", message: `No route ${method} ${url.pathname}` } });
    const answer = typeof route === "function" ? route(body) : route;
    return jsonResponse(answer.status ?? 200, answer.body);
  });
  return { fetchMock, requests };
}

/** Stands in for the browser's EventSource; tests push events with `emit`. */
export class FakeEventSource {
  static instances: FakeEventSource[] = [];
  readonly listeners = new Map<string, Array<(e: MessageEvent<string>) => void>>();
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, cb: (e: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), cb]);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data?: unknown) {
    const event = new MessageEvent<string>(type, { data: data === undefined ? "" : JSON.stringify(data) });
    for (const cb of this.listeners.get(type) ?? []) cb(event);
  }
}
