import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { GraphRequestError } from "../../../../api/graph";
import { classifyFailure, createJobRunner, findJob, insertJob, listJobSteps, RetryLaterError, type JobHandler } from "../../../../api/jobs";
import { AppError } from "../../../../api/shared/errors";
import { openTestDatabase, type TestDatabase } from "../../../fixtures/engines";

const STEPS = [
  { name: "one", label: "Step one" },
  { name: "two", label: "Step two" },
];

/** A handler whose step "two" fails the first `failures` times it runs. */
function flakyHandler(failures: number, error: () => Error, effects: string[]): JobHandler<{ n: number }> {
  let left = failures;
  return {
    type: "flaky",
    payloadSchema: z.object({ n: z.number() }),
    steps: STEPS,
    async run(ctx) {
      if (ctx.step("one").status !== "done") {
        await ctx.begin("one");
        effects.push(`one:${ctx.payload.n}`);
        await ctx.done("one", { made: ctx.payload.n });
      }
      await ctx.begin("two");
      if (left-- > 0) throw error();
      effects.push(`two:${JSON.stringify(ctx.step("one").output)}`);
      await ctx.done("two");
    },
  };
}

describe("job runner (sqlite)", () => {
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

  async function enqueue(): Promise<string> {
    const id = randomUUID();
    await insertJob(database.db, { id, type: "flaky", payload: { n: 7 }, steps: STEPS, now: clock() });
    return id;
  }

  it("resumes at the failed step after a transient fault, honouring Retry-After", async () => {
    const effects: string[] = [];
    const handler = flakyHandler(1, () => new GraphRequestError({ status: 429, code: "TooManyRequests", message: "slow down", retryAfterMs: 30_000 }), effects);
    const runner = createJobRunner({ db: database.db, handlers: [handler], clock });
    const id = await enqueue();

    expect(await runner.runDue()).toBe(1);
    let job = await findJob(database.db, id);
    expect(job).toMatchObject({ status: "queued", run_after: new Date(now + 30_000).toISOString(), progress_done: 1, locked_by: null });
    expect((await listJobSteps(database.db, id)).map((s) => [s.name, s.status, s.attempts])).toEqual([
      ["one", "done", 1],
      ["two", "failed", 1],
    ]);

    now += 29_000;
    expect(await runner.runDue()).toBe(0);
    now += 1_000;
    expect(await runner.runDue()).toBe(1);
    job = await findJob(database.db, id);
    expect(job).toMatchObject({ status: "succeeded", progress_done: 2, attempts: 2 });
    // Step one ran once; step two read what step one recorded.
    expect(effects).toEqual(["one:7", 'two:{"made":7}']);
  });

  it("fails the job at once on a permanent error and records it for the user", async () => {
    const handler = flakyHandler(1, () => new AppError("bad_request", "That cannot work."), []);
    const runner = createJobRunner({ db: database.db, handlers: [handler], clock });
    const id = await enqueue();
    await runner.runDue();
    const job = await findJob(database.db, id);
    expect(job?.status).toBe("failed");
    expect(JSON.parse(job?.error ?? "{}")).toEqual({ code: "bad_request", message: "That cannot work." });
  });

  it("gives up after maxAttempts transient failures", async () => {
    const handler = flakyHandler(99, () => new RetryLaterError("not yet", 1_000), []);
    const runner = createJobRunner({ db: database.db, handlers: [handler], clock, maxAttempts: 3 });
    const id = await enqueue();
    for (let i = 0; i < 5; i++) {
      await runner.runDue();
      now += 2_000;
    }
    expect(await findJob(database.db, id)).toMatchObject({ status: "failed", attempts: 3 });
  });

  it("lets only one of two workers claim a job, and another take over after the lease expires", async () => {
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const runs: string[] = [];
    const slow: JobHandler<{ n: number }> = {
      type: "flaky",
      payloadSchema: z.object({ n: z.number() }),
      steps: STEPS,
      async run(ctx) {
        runs.push(`attempt ${ctx.attempt}`);
        if (ctx.attempt === 1) await blocked;
        await ctx.begin("one", "two");
        await ctx.done("one");
        await ctx.done("two");
      },
    };
    const a = createJobRunner({ db: database.db, handlers: [slow], clock, workerId: "a", leaseMs: 10_000 });
    const b = createJobRunner({ db: database.db, handlers: [slow], clock, workerId: "b", leaseMs: 10_000 });
    const id = await enqueue();
    const first = a.runDue();
    await new Promise((r) => setTimeout(r, 50));
    expect(await b.runDue()).toBe(0);
    now += 10_001;
    expect(await b.runDue()).toBe(1);
    expect(await findJob(database.db, id)).toMatchObject({ status: "succeeded", locked_by: null });
    // The stale worker wakes up: its writes are refused, the job stays as b left it.
    release();
    await first;
    expect(await findJob(database.db, id)).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(runs).toEqual(["attempt 1", "attempt 2"]);
  });
});

describe("classifyFailure", () => {
  it("retries throttling, outages and network errors, not Graph's refusals", () => {
    const graph = (status: number, code = "x") => classifyFailure(new GraphRequestError({ status, code, message: code }));
    expect([graph(429).retriable, graph(503).retriable, graph(504).retriable, graph(0).retriable]).toEqual([true, true, true, true]);
    expect([graph(400).retriable, graph(403).retriable, graph(404).retriable, graph(502, "graph_invalid_response").retriable]).toEqual([false, false, false, false]);
    expect(classifyFailure(new Error("bug")).retriable).toBe(false);
  });
});
