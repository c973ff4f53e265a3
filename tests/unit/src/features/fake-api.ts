import { vi } from "vitest";
import { jsonResponse } from "../fake-host";

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

type Answer = { status?: number; body: unknown };
type Route = Answer | ((request: FakeRequest) => Answer);

/**
 * A fetch that answers "METHOD /path" keys (e.g. "POST /api/circles"), with the parsed request for
 * answers that depend on it; unknown routes get the API's 404 envelope. `requests` records every call.
 */
export function fakeApiByMethod(routes: Record<string, Route>) {
  const requests: FakeRequest[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), "http://app.test");
    const method = (init?.method ?? "GET").toUpperCase();
    const body: unknown = typeof init?.body === "string" ? JSON.parse(init.body) : undefined;
    const request = { method, path: url.pathname, query: url.searchParams, body };
    requests.push(request);
    const route = routes[`${method} ${url.pathname}`];
    const answer = typeof route === "function" ? route(request) : route;
    if (!answer) return jsonResponse(404, { error: { code: "not_found", message: `No route ${method} ${url.pathname}` } });
    return jsonResponse(answer.status ?? 200, answer.body);
  });
  return { fetchMock, requests, sent: (key: string) => requests.filter((r) => `${r.method} ${r.path}` === key) };
}

export const formats = [
  {
    id: "coaching-circle",
    name: "Coaching circle",
    description: "The classic peer coaching circle.",
    defaultMinutes: 60,
    builtIn: true,
    segments: [
      { id: "check-in", name: "check-in round", minutes: 8, purpose: "Arrive.", prompts: [] },
      { id: "case", name: "case share", minutes: 22, purpose: "Share.", prompts: [] },
      { id: "storm", name: "question storm", minutes: 30, purpose: "Ask.", prompts: [] },
    ],
  },
  {
    id: "micro-session",
    name: "Micro-session",
    description: "A short practice session.",
    defaultMinutes: 25,
    builtIn: true,
    segments: [
      { id: "intention", name: "intention", minutes: 3, purpose: "Aim.", prompts: [] },
      { id: "practise", name: "practise one skill", minutes: 22, purpose: "Do.", prompts: [] },
    ],
  },
];

export const people = {
  megan: { id: "u-megan", upn: "megan.bowen@contoso.example", displayName: "Megan Bowen", jobTitle: "Marketing Manager", department: "Marketing" },
  alex: { id: "u-alex", upn: "alex.wilber@contoso.example", displayName: "Alex Wilber", jobTitle: "Designer", department: null },
  priya: { id: "u-priya", upn: "priya.raman@contoso.example", displayName: "Priya Raman", jobTitle: "Engineer", department: "R&D" },
};

export const priyaMe = {
  id: "u-priya",
  displayName: "Priya Raman",
  userPrincipalName: "priya.raman@contoso.example",
  mail: "priya.raman@contoso.example",
  jobTitle: "Engineer",
  department: "R&D",
  timeZone: "Europe/London",
};

/** A circle as GET /api/circles/{id} returns it; `series`/`booking` absent until booked. */
export function circleDetail(overrides: Record<string, unknown> = {}) {
  return {
    id: "c1",
    name: "New managers",
    purpose: "Practise hard conversations",
    charter: ["Confidentiality: what is shared in the circle stays in the circle."],
    formatId: "coaching-circle",
    cadence: "biweekly",
    sessionMinutes: 60,
    sessionCount: 6,
    timeZone: "Europe/London",
    rotateRoles: true,
    organizerId: "u-priya",
    members: [
      { id: "u-priya", upn: people.priya.upn, displayName: "Priya Raman", role: "organizer", timeZone: "Europe/London" },
      { id: "u-megan", upn: people.megan.upn, displayName: "Megan Bowen", role: "member", timeZone: "America/New_York" },
      { id: "u-alex", upn: people.alex.upn, displayName: "Alex Wilber", role: "member", timeZone: null },
    ],
    createdAt: "2030-01-01T09:00:00.000Z",
    ...overrides,
  };
}

/**
 * jsdom only: Fluent's focus manager (tabster) hides the page behind a modal with aria-hidden and,
 * in jsdom, never takes it off again after the modal closes (browsers do; the e2e suite checks
 * the real thing with axe). Call once no dialog is open so role queries see the page again.
 */
export function clearStaleModalHiding(): void {
  if (document.querySelector('[role="dialog"], [role="alertdialog"]')) throw new Error("A dialog is still open.");
  for (const element of Array.from(document.body.children)) element.removeAttribute("aria-hidden");
}
