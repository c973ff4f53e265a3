import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createJobRunner, findJob, insertJob, type JobHandler } from "../../../../api/jobs";
import { openTestDatabase, type TestDatabase } from "../../../fixtures/engines";

const STEPS = [{ name: "work", label: "Work" }];

/** Jobs that wait at a gate the test opens, recording how many of them run at once. */
function gatedHandler() {
  let inFlight = 0;
  let maxInFlight = 0;
  const started: number[] = [];
  const waiters: Array<() => void> = [];
  let open = false;
  const handler: JobHandler<{ n: number }> = {
    type: "gated",
    payloadSchema: z.object({ n: z.number() }),
    steps: STEPS,
    async run(ctx) {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      started.push(ctx.payload.n);
      await ctx.begin("work");
      if (!open) await new Promise<void>((resolve) => waiters.push(resolve));
      inFlight -= 1;
      await ctx.done("work");
    },
  };
  return {
    handler,
    started,
    maxInFlight: () => maxInFlight,
    inFlight: () => inFlight,
    openGate() {
      open = true;
      for (const w of waiters.splice(0)) w();
    },
  };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
}

describe("job runner concurrency (sqlite)", () => {
  let database: TestDatabase;
  let now = Date.parse("2026-01-05T09:00:00Z");
  const clock = () => new Date(now);
  beforeEach(async () => {
    database = await openTestDatabase("sqlite");
    now = Date.parse("2026-01-05T09:00:00Z");
  });
  afterEach(async () => {
    await database.dispose();
  });

  async function enqueue(type: string, n: number): Promise<string> {
    const id = randomUUID();
    await insertJob(database.db, { id, type, payload: { n }, steps: STEPS, now: clock() });
    return id;
  }

  it("runs up to `concurrency` jobs at once and all of them in the end", async () => {
    const gated = gatedHandler();
    const runner = createJobRunner({ db: database.db, handlers: [gated.handler], clock, concurrency: 3 });
    const ids = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => enqueue("gated", n)));
    const runs = runner.runDue();
    await until(() => gated.inFlight() === 3);
    // The fourth waits for a free slot.
    await new Promise((r) => setTimeout(r, 30));
    expect(gated.started).toHaveLength(3);
    gated.openGate();
    expect(await runs).toBe(7);
    expect(gated.maxInFlight()).toBe(3);
    for (const id of ids) expect((await findJob(database.db, id))?.status).toBe("succeeded");
  });

  it("runs one job at a time with concurrency 1", async () => {
    const gated = gatedHandler();
    gated.openGate();
    const runner = createJobRunner({ db: database.db, handlers: [gated.handler], clock, concurrency: 1 });
    for (const n of [1, 2, 3]) await enqueue("gated", n);
    expect(await runner.runDue()).toBe(3);
    expect(gated.maxInFlight()).toBe(1);
  });

  it("refuses a concurrency that is not a positive integer", () => {
    expect(() => createJobRunner({ db: database.db, handlers: [], concurrency: 0 })).toThrow(RangeError);
    expect(() => createJobRunner({ db: database.db, handlers: [], concurrency: 1.5 })).toThrow(RangeError);
  });

  it("picks up a job queued while another runs as soon as it is woken, in the same runDue", async () => {
    const gated = gatedHandler();
    const runner = createJobRunner({ db: database.db, handlers: [gated.handler], clock, concurrency: 2, pollMs: 60_000 });
    await enqueue("gated", 1);
    const runs = runner.runDue();
    await until(() => gated.inFlight() === 1);
    await enqueue("gated", 2);
    runner.wake();
    await until(() => gated.inFlight() === 2);
    gated.openGate();
    expect(await runs).toBe(2);
  });

  it("runs a job it queued for later (a continuation) when it is due, without waiting for the next poll", async () => {
    let runs = 0;
    const follower: JobHandler<{ n: number }> = {
      type: "follower",
      payloadSchema: z.object({ n: z.number() }),
      steps: STEPS,
      async run(ctx) {
        runs += 1;
        if (runs === 1) return { continueAfterMs: 20 };
        await ctx.begin("work");
        await ctx.done("work");
      },
    };
    // The wall clock: the continuation's due time must really pass. A poll once a minute would not see it.
    const runner = createJobRunner({ db: database.db, handlers: [follower], concurrency: 2, pollMs: 60_000 });
    await insertJob(database.db, { id: randomUUID(), type: "follower", payload: { n: 1 }, steps: STEPS, now: new Date() });
    runner.start();
    await until(() => runs === 2);
    await runner.stop();
    const [job] = await database.db.selectFrom("jobs").selectAll().where("type", "=", "follower").execute();
    expect(job).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  it("stop() lets every job in hand finish its run and claims nothing new", async () => {
    const gated = gatedHandler();
    const runner = createJobRunner({ db: database.db, handlers: [gated.handler], clock, concurrency: 2, pollMs: 10 });
    const ids = await Promise.all([1, 2, 3].map((n) => enqueue("gated", n)));
    runner.start();
    await until(() => gated.inFlight() === 2);
    const stopped = runner.stop();
    gated.openGate();
    await stopped;
    const statuses = await Promise.all(ids.map(async (id) => (await findJob(database.db, id))?.status));
    expect(statuses.filter((s) => s === "succeeded")).toHaveLength(2);
    expect(statuses.filter((s) => s === "queued")).toHaveLength(1);
    expect(gated.started).toHaveLength(2);
  });

  it("queues a job that asks to continue later without counting the run as a failed attempt", async () => {
    let checks = 0;
    const follower: JobHandler<{ n: number }> = {
      type: "follower",
      payloadSchema: z.object({ n: z.number() }),
      steps: STEPS,
      async run(ctx) {
        checks += 1;
        if (checks < 6) return { continueAfterMs: 5_000, note: { code: "waiting", message: "Waiting for the others." } };
        await ctx.begin("work");
        await ctx.done("work");
      },
    };
    const runner = createJobRunner({ db: database.db, handlers: [follower], clock, maxAttempts: 2 });
    const id = await enqueue("follower", 1);
    expect(await runner.runDue()).toBe(1);
    expect(await findJob(database.db, id)).toMatchObject({ status: "queued", attempts: 0, locked_by: null, run_after: new Date(now + 5_000).toISOString() });
    expect(JSON.parse((await findJob(database.db, id))?.error ?? "{}")).toEqual({ code: "waiting", message: "Waiting for the others." });
    // Not due before its time; five waits do not exhaust maxAttempts (2).
    expect(await runner.runDue()).toBe(0);
    for (let i = 0; i < 5; i++) {
      now += 5_000;
      expect(await runner.runDue()).toBe(1);
    }
    expect(await findJob(database.db, id)).toMatchObject({ status: "succeeded", error: null, attempts: 1 });
    expect(checks).toBe(6);
  });
});
