import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox } from "../../../sandbox/server";

/**
 * The booking flow the product runs, end to end over HTTP against the whole sandbox (calendar
 * module included): create an online series, find its meeting and chat, put our app and tab into
 * the chat, post a card; change notifications arrive on the way.
 */
type Started = Awaited<ReturnType<typeof startSandbox>>;
let s: Started;
let hook: Server;
let hookUrl = "";
const notifications: unknown[] = [];

const MEGAN = "megan.bowen@contoso.example";
const ALEX = "alex.wilber@contoso.example";
const PRIYA = "priya.raman@contoso.example";

beforeAll(async () => {
  s = await startSandbox({ port: 0, appUrl: "http://localhost:3000" });
  hook = createServer((req, res) => {
    const token = new URL(req.url ?? "/", "http://x").searchParams.get("validationToken");
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (token !== null) return res.writeHead(200, { "content-type": "text/plain" }).end(token);
      notifications.push(JSON.parse(body));
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, "127.0.0.1", () => r()));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/notify`;
});

afterAll(async () => {
  await s?.close();
  hook?.closeAllConnections();
  await new Promise((r) => hook?.close(r));
});

async function graphToken(upn: string): Promise<string> {
  const res = await fetch(`${s.url}/identity/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ upn, audience: "https://graph.microsoft.com" }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function graph<T = Record<string, unknown>>(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${s.url}/v1.0${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

describe("sandbox: booking a circle into a Teams meeting chat", () => {
  it("creates an online series, resolves its chat, installs the app and tab, and posts a card", async () => {
    const megan = await graphToken(MEGAN);
    const alex = await graphToken(ALEX);

    const sub = await graph(megan, "POST", "/subscriptions", {
      changeType: "created,updated,deleted",
      notificationUrl: hookUrl,
      resource: "/me/events",
      expirationDateTime: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      clientState: "circle-secret",
    });
    expect(sub.status).toBe(201);

    const created = await graph<{ id: string; onlineMeeting: { joinUrl: string } | null }>(megan, "POST", "/me/events", {
      subject: "Leads circle",
      body: { contentType: "html", content: "<p>Peer coaching</p>" },
      start: { dateTime: "2030-03-04T10:00:00", timeZone: "GMT Standard Time" },
      end: { dateTime: "2030-03-04T11:00:00", timeZone: "GMT Standard Time" },
      recurrence: {
        pattern: { type: "weekly", interval: 2, daysOfWeek: ["monday"], firstDayOfWeek: "monday" },
        range: { type: "numbered", startDate: "2030-03-04", numberOfOccurrences: 6 },
      },
      attendees: [ALEX, PRIYA].map((address) => ({ emailAddress: { address }, type: "required" })),
      isOnlineMeeting: true,
      onlineMeetingProvider: "teamsForBusiness",
      transactionId: "b7f1c1e2-0000-4000-8000-00000000f10w",
    });
    expect(created.status).toBe(201);
    const joinUrl = created.body.onlineMeeting?.joinUrl;
    expect(joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);

    const meetings = await graph<{ value: Array<{ id: string; chatInfo: { threadId: string } }> }>(megan, "GET", `/me/onlineMeetings?$filter=${encodeURIComponent(`JoinWebUrl eq '${joinUrl}'`)}`);
    expect(meetings.body.value).toHaveLength(1);
    const chatId = encodeURIComponent(meetings.body.value[0]!.chatInfo.threadId);
    const members = await graph<{ value: Array<{ email: string }> }>(megan, "GET", `/chats/${chatId}/members`);
    expect(members.body.value.map((m) => m.email).sort()).toEqual([ALEX, MEGAN, PRIYA].sort());

    const catalog = await graph<{ value: Array<{ id: string }> }>(megan, "GET", `/appCatalogs/teamsApps?$filter=externalId eq '${s.sandbox.teamsApp.externalId}'`);
    const appBind = `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${catalog.body.value[0]!.id}`;
    expect((await graph(megan, "POST", `/chats/${chatId}/installedApps`, { "teamsApp@odata.bind": appBind })).status).toBe(201);
    const tab = await graph(megan, "POST", `/chats/${chatId}/tabs`, {
      displayName: "Coaching Circles",
      "teamsApp@odata.bind": appBind,
      configuration: { entityId: "circle-leads", contentUrl: "http://localhost:3000/sidepanel", websiteUrl: "http://localhost:3000/tab", removeUrl: null },
    });
    expect(tab.status).toBe(201);

    const card = { type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text: "Welcome to the circle" }] };
    const posted = await graph(alex, "POST", `/chats/${chatId}/messages`, {
      body: { contentType: "html", content: '<attachment id="welcome"></attachment>' },
      attachments: [{ id: "welcome", contentType: "application/vnd.microsoft.card.adaptive", content: JSON.stringify(card) }],
    });
    expect(posted.status).toBe(201);

    await s.sandbox.notifications.flush();
    expect(notifications).toContainEqual({
      value: [expect.objectContaining({ subscriptionId: (sub.body as { id: string }).id, changeType: "created", clientState: "circle-secret" })],
    });
  });

  it("reads free/busy for several people through $batch", async () => {
    const megan = await graphToken(MEGAN);
    const window = { startTime: { dateTime: "2030-03-04T00:00:00", timeZone: "UTC" }, endTime: { dateTime: "2030-03-08T00:00:00", timeZone: "UTC" }, availabilityViewInterval: 30 };
    const res = await graph<{ responses: Array<{ id: string; status: number; body: { value: Array<{ scheduleId: string; availabilityView: string }> } }> }>(megan, "POST", "/$batch", {
      requests: [
        { id: "a", method: "POST", url: "/me/calendar/getSchedule", headers: { "Content-Type": "application/json" }, body: { schedules: [ALEX, PRIYA], ...window } },
        { id: "b", method: "GET", url: "/me/mailboxSettings" },
      ],
    });
    expect(res.status).toBe(200);
    const a = res.body.responses.find((r) => r.id === "a")!;
    expect(a.status).toBe(200);
    expect(a.body.value.map((v) => v.scheduleId)).toEqual([ALEX, PRIYA]);
    expect(a.body.value[0]!.availabilityView.length).toBeGreaterThan(0);
  });

  it("serves the Teams host page at / and /host", async () => {
    for (const path of ["/", "/host"]) {
      const res = await fetch(`${s.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/html");
    }
  });
});
