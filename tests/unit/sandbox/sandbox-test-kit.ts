import request from "supertest";
import { vi } from "vitest";
import { createSandbox, type Sandbox } from "../../../sandbox/app";

// Sandbox suites make many requests with RSA-signed tokens; on a busy 2-core CI box 5 s is tight.
vi.setConfig({ testTimeout: 20_000, hookTimeout: 30_000 });

export const MEGAN = "megan.bowen@contoso.example"; // VP Engineering, London, manager of Alex and Nestor
export const ALEX = "alex.wilber@contoso.example"; // Engineering Manager, London, reports to Megan
export const PRIYA = "priya.raman@contoso.example"; // Bengaluru, reports to Alex
export const LYNNE = "lynne.robbins@contoso.example"; // VP Sales, New York

export const BASE_URL = "http://sandbox.test";

/** A fresh sandbox (no listening socket) plus supertest helpers that carry tokens. */
export async function newSandbox(opts: { now?: () => Date } = {}) {
  const sandbox: Sandbox = createSandbox({ baseUrl: BASE_URL, appUrl: "http://localhost:3000", ...opts });
  await sandbox.ready;
  const http = request(sandbox.app);
  const as = async (upn: string) => {
    const token = await sandbox.identity.graphToken(upn);
    return bearer(token);
  };
  const asApp = async () => bearer(await sandbox.identity.appToken());
  const bearer = (token: string) => ({
    get: (url: string) => http.get(url).set("Authorization", `Bearer ${token}`),
    post: (url: string, body?: object) => http.post(url).set("Authorization", `Bearer ${token}`).send(body),
    patch: (url: string, body?: object) => http.patch(url).set("Authorization", `Bearer ${token}`).send(body),
    delete: (url: string) => http.delete(url).set("Authorization", `Bearer ${token}`),
    token,
  });
  return { sandbox, http, as, asApp };
}

export function idOf(upn: string, sandbox: Sandbox): string {
  const p = sandbox.ctx.directory.find(upn);
  if (!p) throw new Error(`no ${upn}`);
  return p.id;
}

/** Creates an online meeting the way the calendar module does (through ctx.meetings). */
export function createMeeting(sandbox: Sandbox, organizer: string, attendees: string[], eventId = `evt-${Math.random()}`) {
  return sandbox.ctx.meetings.createForEvent({
    organizerId: idOf(organizer, sandbox),
    attendeeIds: attendees.map((a) => idOf(a, sandbox)),
    subject: "Coaching circle",
    start: "2025-03-03T10:00:00Z",
    end: "2025-03-03T11:00:00Z",
    eventId,
  });
}
