import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { SeedPerson } from "../../../../sandbox/seed/people";
import { forEachEngine } from "../../../fixtures/engines";
import { nextSlot, person, seedCircle } from "../booking/booking-stack";
import { startProtectedTimeStack, type ProtectedTimeStack } from "./protected-time-stack";

const priya = person("priya.raman");
const megan = person("megan.bowen");
const alex = person("alex.wilber");
const diego = person("diego.siciliani");
const lee = person("lee.gu");

const MIN = 60_000;
const SyncSchema = z.object({
  circles: z.array(z.object({ circleId: z.string(), status: z.string(), created: z.number(), updated: z.number(), deleted: z.number(), blocks: z.number() })),
});
const SettingsSchema = z.object({
  circleId: z.string(),
  optOut: z.boolean(),
  prepMinutes: z.number(),
  reflectionMinutes: z.number(),
  mode: z.string(),
  blocks: z.array(z.object({ kind: z.string(), start: z.string(), end: z.string() })),
});
const DetailSchema = z.object({
  series: z.object({ occurrences: z.array(z.object({ id: z.string(), start: z.string(), end: z.string(), status: z.string() })) }).optional(),
});

async function bookCircle(stack: ProtectedTimeStack, members: SeedPerson[], sessionCount = 3): Promise<{ circleId: string; iCalUId: string }> {
  const circleId = await seedCircle(stack.db, priya, members, { sessionCount });
  const res = await stack.call(priya, "post", `/api/circles/${circleId}/booking`, { start: nextSlot(), timeZone: "Europe/London" });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  // Runs the booking job, then the protected-time sync it queues.
  await stack.runner.runDue();
  const row = await stack.db.selectFrom("circle_series").select(["ical_uid", "status"]).where("circle_id", "=", circleId).executeTakeFirstOrThrow();
  expect(row.status).toBe("booked");
  return { circleId, iCalUId: row.ical_uid! };
}

async function sync(stack: ProtectedTimeStack, who: SeedPerson, circleId: string) {
  const res = await stack.call(who, "post", "/api/protected-time/sync");
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const mine = SyncSchema.parse(res.body).circles.find((c) => c.circleId === circleId);
  expect(mine, JSON.stringify(res.body)).toBeDefined();
  return mine!;
}

/** Every session on the person's calendar has prep `prep` min before and reflection `reflection` min after, and nothing else is ours. */
async function expectBlocksAroundSessions(stack: ProtectedTimeStack, who: SeedPerson, circleId: string, iCalUId: string | string[], prep = 15, reflection = 10) {
  const sessions: Array<{ start: number; end: number }> = [];
  for (const uid of Array.isArray(iCalUId) ? iCalUId : [iCalUId]) sessions.push(...(await stack.sessionsIn(who, uid)));
  sessions.sort((a, b) => a.start - b.start);
  expect(sessions.length).toBeGreaterThan(0);
  const blocks = await stack.blocksIn(who, circleId);
  const expected = sessions.flatMap((s) => [
    { kind: "prep", start: s.start - prep * MIN, end: s.start },
    { kind: "reflection", start: s.end, end: s.end + reflection * MIN },
  ]);
  expect(blocks.map((b) => ({ kind: b.kind, start: b.start, end: b.end }))).toEqual(expected.sort((a, b) => a.start - b.start));
  for (const b of blocks) {
    expect(b).toMatchObject({ showAs: "busy", categories: ["Coaching (protected)"], isReminderOn: false });
    expect(b.subject).toBe(b.kind === "prep" ? "Coaching prep" : "Coaching reflection");
  }
  return { sessions, blocks };
}

forEachEngine((engine) => {
  describe("delegated mode", () => {
    let stack: ProtectedTimeStack;
    beforeAll(async () => {
      stack = await startProtectedTimeStack(engine.db);
    });
    afterAll(async () => {
      await stack?.sandbox.close();
    });

    it("gives a member prep and reflection around every session when they open the app, once", async () => {
      const { circleId, iCalUId } = await bookCircle(stack, [megan, alex]);
      // Delegated: nothing on Megan's calendar until she opens the app.
      expect(await stack.blocksIn(megan, circleId)).toEqual([]);

      const first = await sync(stack, megan, circleId);
      expect(first).toMatchObject({ status: "synced", created: 6, updated: 0, deleted: 0, blocks: 6 });
      const { blocks } = await expectBlocksAroundSessions(stack, megan, circleId, iCalUId);
      expect(blocks).toHaveLength(6);

      // Opening the app again changes nothing and duplicates nothing.
      expect(await sync(stack, megan, circleId)).toMatchObject({ created: 0, updated: 0, deleted: 0, blocks: 6 });
      expect((await stack.blocksIn(megan, circleId)).map((b) => b.id)).toEqual(blocks.map((b) => b.id));

      // The organiser was signed in when booking: the sync job already protected her time.
      await expectBlocksAroundSessions(stack, priya, circleId, iCalUId);
      // Alex never opened the app.
      expect(await stack.blocksIn(alex, circleId)).toEqual([]);
    });

    it("moves the blocks with a moved session and removes them for a skipped one", async () => {
      const { circleId, iCalUId } = await bookCircle(stack, [megan, alex]);
      await sync(stack, megan, circleId);

      const detail = DetailSchema.parse((await stack.call(priya, "get", `/api/circles/${circleId}`)).body);
      const [firstOcc, secondOcc] = detail.series!.occurrences;
      const newStart = new Date(Date.parse(firstOcc!.start) + 26 * 60 * MIN).toISOString();
      const moved = await stack.call(priya, "post", `/api/circles/${circleId}/occurrences/${encodeURIComponent(firstOcc!.id)}/move`, { start: newStart });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);

      expect(await sync(stack, megan, circleId)).toMatchObject({ status: "synced", created: 0, updated: 2, deleted: 0 });
      const after = await expectBlocksAroundSessions(stack, megan, circleId, iCalUId);
      expect(after.sessions[0]!.start).toBe(Date.parse(newStart));
      expect(after.blocks[0]).toMatchObject({ kind: "prep", start: Date.parse(newStart) - 15 * MIN, end: Date.parse(newStart) });
      // The organiser's blocks followed through the job the move queued.
      await stack.runner.runDue();
      await expectBlocksAroundSessions(stack, priya, circleId, iCalUId);

      const skipped = await stack.call(priya, "post", `/api/circles/${circleId}/occurrences/${encodeURIComponent(secondOcc!.id)}/skip`, {});
      expect(skipped.status, JSON.stringify(skipped.body)).toBe(200);
      expect(await sync(stack, megan, circleId)).toMatchObject({ deleted: 2, blocks: 4 });
      const left = await expectBlocksAroundSessions(stack, megan, circleId, iCalUId);
      expect(left.sessions).toHaveLength(2);
      expect(left.blocks.some((b) => b.start < Date.parse(secondOcc!.end) + 10 * MIN && b.end > Date.parse(secondOcc!.start) - 15 * MIN)).toBe(false);
    });

    it("keeps blocks on both halves of a series split by moving it from a later date", async () => {
      const { circleId, iCalUId } = await bookCircle(stack, [megan, alex]);
      const before = DetailSchema.parse((await stack.call(priya, "get", `/api/circles/${circleId}`)).body).series!.occurrences;
      const fromDate = before[1]!.start.slice(0, 10);
      const split = await stack.call(priya, "post", `/api/circles/${circleId}/series/move`, { fromDate, start: before[1]!.start.replace("T15:00:00", "T09:00:00") });
      expect(split.status, JSON.stringify(split.body)).toBe(200);
      await stack.runner.runDue();
      const second = await stack.db.selectFrom("circle_series").select("ical_uid").where("circle_id", "=", circleId).executeTakeFirstOrThrow();
      expect(second.ical_uid).not.toBe(iCalUId);

      // Alex opens the app for the first time after the split: the first session (old series)
      // and the two moved ones (new series) are all protected.
      expect(await sync(stack, alex, circleId)).toMatchObject({ status: "synced", created: 6 });
      const { sessions } = await expectBlocksAroundSessions(stack, alex, circleId, [iCalUId, second.ical_uid!]);
      expect(sessions).toHaveLength(3);
      expect(sessions[0]!.start).toBe(Date.parse(before[0]!.start));
      expect(sessions[1]!.start).toBe(Date.parse(before[1]!.start.replace("T15:00:00", "T09:00:00")));
    });

    it("finishes under throttling with no duplicate blocks", async () => {
      // Lee has not opened the app before: his first sync creates every block.
      const { circleId, iCalUId } = await bookCircle(stack, [lee]);
      // Creates of blocks answer 429 for a while (inside $batch); the in-process retry gives up first.
      stack.sandbox.sandbox.faults.add({ match: { method: "POST", path: /\/me\/events$/ }, status: 429, retryAfterSeconds: 1, times: 8 });
      try {
        const first = SyncSchema.parse((await stack.call(lee, "post", "/api/protected-time/sync")).body).circles.find((c) => c.circleId === circleId)!;
        expect(first.status).toBe("failed");
      } finally {
        stack.sandbox.sandbox.faults.reset();
      }
      expect((await stack.blocksIn(lee, circleId)).length).toBeLessThan(6);
      expect(await sync(stack, lee, circleId)).toMatchObject({ status: "synced", blocks: 6 });
      await expectBlocksAroundSessions(stack, lee, circleId, iCalUId);
      expect(await sync(stack, lee, circleId)).toMatchObject({ created: 0, updated: 0, deleted: 0, blocks: 6 });
    });

    it("removes every upcoming block when the series is cancelled", async () => {
      const { circleId } = await bookCircle(stack, [megan]);
      await sync(stack, megan, circleId);
      expect(await stack.blocksIn(megan, circleId)).toHaveLength(6);
      const res = await stack.call(priya, "post", `/api/circles/${circleId}/series/cancel`, {});
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(await sync(stack, megan, circleId)).toMatchObject({ status: "notBooked", deleted: 6, blocks: 0 });
      expect(await stack.blocksIn(megan, circleId)).toEqual([]);
      await stack.runner.runDue();
      expect(await stack.blocksIn(priya, circleId)).toEqual([]);
    });

    it("keeps per-member settings: opt-out removes the blocks, other durations reshape them", async () => {
      const { circleId, iCalUId } = await bookCircle(stack, [megan, alex]);
      const defaults = await stack.call(megan, "get", `/api/circles/${circleId}/protected-time`);
      expect(defaults.status).toBe(200);
      expect(SettingsSchema.parse(defaults.body)).toMatchObject({ circleId, optOut: false, prepMinutes: 15, reflectionMinutes: 10, mode: "delegated" });
      await sync(stack, megan, circleId);
      expect(SettingsSchema.parse((await stack.call(megan, "get", `/api/circles/${circleId}/protected-time`)).body).blocks).toHaveLength(6);

      const out = await stack.call(megan, "put", `/api/circles/${circleId}/protected-time`, { optOut: true, prepMinutes: 15, reflectionMinutes: 10 });
      expect(out.status, JSON.stringify(out.body)).toBe(200);
      expect(SettingsSchema.parse(out.body)).toMatchObject({ optOut: true, blocks: [] });
      expect(await stack.blocksIn(megan, circleId)).toEqual([]);
      expect(await sync(stack, megan, circleId)).toMatchObject({ status: "optedOut", created: 0, blocks: 0 });
      expect(await stack.blocksIn(megan, circleId)).toEqual([]);
      // Alex's settings are his own.
      expect(SettingsSchema.parse((await stack.call(alex, "get", `/api/circles/${circleId}/protected-time`)).body).optOut).toBe(false);

      const back = await stack.call(megan, "put", `/api/circles/${circleId}/protected-time`, { optOut: false, prepMinutes: 30, reflectionMinutes: 5 });
      expect(back.status, JSON.stringify(back.body)).toBe(200);
      await expectBlocksAroundSessions(stack, megan, circleId, iCalUId, 30, 5);

      const invalid = await stack.call(megan, "put", `/api/circles/${circleId}/protected-time`, { optOut: false, prepMinutes: 500, reflectionMinutes: 5 });
      expect(invalid.status).toBe(400);
    });

    it("answers 404 to people outside the circle", async () => {
      const { circleId } = await bookCircle(stack, [megan]);
      const get = await stack.call(diego, "get", `/api/circles/${circleId}/protected-time`);
      const put = await stack.call(diego, "put", `/api/circles/${circleId}/protected-time`, { optOut: true, prepMinutes: 15, reflectionMinutes: 10 });
      for (const res of [get, put]) {
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ error: { code: "not_found" } });
      }
      const synced = SyncSchema.parse((await stack.call(diego, "post", "/api/protected-time/sync")).body);
      expect(synced.circles.some((c) => c.circleId === circleId)).toBe(false);
      expect(await stack.blocksIn(diego, circleId)).toEqual([]);
    });
  });

  describe("application mode", () => {
    let stack: ProtectedTimeStack;
    beforeAll(async () => {
      stack = await startProtectedTimeStack(engine.db, { appMode: true });
    });
    afterAll(async () => {
      await stack?.sandbox.close();
    });

    it("protects every member's time at booking and moves it with the session, without anyone opening the app", async () => {
      const { circleId, iCalUId } = await bookCircle(stack, [megan, alex]);
      for (const who of [priya, megan, alex]) await expectBlocksAroundSessions(stack, who, circleId, iCalUId);

      const detail = DetailSchema.parse((await stack.call(priya, "get", `/api/circles/${circleId}`)).body);
      const occ = detail.series!.occurrences[2]!;
      const newStart = new Date(Date.parse(occ.start) - 2 * 60 * MIN).toISOString();
      expect((await stack.call(priya, "post", `/api/circles/${circleId}/occurrences/${encodeURIComponent(occ.id)}/move`, { start: newStart })).status).toBe(200);
      await stack.runner.runDue();
      for (const who of [priya, megan, alex]) {
        const { sessions } = await expectBlocksAroundSessions(stack, who, circleId, iCalUId);
        expect(sessions[2]!.start).toBe(Date.parse(newStart));
      }
      // A member opening the app afterwards finds nothing to do.
      expect(await sync(stack, alex, circleId)).toMatchObject({ created: 0, updated: 0, deleted: 0, blocks: 6 });
    });
  });
});
