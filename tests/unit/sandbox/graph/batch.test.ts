import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MEGAN, newSandbox } from "../sandbox-test-kit";

let kit: Awaited<ReturnType<typeof newSandbox>>;
beforeAll(async () => {
  kit = await newSandbox();
});
beforeEach(() => {
  kit.sandbox.faults.reset();
  kit.sandbox.stats.reset();
});

type Item = { id: string; status: number; headers: Record<string, string>; body?: { error?: { code: string }; value?: unknown[]; displayName?: string } };
const byId = (body: { responses: Item[] }) => Object.fromEntries(body.responses.map((r) => [r.id, r]));

describe("$batch", () => {
  it("runs up to 20 requests with the outer token and answers each", async () => {
    const me = await kit.as(MEGAN);
    const requests = Array.from({ length: 20 }, (_, i) => ({ id: String(i + 1), method: "GET", url: `/users?$top=1&$filter=startswith(displayName,'${"MAPDLINGJKIHPCEKSRTOK"[i]}')` }));
    const res = await me.post("/v1.0/$batch", { requests });
    expect(res.status).toBe(200);
    expect(res.body.responses).toHaveLength(20);
    expect(res.body.responses.every((r: Item) => r.status === 200 && Array.isArray(r.body?.value))).toBe(true);
    expect(res.body.responses[0].headers["content-type"]).toContain("application/json");
  });

  it("refuses 21 requests, duplicate ids, unknown dependencies and absolute URLs", async () => {
    const me = await kit.as(MEGAN);
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: "GET", url: "/me" }));
    const tooMany = await me.post("/v1.0/$batch", { requests: many });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain("20");
    expect((await me.post("/v1.0/$batch", { requests: [{ id: "1", method: "GET", url: "/me" }, { id: "1", method: "GET", url: "/me" }] })).status).toBe(400);
    expect((await me.post("/v1.0/$batch", { requests: [{ id: "1", method: "GET", url: "/me", dependsOn: ["9"] }] })).status).toBe(400);
    expect((await me.post("/v1.0/$batch", { requests: [{ id: "1", method: "GET", url: "https://graph.microsoft.com/v1.0/me" }] })).status).toBe(400);
    expect((await me.post("/v1.0/$batch", { requests: [{ id: "1", method: "POST", url: "/me/outlook/masterCategories", body: { displayName: "x" } }] })).status).toBe(400);
  });

  it("needs a valid token for the batch itself", async () => {
    const res = await kit.http.post("/v1.0/$batch").send({ requests: [{ id: "1", method: "GET", url: "/me" }] });
    expect(res.status).toBe(401);
  });

  it("honours dependsOn: runs in order and fails dependents of a failed request with 424", async () => {
    const me = await kit.as(MEGAN);
    const res = await me.post("/v1.0/$batch", {
      requests: [
        { id: "create", method: "POST", url: "/me/outlook/masterCategories", headers: { "Content-Type": "application/json" }, body: { displayName: "Circle", color: "preset4" } },
        { id: "list", method: "GET", url: "/me/outlook/masterCategories", dependsOn: ["create"] },
        { id: "missing", method: "GET", url: "/users/nobody@contoso.example" },
        { id: "after-missing", method: "GET", url: "/me", dependsOn: ["missing"] },
        { id: "chain", method: "GET", url: "/me", dependsOn: ["after-missing"] },
      ],
    });
    expect(res.status).toBe(200);
    const r = byId(res.body);
    expect(r.create!.status).toBe(201);
    expect((r.list!.body!.value as Array<{ displayName: string }>).map((c) => c.displayName)).toContain("Circle");
    expect(r.missing!.status).toBe(404);
    expect(r["after-missing"]!.status).toBe(424);
    expect(r["after-missing"]!.body!.error!.code).toBe("FailedDependency");
    expect(r.chain!.status).toBe(424);
  });

  it("returns an injected 429 inside the 200 batch response, with Retry-After", async () => {
    kit.sandbox.faults.add({ match: { path: "/mailboxSettings" }, status: 429, retryAfterSeconds: 7 });
    const me = await kit.as(MEGAN);
    const res = await me.post("/v1.0/$batch", { requests: [{ id: "a", method: "GET", url: "/me/mailboxSettings" }, { id: "b", method: "GET", url: "/me" }] });
    expect(res.status).toBe(200);
    const r = byId(res.body);
    expect(r.a!.status).toBe(429);
    expect(r.a!.headers["retry-after"]).toBe("7");
    expect(r.a!.body!.error!.code).toBe("TooManyRequests");
    expect(r.b!.status).toBe(200);
  });

  it("throttles items beyond 4 in flight for one mailbox when the mailbox is slow, like Outlook", async () => {
    kit.sandbox.faults.add({ match: { path: "/mailboxSettings" }, latencyMs: 400 });
    const me = await kit.as(MEGAN);
    const requests = Array.from({ length: 10 }, (_, i) => ({ id: String(i), method: "GET", url: "/me/mailboxSettings" }));
    const res = await me.post("/v1.0/$batch", { requests });
    const statuses = res.body.responses.map((r: Item) => r.status);
    expect(statuses.filter((x: number) => x === 200)).toHaveLength(4);
    expect(statuses.filter((x: number) => x === 429)).toHaveLength(6);
    expect(res.body.responses.find((r: Item) => r.status === 429).body.error.code).toBe("ApplicationThrottled");
  });

  it("counts a batch as one Graph request", async () => {
    const me = await kit.as(MEGAN);
    kit.sandbox.stats.reset();
    await me.post("/v1.0/$batch", { requests: [{ id: "1", method: "GET", url: "/me" }, { id: "2", method: "GET", url: "/me/manager" }, { id: "3", method: "GET", url: "/users" }] });
    await me.get("/v1.0/me");
    expect(kit.sandbox.stats.graphRequests()).toBe(2);
    expect(kit.sandbox.stats.snapshot().batchItems).toBe(3);
  });
});
