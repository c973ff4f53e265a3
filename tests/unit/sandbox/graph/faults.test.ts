import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ALEX, MEGAN, PRIYA, newSandbox } from "../sandbox-test-kit";

let kit: Awaited<ReturnType<typeof newSandbox>>;
beforeAll(async () => {
  kit = await newSandbox();
});
beforeEach(() => {
  kit.sandbox.faults.reset();
  kit.sandbox.stats.reset();
});

describe("injected faults", () => {
  it("answers 429 TooManyRequests with Retry-After, only as many times as asked", async () => {
    kit.sandbox.faults.add({ match: { method: "GET", path: "/me/mailboxSettings" }, status: 429, retryAfterSeconds: 3, times: 2 });
    const me = await kit.as(MEGAN);
    for (let i = 0; i < 2; i++) {
      const res = await me.get("/v1.0/me/mailboxSettings");
      expect(res.status).toBe(429);
      expect(res.headers["retry-after"]).toBe("3");
      expect(res.body.error).toMatchObject({ code: "TooManyRequests", message: "Please retry again later." });
    }
    expect((await me.get("/v1.0/me/mailboxSettings")).status).toBe(200);
    expect((await me.get("/v1.0/me")).status).toBe(200);
  });

  it("injects 503 and 504 through the control endpoint and clears them with DELETE", async () => {
    const me = await kit.as(MEGAN);
    const added = await kit.http.post("/sandbox/faults").send({ rules: [{ match: { path: "/users" }, status: 503 }, { match: { path: "/manager" }, status: 504 }] });
    expect(added.status).toBe(201);
    expect((await me.get("/v1.0/users")).status).toBe(503);
    expect((await me.get(`/v1.0/users/${ALEX}/manager`)).status).toBe(503);
    expect((await me.get("/v1.0/me/manager")).status).toBe(504);
    expect((await kit.http.get("/sandbox/faults")).body.rules).toHaveLength(2);
    expect((await kit.http.delete("/sandbox/faults")).status).toBe(204);
    expect((await me.get("/v1.0/users")).status).toBe(200);
    expect((await kit.http.post("/sandbox/faults").send({ status: 500 })).status).toBe(400);
  });

  it("matches paths by regular expression", async () => {
    await kit.http.post("/sandbox/faults").send({ match: { path: "/^\\/users\\/[^/]+\\/mailboxSettings/" }, status: 429 });
    const app = await kit.asApp();
    expect((await app.get(`/v1.0/users/${ALEX}/mailboxSettings`)).status).toBe(429);
    expect((await app.get(`/v1.0/users/${ALEX}`)).status).toBe(200);
  });

  it("makes probabilistic faults repeatable with a seed", async () => {
    const me = await kit.as(MEGAN);
    const run = async () => {
      kit.sandbox.faults.reset();
      kit.sandbox.faults.seed(42);
      kit.sandbox.faults.add({ match: { path: "/me" }, status: 503, probability: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await me.get("/v1.0/me")).status);
      return statuses;
    };
    const first = await run();
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });

  it("adds latency", async () => {
    kit.sandbox.faults.add({ match: { path: "/me" }, latencyMs: 150 });
    const me = await kit.as(MEGAN);
    const t = Date.now();
    expect((await me.get("/v1.0/me")).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
  });
});

describe("mailbox concurrency limit", () => {
  it("throttles the 5th concurrent request for one mailbox with ApplicationThrottled, not other mailboxes", async () => {
    // Long enough that all five are in flight together even on a busy CI machine.
    kit.sandbox.faults.add({ match: { path: "/mailboxSettings" }, latencyMs: 1000 });
    const app = await kit.asApp();
    const same = Array.from({ length: 5 }, () => app.get(`/v1.0/users/${ALEX}/mailboxSettings`).then((r) => r));
    const other = app.get(`/v1.0/users/${PRIYA}/mailboxSettings`).then((r) => r);
    const results = await Promise.all(same);
    const throttled = results.filter((r) => r.status === 429);
    expect(throttled).toHaveLength(1);
    expect(throttled[0]!.body.error.code).toBe("ApplicationThrottled");
    expect(throttled[0]!.headers["retry-after"]).toEqual(expect.any(String));
    expect((await other).status).toBe(200);
    // Slots are released when responses finish.
    expect((await app.get(`/v1.0/users/${ALEX}/mailboxSettings`)).status).toBe(200);
  });

  it("can be switched off", async () => {
    kit.sandbox.faults.setConcurrencyLimit(null);
    kit.sandbox.faults.add({ match: { path: "/mailboxSettings" }, latencyMs: 200 });
    const app = await kit.asApp();
    const results = await Promise.all(Array.from({ length: 6 }, () => app.get(`/v1.0/users/${ALEX}/mailboxSettings`).then((r) => r)));
    expect(results.every((r) => r.status === 200)).toBe(true);
  });

  it("does not count directory reads against the mailbox", async () => {
    kit.sandbox.faults.add({ match: { path: "/me" }, latencyMs: 200 });
    const me = await kit.as(MEGAN);
    const results = await Promise.all(Array.from({ length: 6 }, () => me.get("/v1.0/me").then((r) => r)));
    expect(results.every((r) => r.status === 200)).toBe(true);
  });
});

describe("stats", () => {
  it("counts Graph requests and resets over HTTP", async () => {
    const me = await kit.as(MEGAN);
    await me.get("/v1.0/me");
    await me.get("/v1.0/users");
    await kit.http.post("/sandbox/identity-is-not-graph");
    const stats = await kit.http.get("/sandbox/stats");
    expect(stats.body).toMatchObject({ graphRequests: 2, byMethodAndPath: { "GET /me": 1, "GET /users": 1 } });
    expect((await kit.http.post("/sandbox/stats/reset")).status).toBe(204);
    expect(kit.sandbox.stats.graphRequests()).toBe(0);
  });

  it("counts Outlook requests ($batch items included, throttled ones too) and injected faults by status", async () => {
    const me = await kit.as(MEGAN);
    kit.sandbox.faults.add({ match: { path: "/me/calendar" }, status: 503, times: 1 });
    await me.get("/v1.0/me/calendar");
    await me.get("/v1.0/me");
    await me.post("/v1.0/$batch").send({
      requests: [
        { id: "1", method: "GET", url: "/me/mailboxSettings" },
        { id: "2", method: "GET", url: "/me/events?$top=1" },
        { id: "3", method: "GET", url: "/me" },
      ],
    });
    kit.sandbox.faults.add({ match: { path: "/me/events" }, status: 429, times: 1 });
    expect((await me.get("/v1.0/me/events")).status).toBe(429);
    const stats = kit.sandbox.stats.snapshot();
    expect(stats).toMatchObject({ graphRequests: 4, batchItems: 3, mailboxRequests: 4, injectedFaults: 2, injectedByStatus: { "429": 1, "503": 1 } });
  });
});
