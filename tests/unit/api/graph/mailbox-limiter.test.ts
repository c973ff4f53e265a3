import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createGraphFactory } from "../../../../api/graph";
import { MailboxLimiter } from "../../../../api/graph/mailbox-limiter";
import { caller, startScriptedGraph, tokens } from "./graph-test-server";

const Ok = z.object({ ok: z.boolean() });
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe("per-mailbox concurrency", () => {
  it("never has more than 4 requests in flight to one mailbox, and finishes all of them", async () => {
    const server = await startScriptedGraph(() => ({ status: 200, body: { ok: true }, delayMs: 40 }));
    close = server.close;
    const graph = createGraphFactory({ baseUrl: server.baseUrl, tokens }).forUser(caller);
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => graph.get(`/me/events/e${i}`, Ok)));
    expect(results).toHaveLength(5);
    expect(server.maxInFlight("me/events")).toBe(4);
  });

  it("counts /me and /users/{caller id} as the same mailbox", async () => {
    const server = await startScriptedGraph(
      () => ({ status: 200, body: { ok: true }, delayMs: 40 }),
      () => "all",
    );
    close = server.close;
    const graph = createGraphFactory({ baseUrl: server.baseUrl, tokens }).forUser(caller);
    await Promise.all([
      ...Array.from({ length: 3 }, (_, i) => graph.get(`/me/events/e${i}`, Ok)),
      ...Array.from({ length: 3 }, (_, i) => graph.get(`/users/${caller.userId}/events/e${i}`, Ok)),
    ]);
    expect(server.maxInFlight("all")).toBe(4);
  });

  it("does not limit different mailboxes together", async () => {
    const server = await startScriptedGraph(
      () => ({ status: 200, body: { ok: true }, delayMs: 60 }),
      () => "all",
    );
    close = server.close;
    const app = createGraphFactory({ baseUrl: server.baseUrl, tokens }).forApp(caller.tenantId);
    await Promise.all(["u1", "u2", "u3"].flatMap((u) => Array.from({ length: 4 }, (_, i) => app.get(`/users/${u}/events/e${i}`, Ok))));
    expect(server.maxInFlight("all")).toBe(12);
  });

  it("honours a configured limit across clients of one factory", async () => {
    const server = await startScriptedGraph(() => ({ status: 200, body: { ok: true }, delayMs: 30 }));
    close = server.close;
    const factory = createGraphFactory({ baseUrl: server.baseUrl, tokens, maxConcurrentPerMailbox: 2 });
    await Promise.all(Array.from({ length: 6 }, (_, i) => factory.forUser(caller).get(`/me/events/e${i}`, Ok)));
    expect(server.maxInFlight("me/events")).toBe(2);
  });
});

describe("MailboxLimiter", () => {
  it("starts queued tasks in arrival order", async () => {
    const limiter = new MailboxLimiter(1);
    const order: number[] = [];
    let release!: () => void;
    const first = limiter.run("m", () => new Promise<void>((r) => (release = r)));
    const queued = [1, 2, 3].map((n) => limiter.run("m", async () => void order.push(n)));
    await new Promise((r) => setTimeout(r, 0));
    expect(limiter.inFlight("m")).toBe(1);
    expect(order).toEqual([]);
    release();
    await Promise.all([first, ...queued]);
    expect(order).toEqual([1, 2, 3]);
    expect(limiter.inFlight("m")).toBe(0);
  });

  it("frees the slot when a task fails", async () => {
    const limiter = new MailboxLimiter(1);
    await expect(limiter.run("m", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(limiter.run("m", async () => "next")).resolves.toBe("next");
  });
});
