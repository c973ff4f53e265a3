import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createGraphFactory, GraphRequestError, isGraphRequestError } from "../../../../api/graph";
import { backoffDelay, parseRetryAfter } from "../../../../api/graph/retry";
import { caller, graphError, recordingSleep, startScriptedGraph, tokens, type Script } from "./graph-test-server";

const Ok = z.object({ ok: z.boolean() });
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function setup(script: Script, retry: { maxRetries?: number; maxRetryAfterMs?: number } = {}, fetchImpl?: typeof fetch, requestTimeoutMs?: number) {
  const server = await startScriptedGraph(script);
  close = server.close;
  const { waits, sleep } = recordingSleep();
  const factory = createGraphFactory({
    baseUrl: server.baseUrl,
    tokens,
    retry: { ...retry, sleep },
    ...(fetchImpl ? { fetchImpl } : {}),
    ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
  });
  return { server, waits, graph: factory.forUser(caller) };
}

describe("parseRetryAfter", () => {
  it("reads delta-seconds", () => {
    expect(parseRetryAfter("7")).toBe(7000);
  });
  it("reads an HTTP-date relative to now", () => {
    const now = Date.parse("2025-03-01T10:00:00Z");
    expect(parseRetryAfter("Sat, 01 Mar 2025 10:00:05 GMT", now)).toBe(5000);
  });
  it("treats a date in the past as no wait and garbage as absent", () => {
    const now = Date.parse("2025-03-01T10:00:00Z");
    expect(parseRetryAfter("Sat, 01 Mar 2025 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe("backoffDelay", () => {
  it("doubles per attempt with jitter in the upper half, capped", () => {
    const policy = { baseDelayMs: 1000, maxDelayMs: 8000 };
    expect(backoffDelay(0, policy, () => 0)).toBe(500);
    expect(backoffDelay(0, policy, () => 1)).toBe(1000);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(3000);
    expect(backoffDelay(10, policy, () => 1)).toBe(8000);
  });
});

describe("Graph retry", () => {
  it("waits the Retry-After Graph sent on a 429, then returns the answer", async () => {
    const { graph, waits, server } = await setup((_r, i) =>
      i === 0 ? graphError(429, "TooManyRequests", "Please retry again later.", { "Retry-After": "2" }) : { status: 200, body: { ok: true } },
    );
    await expect(graph.get("/me/events", Ok)).resolves.toEqual({ ok: true });
    expect(waits).toEqual([2000]);
    expect(server.requests).toHaveLength(2);
  });

  it("honours a Retry-After given as an HTTP-date", async () => {
    const { graph, waits } = await setup((_r, i) =>
      i === 0 ? graphError(429, "TooManyRequests", "later", { "Retry-After": new Date(Date.now() + 3000).toUTCString() }) : { status: 200, body: { ok: true } },
    );
    await graph.get("/me/events", Ok);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(1000);
    expect(waits[0]).toBeLessThanOrEqual(3000);
  });

  it("retries 503 twice with growing backoff, then succeeds", async () => {
    const { graph, waits, server } = await setup((_r, i) => (i < 2 ? graphError(503, "ServiceUnavailable", "down") : { status: 200, body: { ok: true } }));
    await expect(graph.get("/me/events", Ok)).resolves.toEqual({ ok: true });
    expect(server.requests).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(500);
    expect(waits[0]).toBeLessThanOrEqual(1000);
    expect(waits[1]).toBeGreaterThanOrEqual(1000);
    expect(waits[1]).toBeLessThanOrEqual(2000);
  });

  it("gives up on 504 after maxRetries and throws Graph's code, message and Retry-After", async () => {
    const { graph, server } = await setup(() => graphError(504, "GatewayTimeout", "The gateway timed out.", { "Retry-After": "1" }), { maxRetries: 3 });
    const err = await graph.get("/me/events", Ok).catch((e: unknown) => e);
    expect(isGraphRequestError(err)).toBe(true);
    expect(err).toMatchObject({ name: "GraphRequestError", status: 504, code: "GatewayTimeout", message: "The gateway timed out.", retryAfterMs: 1000, requestId: "req-GatewayTimeout" });
    expect(server.requests).toHaveLength(4);
  });

  it("retries a throttled POST with the same body, so the create's transactionId dedupes it", async () => {
    const { graph, server } = await setup((_r, i) => (i === 0 ? graphError(429, "TooManyRequests", "later", { "Retry-After": "1" }) : { status: 201, body: { ok: true } }));
    await graph.post("/me/events", { subject: "Circle", transactionId: "tx-1" }, Ok);
    expect(server.requests.map((r) => r.body)).toEqual([
      { subject: "Circle", transactionId: "tx-1" },
      { subject: "Circle", transactionId: "tx-1" },
    ]);
  });

  it("does not wait out a Retry-After beyond maxRetryAfterMs but fails with it so a job can come back", async () => {
    const { graph, waits, server } = await setup(() => graphError(429, "TooManyRequests", "later", { "Retry-After": "600" }), { maxRetryAfterMs: 60_000 });
    await expect(graph.get("/me/events", Ok)).rejects.toMatchObject({ status: 429, retryAfterMs: 600_000 });
    expect(waits).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it("retries a GET after a network error", async () => {
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      calls += 1;
      if (calls === 1) throw new TypeError("fetch failed");
      return fetch(input, init);
    };
    const { graph, waits } = await setup(() => ({ status: 200, body: { ok: true } }), {}, flaky);
    await expect(graph.get("/me/events", Ok)).resolves.toEqual({ ok: true });
    expect(waits).toHaveLength(1);
  });

  it("times out a hanging GET and retries it", async () => {
    const { graph, server } = await setup((_r, i) => ({ status: 200, body: { ok: true }, delayMs: i === 0 ? 300 : 0 }), {}, undefined, 100);
    await expect(graph.get("/me/events", Ok)).resolves.toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
  });

  it("does not repeat a POST after a network error (it may have reached Graph) and reports Graph unreachable", async () => {
    let calls = 0;
    const broken: typeof fetch = async () => {
      calls += 1;
      throw new TypeError("fetch failed");
    };
    const { graph } = await setup(() => ({ status: 200, body: { ok: true } }), {}, broken);
    const err = await graph.post("/me/events", { subject: "x" }, Ok).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphRequestError);
    expect(err).toMatchObject({ status: 0, code: "graph_unreachable" });
    expect((err as Error).message).toContain("POST /me/events");
    expect(calls).toBe(1);
  });

  it("does not retry a 400", async () => {
    const { graph, server } = await setup(() => graphError(400, "ErrorInvalidRequest", "Bad recurrence."));
    await expect(graph.get("/me/events", Ok)).rejects.toMatchObject({ status: 400, code: "ErrorInvalidRequest", message: "Bad recurrence." });
    expect(server.requests).toHaveLength(1);
  });
});
