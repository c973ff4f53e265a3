import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Notifier } from "../../../../sandbox/graph/subscriptions/notifier";
import { ALEX, MEGAN, newSandbox } from "../sandbox-test-kit";

/** A tiny webhook receiver that answers validation like a well-behaved endpoint (unless told otherwise). */
interface Hook {
  url: string;
  received: Array<{ path: string; body: unknown }>;
  mode: "echo" | "wrong-token" | "json" | "500" | "slow";
  failNext: number;
  server: Server;
}

async function startHook(): Promise<Hook> {
  const hook: Hook = { url: "", received: [], mode: "echo", failNext: 0, server: undefined as unknown as Server };
  hook.server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    const token = url.searchParams.get("validationToken");
    let data = "";
    req.on("data", (c: Buffer) => (data += c.toString()));
    req.on("end", () => {
      if (token !== null) {
        if (hook.mode === "slow") return; // never answers
        if (hook.mode === "500") return res.writeHead(500).end();
        if (hook.mode === "json") return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token }));
        return res.writeHead(200, { "content-type": "text/plain" }).end(hook.mode === "wrong-token" ? "nope" : token);
      }
      if (hook.failNext > 0) {
        hook.failNext--;
        return res.writeHead(503).end();
      }
      hook.received.push({ path: url.pathname, body: JSON.parse(data) });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => hook.server.listen(0, "127.0.0.1", () => r()));
  hook.url = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}`;
  return hook;
}

const NOW = new Date("2025-03-01T09:00:00Z");
let kit: Awaited<ReturnType<typeof newSandbox>>;
let hook: Hook;
beforeAll(async () => {
  kit = await newSandbox({ now: () => NOW });
  hook = await startHook();
});
afterAll(async () => {
  hook.server.closeAllConnections();
  await new Promise((r) => hook.server.close(r));
});
afterEach(() => {
  hook.mode = "echo";
  hook.received.length = 0;
});

const inMinutes = (m: number) => new Date(NOW.getTime() + m * 60_000).toISOString();
const subscription = (over: object = {}) => ({
  changeType: "created,updated,deleted",
  notificationUrl: `${hook.url}/notify`,
  lifecycleNotificationUrl: `${hook.url}/lifecycle`,
  resource: `/users/${kit.sandbox.ctx.directory.find(ALEX)!.id}/events`,
  expirationDateTime: inMinutes(4000),
  clientState: "secret-123",
  ...over,
});

describe("change notification subscriptions", () => {
  it("validates the endpoint, then delivers event changes with clientState", async () => {
    const app = await kit.asApp();
    const res = await app.post("/v1.0/subscriptions", subscription());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.any(String), changeType: "created,updated,deleted", clientState: "secret-123", notificationUrl: `${hook.url}/notify` });

    const alexId = kit.sandbox.ctx.directory.find(ALEX)!.id;
    kit.sandbox.ctx.emitChange({ userId: alexId, resource: "events", id: "evt-1", changeType: "updated" });
    kit.sandbox.ctx.emitChange({ userId: kit.sandbox.ctx.directory.find(MEGAN)!.id, resource: "events", id: "evt-2", changeType: "updated" });
    await kit.sandbox.notifications.flush();
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]).toEqual({
      path: "/notify",
      body: {
        value: [
          {
            subscriptionId: res.body.id,
            subscriptionExpirationDateTime: res.body.expirationDateTime,
            changeType: "updated",
            resource: `Users/${alexId}/Events/evt-1`,
            resourceData: { "@odata.type": "#Microsoft.Graph.Event", "@odata.id": `Users/${alexId}/Events/evt-1`, "@odata.etag": expect.any(String), id: "evt-1" },
            clientState: "secret-123",
            tenantId: kit.sandbox.tenantId,
          },
        ],
      },
    });
  });

  it("retries a delivery the endpoint fails once", async () => {
    const app = await kit.asApp();
    await app.post("/v1.0/subscriptions", subscription({ resource: `/users/${MEGAN}/events` }));
    hook.failNext = 1;
    kit.sandbox.ctx.emitChange({ userId: kit.sandbox.ctx.directory.find(MEGAN)!.id, resource: "events", id: "evt-3", changeType: "created" });
    await kit.sandbox.notifications.flush();
    expect(hook.received).toHaveLength(1);
  });

  it("fails creation when the endpoint does not echo the token as text/plain with 200", async () => {
    const me = await kit.as(MEGAN);
    for (const mode of ["wrong-token", "json", "500"] as const) {
      hook.mode = mode;
      const res = await me.post("/v1.0/subscriptions", subscription({ resource: "/me/events" }));
      expect(res.status, mode).toBe(400);
      expect(res.body.error.message).toContain("Subscription validation request failed");
    }
  });

  it("enforces Graph's limits on expiry, clientState and resource", async () => {
    const me = await kit.as(MEGAN);
    const tooLong = await me.post("/v1.0/subscriptions", subscription({ resource: "/me/events", expirationDateTime: inMinutes(10_081) }));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toContain("10080 minutes");
    expect((await me.post("/v1.0/subscriptions", subscription({ resource: "/me/events", expirationDateTime: inMinutes(10_080) }))).status).toBe(201);
    expect((await me.post("/v1.0/subscriptions", subscription({ resource: "/me/events", expirationDateTime: inMinutes(-1) }))).status).toBe(400);
    expect((await me.post("/v1.0/subscriptions", subscription({ resource: "/me/events", clientState: "x".repeat(129) }))).status).toBe(400);
    expect((await me.post("/v1.0/subscriptions", subscription({ resource: "/me/mailFolders/inbox/messages" }))).status).toBe(400);
    expect((await me.post("/v1.0/subscriptions", subscription({ resource: "/me/events", notifyUrl: "x" }))).status).toBe(400);
    // Delegated tokens watch only the caller's own mailbox.
    expect((await me.post("/v1.0/subscriptions", subscription())).status).toBe(403);
  });

  it("renews with PATCH and deletes", async () => {
    const app = await kit.asApp();
    const created = await app.post("/v1.0/subscriptions", subscription());
    const renewed = await app.patch(`/v1.0/subscriptions/${created.body.id}`, { expirationDateTime: inMinutes(9000) });
    expect(renewed.status).toBe(200);
    expect(Date.parse(renewed.body.expirationDateTime)).toBe(Date.parse(inMinutes(9000)));
    expect((await app.patch(`/v1.0/subscriptions/${created.body.id}`, { expirationDateTime: inMinutes(20_000) })).status).toBe(400);
    expect((await app.get(`/v1.0/subscriptions/${created.body.id}`)).status).toBe(200);
    expect((await app.delete(`/v1.0/subscriptions/${created.body.id}`)).status).toBe(204);
    expect((await app.get(`/v1.0/subscriptions/${created.body.id}`)).status).toBe(404);
  });

  it("sends lifecycle notifications on request; subscriptionRemoved removes the subscription", async () => {
    const app = await kit.asApp();
    const created = await app.post("/v1.0/subscriptions", subscription());
    const re = await kit.http.post(`/sandbox/subscriptions/${created.body.id}/lifecycle`).send({ lifecycleEvent: "reauthorizationRequired" });
    expect(re.body).toMatchObject({ delivered: true });
    expect(hook.received.at(-1)).toMatchObject({ path: "/lifecycle", body: { value: [{ subscriptionId: created.body.id, lifecycleEvent: "reauthorizationRequired", clientState: "secret-123" }] } });
    await kit.http.post(`/sandbox/subscriptions/${created.body.id}/lifecycle`).send({ lifecycleEvent: "subscriptionRemoved" });
    expect((await app.get(`/v1.0/subscriptions/${created.body.id}`)).status).toBe(404);
    expect((await kit.http.post(`/sandbox/subscriptions/${created.body.id}/lifecycle`).send({ lifecycleEvent: "missed" })).status).toBe(404);
  });
});

describe("validation handshake timing", () => {
  it("reports a timeout when the endpoint does not answer within the limit", async () => {
    const signalled = (async () => {
      throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
    }) as unknown as typeof fetch;
    expect(await new Notifier(signalled).validateEndpoint("https://example.invalid/hook")).toEqual({ ok: false, reason: "Subscription validation request timed out." });
  });

  it("sends a Graph-like token with spaces that the endpoint must decode", async () => {
    let seen = "";
    const echo = (async (url: string) => {
      seen = new URL(url).searchParams.get("validationToken") ?? "";
      return new Response(seen, { status: 200, headers: { "content-type": "text/plain" } });
    }) as unknown as typeof fetch;
    expect(await new Notifier(echo).validateEndpoint("https://example.invalid/hook?tenant=1")).toEqual({ ok: true });
    expect(seen).toMatch(/^Validation: Testing client application reachability/);
  });
});
