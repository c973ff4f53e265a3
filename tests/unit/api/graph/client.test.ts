import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createGraphFactory } from "../../../../api/graph";
import { caller, graphError, recordingSleep, startScriptedGraph, tokens, type Script } from "./graph-test-server";

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function setup(script: Script, tokenProvider = tokens) {
  const server = await startScriptedGraph(script);
  close = server.close;
  const factory = createGraphFactory({ baseUrl: server.baseUrl, tokens: tokenProvider, retry: { sleep: recordingSleep().sleep } });
  return { server, factory, graph: factory.forUser(caller) };
}

const Event = z.object({ id: z.string() });

describe("auth", () => {
  it("sends the caller's delegated token for user calls and the tenant's app token for app calls", async () => {
    const { server, factory, graph } = await setup(() => ({ status: 200, body: { id: "e1" } }));
    await graph.get("/me/events/e1", Event);
    await factory.forApp(caller.tenantId).get("/users/u2/events/e1", Event);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([`Bearer user-token-for-${caller.userId}`, `Bearer app-token-for-${caller.tenantId}`]);
  });

  it("lets the token provider's own error (e.g. consent_required) through unchanged", async () => {
    class ConsentRequired extends Error {
      code = "consent_required";
    }
    const refusing = { userToken: async () => Promise.reject(new ConsentRequired("consent needed")), appToken: tokens.appToken };
    const { server, graph } = await setup(() => ({ status: 200, body: { id: "e1" } }), refusing);
    await expect(graph.get("/me/events/e1", Event)).rejects.toBeInstanceOf(ConsentRequired);
    expect(server.requests).toHaveLength(0);
  });
});

describe("requests and responses", () => {
  it("sends JSON bodies and query strings as given, including https:// inside a $filter", async () => {
    const { server, graph } = await setup(() => ({ status: 200, body: { value: [] } }));
    const joinUrl = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc";
    await graph.get(`/me/onlineMeetings?$filter=JoinWebUrl eq '${joinUrl}'`, z.object({ value: z.array(z.unknown()) }));
    await graph.patch("/me/events/e1", { showAs: "busy" }, undefined, { headers: { Prefer: 'outlook.timezone="UTC"' } });
    const [get, patch] = server.requests;
    const filter = new URL(`http://x${get!.path}`).searchParams.get("$filter");
    expect(get!.path.startsWith("/me/onlineMeetings?")).toBe(true);
    expect(filter).toBe("JoinWebUrl eq 'https://teams.microsoft.com/l/meetup-join/19:meeting_abc'");
    expect(patch).toMatchObject({ method: "PATCH", path: "/me/events/e1", body: { showAs: "busy" } });
    expect(patch!.headers.prefer).toBe('outlook.timezone="UTC"');
    expect(patch!.headers["content-type"]).toContain("application/json");
  });

  it("resolves delete on 204 No Content", async () => {
    const { server, graph } = await setup(() => ({ status: 204 }));
    await expect(graph.delete("/me/events/e1")).resolves.toBeUndefined();
    expect(server.requests[0]).toMatchObject({ method: "DELETE", path: "/me/events/e1" });
  });

  it("turns Graph's error body into GraphRequestError with code, message and request id", async () => {
    const { graph } = await setup(() => graphError(404, "ErrorItemNotFound", "The specified object was not found in the store."));
    await expect(graph.get("/me/events/nope", Event)).rejects.toMatchObject({
      status: 404,
      code: "ErrorItemNotFound",
      message: "The specified object was not found in the store.",
      requestId: "req-ErrorItemNotFound",
    });
  });

  it("reports a response that does not match the schema as graph_invalid_response naming the field", async () => {
    const { graph } = await setup(() => ({ status: 200, body: { subject: "no id" } }));
    const err = await graph.get("/me/events/e1", Event).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "GraphRequestError", status: 502, code: "graph_invalid_response" });
    expect((err as Error).message).toContain("GET /me/events/e1");
    expect((err as Error).message).toContain("id");
  });

  it("refuses absolute URLs as paths so tokens never go to another host", async () => {
    const { graph } = await setup(() => ({ status: 200, body: { id: "e1" } }));
    await expect(graph.get("https://evil.example/v1.0/me", Event)).rejects.toThrow(/relative/);
  });
});

describe("getMe and getMailboxSettings", () => {
  it("reads the profile with department selected and unset fields as null", async () => {
    const { server, graph } = await setup(() => ({
      status: 200,
      body: { id: caller.userId, displayName: "Ada", userPrincipalName: caller.userPrincipalName, mail: null, jobTitle: "Coach", "@odata.context": "x" },
    }));
    await expect(graph.getMe()).resolves.toEqual({ id: caller.userId, displayName: "Ada", userPrincipalName: caller.userPrincipalName, mail: null, jobTitle: "Coach", department: null });
    expect(decodeURIComponent(server.requests[0]!.path)).toMatch(/^\/me\?\$select=.*department/);
  });

  it("converts the mailbox's Windows time zones to IANA", async () => {
    const { server, graph } = await setup(() => ({
      status: 200,
      body: {
        timeZone: "W. Europe Standard Time",
        workingHours: { daysOfWeek: ["monday", "tuesday"], startTime: "08:30:00.0000000", endTime: "17:00:00.0000000", timeZone: { name: "Pacific Standard Time" } },
      },
    }));
    await expect(graph.getMailboxSettings()).resolves.toEqual({
      timeZone: "Europe/Berlin",
      workingHours: { daysOfWeek: ["monday", "tuesday"], startTime: "08:30", endTime: "17:00", timeZone: "America/Los_Angeles" },
    });
    await graph.getMailboxSettings("bob@contoso.example");
    expect(server.requests.map((r) => r.path)).toEqual(["/me/mailboxSettings", "/users/bob%40contoso.example/mailboxSettings"]);
  });

  it("passes IANA zones Graph sometimes returns straight through", async () => {
    const { graph } = await setup(() => ({ status: 200, body: { timeZone: "Asia/Tokyo", workingHours: null } }));
    await expect(graph.getMailboxSettings()).resolves.toEqual({ timeZone: "Asia/Tokyo", workingHours: null });
  });

  it("fails clearly when mailboxSettings lacks the time zone", async () => {
    const { graph } = await setup(() => ({ status: 200, body: { workingHours: null } }));
    const err = await graph.getMailboxSettings().catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "GraphRequestError", code: "graph_invalid_response" });
    expect((err as Error).message).toMatch(/GET \/me\/mailboxSettings: timeZone/);
  });

  it("fails clearly when the mailbox time zone is unknown", async () => {
    const { graph } = await setup(() => ({ status: 200, body: { timeZone: "Mars Standard Time" } }));
    await expect(graph.getMailboxSettings()).rejects.toMatchObject({ code: "graph_invalid_response", message: expect.stringContaining("Mars Standard Time") });
  });

  it("reads another user's settings app-only", async () => {
    const { server, factory } = await setup(() => ({ status: 200, body: { timeZone: "UTC" } }));
    await expect(factory.forApp(caller.tenantId).getMailboxSettings("u2")).resolves.toEqual({ timeZone: "Etc/UTC", workingHours: null });
    expect(server.requests[0]!.path).toBe("/users/u2/mailboxSettings");
  });
});

describe("getAllPages", () => {
  it("follows @odata.nextLink across three pages", async () => {
    const { server, graph } = await setup((r) => {
      const page = Number(new URL(`http://x${r.path}`).searchParams.get("$skiptoken") ?? "0");
      const next = page < 2 ? `${server.baseUrl}/me/events?$top=2&$skiptoken=${page + 1}` : undefined;
      return { status: 200, body: { value: [{ id: `e${page}a` }, { id: `e${page}b` }], ...(next ? { "@odata.nextLink": next } : {}) } };
    });
    const events = await graph.getAllPages("/me/events?$top=2", Event);
    expect(events.map((e) => e.id)).toEqual(["e0a", "e0b", "e1a", "e1b", "e2a", "e2b"]);
    expect(server.requests).toHaveLength(3);
    expect(server.requests[2]!.path).toContain("skiptoken=2");
  });

  it("stops at the page cap instead of looping forever", async () => {
    const { server, graph } = await setup((_r, i) => ({ status: 200, body: { value: [{ id: `e${i}` }], "@odata.nextLink": `${server.baseUrl}/me/events?page=${i + 1}` } }));
    await expect(graph.getAllPages("/me/events", Event, { maxPages: 5 })).rejects.toMatchObject({ code: "graph_paging_limit" });
    expect(server.requests).toHaveLength(5);
  });

  it("refuses a nextLink to another host", async () => {
    const { graph } = await setup(() => ({ status: 200, body: { value: [], "@odata.nextLink": "https://evil.example/v1.0/me/events?page=2" } }));
    await expect(graph.getAllPages("/me/events", Event)).rejects.toMatchObject({ code: "graph_invalid_response" });
  });
});
