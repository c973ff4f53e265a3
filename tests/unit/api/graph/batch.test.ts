import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createGraphFactory, readBatchItemOrThrow, type BatchRequest } from "../../../../api/graph";
import { planBatchChunks } from "../../../../api/graph/batch";
import { caller, graphError, recordingSleep, startScriptedGraph, tokens, type Script, type SeenRequest } from "./graph-test-server";

interface WireItem {
  id: string;
  method: string;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  dependsOn?: string[];
}
const itemsOf = (r: SeenRequest) => (r.body as { requests: WireItem[] }).requests;
const ok = (item: WireItem) => ({ id: item.id, status: 200, headers: { "Content-Type": "application/json" }, body: { id: item.id } });

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function setup(script: Script, maxRetries?: number, inFlightKey?: (r: SeenRequest) => string) {
  const server = await startScriptedGraph(script, inFlightKey);
  close = server.close;
  const { waits, sleep } = recordingSleep();
  const graph = createGraphFactory({ baseUrl: server.baseUrl, tokens, retry: { sleep, ...(maxRetries === undefined ? {} : { maxRetries }) } }).forUser(caller);
  return { server, waits, graph };
}

// Directory reads: no Outlook mailbox, so only the 20-per-batch limit splits them.
const gets = (n: number): BatchRequest[] => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, method: "GET", url: `/users/u${i}` }));
const eventGets = (n: number, mailbox = "me"): BatchRequest[] => Array.from({ length: n }, (_, i) => ({ id: `${mailbox}-e${i}`, method: "GET", url: `/${mailbox === "me" ? "me" : `users/${mailbox}`}/events/e${i}` }));

describe("planBatchChunks", () => {
  it("keeps a dependsOn chain in one batch even when it has to start a new one", () => {
    const requests: BatchRequest[] = [
      ...gets(18),
      { id: "create", method: "POST", url: "/me/events", body: {} },
      { id: "read", method: "GET", url: "/me/events/x", dependsOn: ["create"] },
      { id: "patch", method: "PATCH", url: "/me/events/x", body: {}, dependsOn: ["read"] },
    ];
    const chunks = planBatchChunks(requests);
    expect(chunks.map((c) => c.length)).toEqual([18, 3]);
    expect(chunks[1]!.map((r) => r.id)).toEqual(["create", "read", "patch"]);
  });

  it("with a mailbox split, carries at most 4 Outlook items per mailbox in one batch, any number of others", () => {
    const mailboxOf = (url: string) => (url.includes("/events") ? url.split("/")[1] : undefined);
    const requests = [...eventGets(6), ...eventGets(3, "u1"), ...gets(5)];
    const chunks = planBatchChunks(requests, { mailboxOf, maxPerMailbox: 4 });
    const perMailbox = chunks.map((c) => c.reduce<Record<string, number>>((acc, r) => ({ ...acc, [mailboxOf(r.url) ?? "none"]: (acc[mailboxOf(r.url) ?? "none"] ?? 0) + 1 }), {}));
    expect(perMailbox).toEqual([{ me: 4, users: 3, none: 5 }, { me: 2 }]);
    expect(chunks.flat().map((r) => r.id).sort()).toEqual(requests.map((r) => r.id).sort());
  });

  it("keeps a dependsOn group with more than 4 Outlook items of one mailbox together, alone", () => {
    const chain: BatchRequest[] = Array.from({ length: 5 }, (_, i) => ({ id: `c${i}`, method: "GET", url: `/me/events/c${i}`, ...(i > 0 ? { dependsOn: [`c${i - 1}`] } : {}) }));
    const chunks = planBatchChunks([...eventGets(1), ...chain], { mailboxOf: () => "me", maxPerMailbox: 4 });
    expect(chunks.map((c) => c.map((r) => r.id))).toEqual([["me-e0"], ["c0", "c1", "c2", "c3", "c4"]]);
  });

  it("rejects a chain longer than 20, unknown dependencies, cycles and duplicate ids", () => {
    const chain: BatchRequest[] = Array.from({ length: 21 }, (_, i) => ({ id: `c${i}`, method: "GET", url: "/me", ...(i > 0 ? { dependsOn: [`c${i - 1}`] } : {}) }));
    expect(() => planBatchChunks(chain)).toThrow(/chain of 21 requests/);
    expect(() => planBatchChunks([{ id: "a", method: "GET", url: "/me", dependsOn: ["zz"] }])).toThrow(/unknown request "zz"/);
    expect(() =>
      planBatchChunks([
        { id: "a", method: "GET", url: "/me", dependsOn: ["b"] },
        { id: "b", method: "GET", url: "/me", dependsOn: ["a"] },
      ]),
    ).toThrow(/Circular/);
    expect(() => planBatchChunks([...gets(1), ...gets(1)])).toThrow(/Duplicate/);
  });
});

describe("batch", () => {
  it("sends 45 requests as 3 HTTP batches and answers in input order", async () => {
    const { server, graph } = await setup((r) => ({ status: 200, body: { responses: [...itemsOf(r)].reverse().map(ok) } }));
    const results = await graph.batch(gets(45));
    expect(server.requests.map((r) => [r.method, r.path, itemsOf(r).length])).toEqual([
      ["POST", "/$batch", 20],
      ["POST", "/$batch", 20],
      ["POST", "/$batch", 5],
    ]);
    expect(results.map((r) => r.id)).toEqual(gets(45).map((r) => r.id));
    expect(readBatchItemOrThrow(results[44]!, z.object({ id: z.string() }))).toEqual({ id: "r44" });
  });

  it("re-sends only the item throttled inside a 200 batch, after the longest Retry-After", async () => {
    const { server, graph, waits } = await setup((r, i) => ({
      status: 200,
      body: {
        responses: itemsOf(r).map((item) =>
          i === 0 && (item.id === "r1" || item.id === "r3")
            ? { id: item.id, status: 429, headers: { "Retry-After": item.id === "r1" ? "2" : "5" }, body: { error: { code: "TooManyRequests", message: "later" } } }
            : ok(item),
        ),
      },
    }));
    const results = await graph.batch(gets(5));
    expect(server.requests.map((r) => itemsOf(r).map((item) => item.id))).toEqual([
      ["r0", "r1", "r2", "r3", "r4"],
      ["r1", "r3"],
    ]);
    expect(waits).toEqual([5000]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  });

  it("re-sends dependents that failed with 424 because their dependency was throttled", async () => {
    const requests: BatchRequest[] = [
      { id: "a", method: "GET", url: "/me/events/a" },
      { id: "create", method: "POST", url: "/me/events", body: { subject: "x", transactionId: "t" } },
      { id: "after", method: "GET", url: "/me/events/y", dependsOn: ["create"] },
    ];
    const { server, graph } = await setup((r, i) => ({
      status: 200,
      body: {
        responses: itemsOf(r).map((item) =>
          i > 0 ? ok(item) : item.id === "create" ? { id: "create", status: 503, body: { error: { code: "ServiceUnavailable", message: "x" } } } : item.id === "after" ? { id: "after", status: 424 } : ok(item),
        ),
      },
    }));
    await graph.batch(requests);
    const second = itemsOf(server.requests[1]!);
    expect(second.map((item) => item.id)).toEqual(["create", "after"]);
    expect(second[1]!.dependsOn).toEqual(["create"]);
    expect(second[0]!.headers?.["Content-Type"]).toBe("application/json");
  });

  it("drops dependsOn on re-send when the dependency already succeeded", async () => {
    const requests: BatchRequest[] = [
      { id: "create", method: "POST", url: "/me/events", body: {} },
      { id: "after", method: "GET", url: "/me/events/y", dependsOn: ["create"] },
    ];
    const { server, graph } = await setup((r, i) => ({
      status: 200,
      body: { responses: itemsOf(r).map((item) => (i === 0 && item.id === "after" ? { id: "after", status: 429, headers: { "Retry-After": "1" } } : ok(item))) },
    }));
    await graph.batch(requests);
    expect(itemsOf(server.requests[1]!)).toEqual([{ id: "after", method: "GET", url: "/me/events/y" }]);
  });

  it("returns an item still throttled after the retries, and reading it throws with its Retry-After", async () => {
    const { server, graph } = await setup(
      (r) => ({ status: 200, body: { responses: itemsOf(r).map((item) => (item.id === "r0" ? { id: "r0", status: 429, headers: { "Retry-After": "3" }, body: { error: { code: "TooManyRequests", message: "Please retry again later." } } } : ok(item))) } }),
      2,
    );
    const [first, second] = await graph.batch(gets(2));
    expect(server.requests).toHaveLength(3);
    expect(second!.status).toBe(200);
    expect(() => readBatchItemOrThrow(first!, z.unknown())).toThrow(expect.objectContaining({ name: "GraphRequestError", status: 429, code: "TooManyRequests", retryAfterMs: 3000 }));
  });

  it("retries the batch request itself like any request", async () => {
    const { server, graph } = await setup((r, i) => (i === 0 ? graphError(503, "ServiceUnavailable", "busy") : { status: 200, body: { responses: itemsOf(r).map(ok) } }));
    const results = await graph.batch(gets(3));
    expect(server.requests).toHaveLength(2);
    expect(results.every((r) => r.status === 200)).toBe(true);
  });

  it("sends 10 Outlook reads of one mailbox as batches of at most 4, one after another", async () => {
    const { server, graph } = await setup((r) => ({ status: 200, body: { responses: itemsOf(r).map(ok) }, delayMs: 20 }), undefined, () => "all");
    const results = await graph.batch(eventGets(10));
    expect(server.requests.map((r) => itemsOf(r).length)).toEqual([4, 4, 2]);
    expect(server.maxInFlight("all")).toBe(1);
    expect(results.map((r) => r.id)).toEqual(eventGets(10).map((r) => r.id));
  });

  it("counts a batch's Outlook items against their mailbox: with a 3-item batch in flight, only one more request to that mailbox runs", async () => {
    // Outlook requests to the caller's mailbox in flight at the server: a batch counts its /me items.
    let load = 0;
    let maxLoad = 0;
    const server = await startScriptedGraph(async (r) => {
      const weight = r.path === "/$batch" ? itemsOf(r).filter((item) => item.url.startsWith("/me/")).length : 1;
      load += weight;
      maxLoad = Math.max(maxLoad, load);
      await new Promise((resolve) => setTimeout(resolve, 40));
      load -= weight;
      return { status: 200, body: r.path === "/$batch" ? { responses: itemsOf(r).map(ok) } : { ok: true } };
    });
    close = server.close;
    const graph = createGraphFactory({ baseUrl: server.baseUrl, tokens }).forUser(caller);
    const Ok = z.object({ ok: z.boolean() });
    const [batch] = await Promise.all([
      graph.batch([...eventGets(3), ...gets(2)]),
      graph.get("/me/events/x", Ok),
      graph.get("/me/calendarView?startDateTime=2025-01-01T00:00:00Z&endDateTime=2025-01-02T00:00:00Z", Ok),
      graph.batch(eventGets(4, "someone-else")),
    ]);
    expect(batch.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(server.requests).toHaveLength(4);
    expect(maxLoad).toBe(4);
  });

  it("fails clearly when Graph leaves an item unanswered", async () => {
    const { graph } = await setup((r) => ({ status: 200, body: { responses: itemsOf(r).slice(1).map(ok) } }));
    await expect(graph.batch(gets(2))).rejects.toMatchObject({ code: "graph_invalid_response", message: expect.stringContaining('"r0"') });
  });
});
