import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { CallerIdentity, GraphTokenProvider } from "../../../api/auth/identity";
import { createGraphFactory, getSchedules, type UserGraph } from "../../../api/graph";
import { SANDBOX_TENANT_ID } from "../../../sandbox/seed/people";
import { startSandbox } from "../../../sandbox/server";

/** Our Graph layer against the sandbox's Graph stand-in: the same requests the API makes in sandbox mode. */
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let graph: UserGraph;
let caller: CallerIdentity;

const TokenSchema = z.object({ access_token: z.string() });
const UsersSchema = z.object({ value: z.array(z.object({ id: z.string(), userPrincipalName: z.string(), displayName: z.string() })) });

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, appUrl: "http://localhost:0" });
  const users = UsersSchema.parse(await (await fetch(`${sandbox.url}/identity/users`)).json()).value;
  const first = users[0]!;
  caller = { tenantId: SANDBOX_TENANT_ID, userId: first.id, userPrincipalName: first.userPrincipalName, displayName: first.displayName, assertion: "unused" };
  const tokens: GraphTokenProvider = {
    async userToken(c) {
      const res = await fetch(`${sandbox.url}/identity/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ upn: c.userPrincipalName, audience: "https://graph.microsoft.com" }),
      });
      return TokenSchema.parse(await res.json()).access_token;
    },
    async appToken() {
      const res = await fetch(`${sandbox.url}/identity/app-token`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      return TokenSchema.parse(await res.json()).access_token;
    },
  };
  graph = createGraphFactory({ baseUrl: `${sandbox.url}/v1.0`, tokens }).forUser(caller);
});

afterAll(async () => {
  await sandbox?.close();
});

describe("Graph layer against the sandbox", () => {
  it("reads the caller's profile", async () => {
    const me = await graph.getMe();
    expect(me).toMatchObject({ id: caller.userId, userPrincipalName: caller.userPrincipalName });
  });

  it("reads mailbox settings with IANA zones", async () => {
    const settings = await graph.getMailboxSettings();
    expect(settings.timeZone).toMatch(/\//);
    expect(() => new Intl.DateTimeFormat("en", { timeZone: settings.timeZone })).not.toThrow();
  });

  it("gets free/busy for several people over 90 days through $batch", async () => {
    const start = Date.now() - 7 * 86_400_000;
    const users = UsersSchema.parse(await (await fetch(`${sandbox.url}/identity/users`)).json()).value.slice(0, 25).map((u) => u.userPrincipalName);
    expect(users.length).toBeGreaterThan(20);
    const schedules = await getSchedules(graph, { schedules: users, start, end: start + 90 * 86_400_000 });
    expect(schedules).toHaveLength(users.length);
    for (const s of schedules) {
      expect(s.error).toBeUndefined();
      expect(s.workingHours?.timeZone).toMatch(/\//);
      for (const b of s.busy) expect(b.end).toBeGreaterThan(b.start);
    }
    // Seeded calendars are busy somewhere in a 90-day horizon around today.
    expect(schedules.some((s) => s.busy.length > 0)).toBe(true);
  });

  it("pages through a calendar view by following @odata.nextLink", async () => {
    // Seeded calendars are generated around today.
    const from = new Date(Date.now() - 14 * 86_400_000).toISOString();
    const to = new Date(Date.now() + 28 * 86_400_000).toISOString();
    const view = `/me/calendarView?startDateTime=${from}&endDateTime=${to}`;
    const Event = z.object({ id: z.string() });
    const paged = await graph.getAllPages(`${view}&$top=3`, Event);
    const whole = await graph.getAllPages(`${view}&$top=1000`, Event);
    expect(whole.length).toBeGreaterThan(3);
    expect(paged.map((e) => e.id)).toEqual(whole.map((e) => e.id));
  });
});
