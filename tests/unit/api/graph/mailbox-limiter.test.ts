import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createGraphFactory } from "../../../../api/graph";
import { isOutlookRequest, MailboxLimiter, outlookSlots } from "../../../../api/graph/mailbox-limiter";
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

  it("gives a batch all its slots at once; smaller requests fill free slots meanwhile, but only 8 times, so the batch does not starve", async () => {
    const limiter = new MailboxLimiter(2);
    const started: string[] = [];
    const running: Array<() => void> = [];
    const hold = (name: string) => () => new Promise<void>((r) => void (started.push(name), running.push(r)));
    const tick = () => new Promise((r) => setTimeout(r, 0));
    const tasks = [limiter.run("m", hold("a")), limiter.run(new Map([["m", 2]]), hold("batch"))];
    for (let i = 1; i <= 10; i++) tasks.push(limiter.run("m", hold(`s${i}`)));
    await tick();
    // One slot is free but the batch needs two: s1 takes it instead of leaving it idle.
    expect(started).toEqual(["a", "s1"]);
    while (running.length > 0) {
      expect(limiter.inFlight("m")).toBeLessThanOrEqual(2);
      running.shift()!();
      await tick();
    }
    await Promise.all(tasks);
    expect(started).toEqual(["a", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "batch", "s9", "s10"]);
    expect(limiter.inFlight("m")).toBe(0);
  });

  it("holds slots of every mailbox a batch addresses, caps a mailbox at the limit, and runs a batch without Outlook items at once", async () => {
    const limiter = new MailboxLimiter(4);
    let seen: number[] = [];
    await limiter.run(new Map([["m1", 2], ["m2", 9]]), async () => void (seen = [limiter.inFlight("m1"), limiter.inFlight("m2")]));
    expect(seen).toEqual([2, 4]);
    let ran = false;
    await limiter.run(new Map(), async () => void (ran = true));
    expect(ran).toBe(true);
    expect([limiter.inFlight("m1"), limiter.inFlight("m2")]).toEqual([0, 0]);
  });

  it("frees the slot when a task fails", async () => {
    const limiter = new MailboxLimiter(1);
    await expect(limiter.run("m", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(limiter.run("m", async () => "next")).resolves.toBe("next");
  });
});

describe("Outlook requests", () => {
  it("counts calendar, mail, settings and categories against the mailbox; not the profile, meetings, chats or the directory", () => {
    for (const path of ["/me/events", "/me/calendarView?startDateTime=x", "/users/ada@contoso.example/calendar/getSchedule", "/me/mailboxSettings", "/me/outlook/masterCategories", "/users('abc')/events/1"]) {
      expect([path, isOutlookRequest(path)]).toEqual([path, true]);
    }
    for (const path of ["/me", "/me/onlineMeetings?$filter=x", "/chats/1/messages", "/users/ada@contoso.example", "/appCatalogs/teamsApps", "/$batch"]) {
      expect([path, isOutlookRequest(path)]).toEqual([path, false]);
    }
  });

  it("adds up a batch's Outlook items per mailbox", () => {
    const slots = outlookSlots(["/me/events", "me/outlook/masterCategories", "/chats/1/messages", "/users/bo/events"], (p) => (p.startsWith("/me") ? "ada" : "bo"));
    expect([...slots]).toEqual([
      ["ada", 2],
      ["bo", 1],
    ]);
  });
});
