import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Express } from "express";
import type { SlotSearchResult } from "../../../../api/circles/schemas";
import { forEachEngine } from "../../../fixtures/engines";
import { ALEX, LEE, MEGAN, PRIYA, as, startSandboxStack, type SandboxStack } from "./sandbox-stack";

/*
 * Monday 2 March 2026. The series below (weekly × 12 from Mon 9 March) runs to the end of May:
 * its horizon (~85 days) needs two getSchedule windows (< 62 days each), and it crosses both the
 * US (8 March) and the European (29 March) daylight-saving changes.
 */
const NOW = new Date("2026-03-02T09:00:00.000Z");
const START_ON = "2026-03-09";
let stack: SandboxStack;

/** Alex is out of office for the whole last week of the series: every slot's 12th session clashes. */
const OFFSITE = { start: "2026-05-24T22:00:00", end: "2026-05-29T23:00:00" };

beforeAll(async () => {
  stack = await startSandboxStack({ now: NOW });
  const res = await fetch(`${stack.sandboxUrl}/v1.0/me/events`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${await stack.graphToken(ALEX)}` },
    body: JSON.stringify({ subject: "Offsite", showAs: "oof", start: { dateTime: OFFSITE.start, timeZone: "UTC" }, end: { dateTime: OFFSITE.end, timeZone: "UTC" } }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
});
afterAll(async () => {
  await stack?.close();
});

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

forEachEngine((ctx) => {
  let app: Express;
  beforeAll(() => {
    app = stack.appFor(ctx.db);
  });

  async function createCircle(organizer: string, members: string[], extra: Record<string, unknown> = {}) {
    const res = await as(stack, app, organizer).post("/api/circles", {
      name: "<script>alert('circle')</script>",
      purpose: "Find a fair time",
      members,
      formatId: "coaching-circle",
      cadence: "weekly",
      sessionMinutes: 60,
      sessionCount: 12,
      ...extra,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  }

  describe("searchSlots", () => {
    it("ranks at most 5 recurring slots over every member and the whole horizon, with local times, DST shifts and a plain explanation", async () => {
      const circleId = await createCircle(MEGAN, [ALEX, PRIYA]);
      await stack.sandbox.stats.reset();
      const res = await as(stack, app, MEGAN).post(`/api/circles/${circleId}/slots`, { startOn: START_ON });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      const body = res.body as SlotSearchResult;

      expect(body.slots.length).toBeGreaterThan(0);
      expect(body.slots.length).toBeLessThanOrEqual(5);
      for (const slot of body.slots) {
        expect(slot.timeZone).toBe("Europe/London");
        expect(slot.start).toMatch(/^2026-03-(09|1[0-3])T\d{2}:\d{2}:00\+00:00$/);
        expect(slot.explanation).toMatch(/London/);
        expect(slot.explanation).not.toMatch(/[<>]/);
        // Every member is considered, each with their own zone.
        // (CLDR's Windows→IANA table names India's zone by its older alias, Asia/Calcutta.)
        expect(Object.fromEntries(slot.memberTimes.map((m) => [m.upn, m.timeZone]))).toEqual({ [MEGAN]: "Europe/London", [ALEX]: "Europe/London", [PRIYA]: expect.stringMatching(/^Asia\/(Kolkata|Calcutta)$/) });

        // The whole horizon: the 12th session (in the second getSchedule window) meets Alex's offsite.
        const lastDate = addDays(slot.start.slice(0, 10), 77);
        expect(slot.conflicts).toContainEqual({ date: lastDate, members: [ALEX] });
        expect(slot.explanation).toMatch(/Alex Wilber on .*\b2\d May/);

        // London moves to BST on 29 March; Kolkata does not, so Priya sees the session shift by an hour.
        const priya = slot.memberTimes.find((m) => m.upn === PRIYA)!;
        expect(priya.shifts).toHaveLength(1);
        expect(priya.shifts[0]!.after).toMatch(/^2026-03-2\d$/);
        const [h0, m0] = priya.localTime.split(":").map(Number);
        const [h1, m1] = priya.shifts[0]!.localTime.split(":").map(Number);
        expect((h0! * 60 + m0! - (h1! * 60 + m1!) + 1440) % 1440).toBe(60);
        expect(slot.memberTimes.find((m) => m.upn === MEGAN)!.shifts).toEqual([]);
      }
      // Conflicts rank first: the seeded calendars are busy, so no suggestion has more clashes than the offsite.
      for (const slot of body.slots) expect(slot.conflicts.flatMap((c) => c.members).length).toBeLessThanOrEqual(body.slots[body.slots.length - 1]!.conflicts.flatMap((c) => c.members).length);

      // Free/busy travelled in $batch (two windows), not one request per person and window.
      const stats = stack.sandbox.stats.snapshot() as { graphRequests: number };
      expect(stats.graphRequests).toBe(1);
    });

    it("includes a member added later and refuses a malformed start date", async () => {
      const circleId = await createCircle(MEGAN, [ALEX]);
      await as(stack, app, MEGAN).post(`/api/circles/${circleId}/members`, { upn: PRIYA });
      const res = await as(stack, app, ALEX).post(`/api/circles/${circleId}/slots`, { startOn: START_ON });
      expect(res.status).toBe(200);
      expect((res.body as SlotSearchResult).slots[0]!.memberTimes.map((m) => m.upn).sort()).toEqual([ALEX, MEGAN, PRIYA]);
      for (const startOn of ["2026-02-30", "next week", "2026-3-9"]) {
        const bad = await as(stack, app, MEGAN).post(`/api/circles/${circleId}/slots`, { startOn });
        expect(bad.status).toBe(400);
        expect(bad.body.error.message).toMatch(/startOn/);
      }
    });

    it("proposes a rotation and says who carries the burden when no slot fits everyone's hours", async () => {
      // Bengaluru and Seattle working days do not overlap at all.
      const circleId = await createCircle(PRIYA, [LEE], { cadence: "biweekly", sessionCount: 6, timeZone: "Asia/Kolkata" });
      const res = await as(stack, app, LEE).post(`/api/circles/${circleId}/slots`, { startOn: START_ON });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const body = res.body as SlotSearchResult;
      expect(body.slots.length).toBeLessThanOrEqual(5);
      expect(body.slots[0]!.outsideWorkingHours.length).toBeGreaterThan(0);
      expect(body.rotation, JSON.stringify(body.slots.map((s) => s.explanation))).toBeDefined();
      expect(body.rotation!.slots.length).toBeGreaterThanOrEqual(2);
      expect(body.rotation!.explanation).toMatch(/Alternating|Rotating/);
      const burden = Object.fromEntries(body.rotation!.burden.map((b) => [b.upn, b.outsideSessions]));
      // Shared: both carry some sessions outside their hours.
      expect(burden[PRIYA]).toBeGreaterThan(0);
      expect(burden[LEE]).toBeGreaterThan(0);
    });

    it("defaults to starting tomorrow in the circle's zone", async () => {
      const circleId = await createCircle(MEGAN, [ALEX], { sessionCount: 2 });
      const res = await as(stack, app, MEGAN).post(`/api/circles/${circleId}/slots`, {});
      expect(res.status).toBe(200);
      for (const slot of (res.body as SlotSearchResult).slots) expect(slot.start >= "2026-03-03").toBe(true);
    });
  });
});
