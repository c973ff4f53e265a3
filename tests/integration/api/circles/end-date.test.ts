import { afterAll, beforeAll, expect, it } from "vitest";
import type { Express } from "express";
import type { SlotSearchResult } from "../../../../api/circles/schemas";
import { forEachEngine } from "../../../fixtures/engines";
import { ALEX, MEGAN, PRIYA, as, startSandboxStack, type SandboxStack } from "./sandbox-stack";

/*
 * A circle that ends on a date instead of after a number of sessions (issue #3 part 1). Monday
 * 2 March 2026; Alex is out of office the last week of May, so a search that looks past the end
 * date would report clashes there.
 */
const NOW = new Date("2026-03-02T09:00:00.000Z");
const OFFSITE = { start: "2026-05-24T22:00:00", end: "2026-05-29T23:00:00" };
let stack: SandboxStack;

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

const base = { name: "Until the summer", purpose: "", members: [ALEX, PRIYA], formatId: "coaching-circle", cadence: "biweekly", sessionMinutes: 60 };

forEachEngine((ctx) => {
  let app: Express;
  beforeAll(() => {
    app = stack.appFor(ctx.db);
  });

  async function circleCount(): Promise<number> {
    const row = await ctx.db.selectFrom("circles").select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it("creates a circle that ends on a date: the date is kept, and the count is the sessions it can have until then", async () => {
    const res = await as(stack, app, MEGAN).post("/api/circles", { ...base, endsOn: "2026-05-29" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // Every 2 weeks from tomorrow (Tue 3 Mar) to Fri 29 May: Tue 3 Mar … Tue 26 May, or Fri 6 Mar … Fri 29 May — 7 sessions.
    expect(res.body).toMatchObject({ endsOn: "2026-05-29", sessionCount: 7, cadence: "biweekly" });
    const read = await as(stack, app, ALEX).get(`/api/circles/${res.body.id}`);
    expect(read.body).toMatchObject({ endsOn: "2026-05-29", sessionCount: 7 });
  });

  it("keeps the number of sessions working as before (endsOn is null)", async () => {
    const res = await as(stack, app, MEGAN).post("/api/circles", { ...base, sessionCount: 6 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ sessionCount: 6, endsOn: null });
  });

  it("answers 400 with the error envelope, storing nothing, for both, neither, a past date or too many sessions", async () => {
    const before = await circleCount();
    const bodies = [
      { ...base, sessionCount: 6, endsOn: "2026-05-29" },
      { ...base },
      { ...base, endsOn: "2026-02-27" },
      { ...base, endsOn: "2026-02-30" },
      { ...base, cadence: "weekly", endsOn: "2027-06-30" },
    ];
    for (const body of bodies) {
      const res = await as(stack, app, MEGAN).post("/api/circles", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ error: { code: "bad_request" } });
      expect(typeof res.body.error.message).toBe("string");
    }
    expect(await circleCount()).toBe(before);
  });

  it("searches fair time only up to the end date: no session (nor clash) after it", async () => {
    const weekly = { ...base, cadence: "weekly" };
    const untilOffsite = await as(stack, app, MEGAN).post("/api/circles", { ...weekly, endsOn: "2026-05-29" });
    const beforeOffsite = await as(stack, app, MEGAN).post("/api/circles", { ...weekly, endsOn: "2026-05-22" });
    const search = async (id: string) => {
      const res = await as(stack, app, MEGAN).post(`/api/circles/${id}/slots`, { startOn: "2026-03-09" });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body as SlotSearchResult;
    };
    const through = await search(untilOffsite.body.id);
    const upTo = await search(beforeOffsite.body.id);
    expect(through.slots.length).toBeGreaterThan(0);
    expect(upTo.slots.length).toBeGreaterThan(0);
    // Alex's offsite is inside the first circle's dates and outside the second's.
    expect(through.slots.every((s) => s.conflicts.some((c) => c.date >= "2026-05-25" && c.members.includes(ALEX)))).toBe(true);
    expect(upTo.slots.flatMap((s) => s.conflicts).every((c) => c.date <= "2026-05-22")).toBe(true);

    const late = await as(stack, app, MEGAN).post(`/api/circles/${beforeOffsite.body.id}/slots`, { startOn: "2026-06-01" });
    expect(late.status).toBe(400);
    expect(late.body.error.message).toContain("2026-05-22");
  });
});
