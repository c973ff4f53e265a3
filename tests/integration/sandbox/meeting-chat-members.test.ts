import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox } from "../../../sandbox/server";

/**
 * A meeting chat's roster follows the invitation, as in Teams: people added to the series'
 * attendees join the chat (so a member who joins the circle later can open its tab there), people
 * removed leave it. Over HTTP against the whole sandbox.
 */
type Started = Awaited<ReturnType<typeof startSandbox>>;
let s: Started;

const MEGAN = "megan.bowen@contoso.example";
const ALEX = "alex.wilber@contoso.example";
const PRIYA = "priya.raman@contoso.example";
const LEE = "lee.gu@contoso.example";

beforeAll(async () => {
  s = await startSandbox({ port: 0, appUrl: "http://localhost:3000" });
});
afterAll(async () => {
  await s?.close();
});

const tokens = new Map<string, string>();
async function token(upn: string): Promise<string> {
  const cached = tokens.get(upn);
  if (cached) return cached;
  const t = await s.sandbox.identity.graphToken(upn);
  tokens.set(upn, t);
  return t;
}

async function graph<T = Record<string, unknown>>(upn: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${s.url}/v1.0${path}`, {
    method,
    headers: { authorization: `Bearer ${await token(upn)}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

const invite = (...upns: string[]) => upns.map((address) => ({ type: "required", emailAddress: { address } }));

/** Megan's online series with `attendees`, its meeting chat holding our app's tab. */
async function seriesWithTab(attendees: string[], isOnlineMeeting = true) {
  const created = await graph<{ id: string; onlineMeeting: { joinUrl: string } | null }>(MEGAN, "POST", "/me/events", {
    subject: "Coaching circle",
    start: { dateTime: "2030-05-06T10:00:00", timeZone: "GMT Standard Time" },
    end: { dateTime: "2030-05-06T11:00:00", timeZone: "GMT Standard Time" },
    recurrence: { pattern: { type: "weekly", interval: 2, daysOfWeek: ["monday"] }, range: { type: "numbered", startDate: "2030-05-06", numberOfOccurrences: 6 } },
    attendees: invite(...attendees),
    isOnlineMeeting,
    ...(isOnlineMeeting ? { onlineMeetingProvider: "teamsForBusiness" } : {}),
  });
  expect(created.status).toBe(201);
  if (!isOnlineMeeting) return { eventId: created.body.id, chatId: undefined };
  const joinUrl = created.body.onlineMeeting!.joinUrl;
  const meetings = await graph<{ value: Array<{ chatInfo: { threadId: string } }> }>(MEGAN, "GET", `/me/onlineMeetings?$filter=${encodeURIComponent(`JoinWebUrl eq '${joinUrl}'`)}`);
  const chatId = encodeURIComponent(meetings.body.value[0]!.chatInfo.threadId);
  const bind = `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${s.sandbox.teamsApp.catalogId}`;
  expect((await graph(MEGAN, "POST", `/chats/${chatId}/installedApps`, { "teamsApp@odata.bind": bind })).status).toBe(201);
  const tab = await graph(MEGAN, "POST", `/chats/${chatId}/tabs`, {
    displayName: "Coaching circle",
    "teamsApp@odata.bind": bind,
    configuration: { entityId: "circle-1", contentUrl: "http://localhost:3000/sidepanel", websiteUrl: "http://localhost:3000/tab", removeUrl: null },
  });
  expect(tab.status).toBe(201);
  return { eventId: created.body.id, chatId };
}

async function memberEmails(chatId: string): Promise<string[]> {
  const res = await graph<{ value: Array<{ email: string }> }>(MEGAN, "GET", `/chats/${chatId}/members`);
  expect(res.status).toBe(200);
  return res.body.value.map((m) => m.email).sort();
}

describe("sandbox: a meeting chat's members follow the series' attendees", () => {
  it("lets someone invited later into the chat, where the circle's tab already is", async () => {
    const { eventId, chatId } = await seriesWithTab([ALEX]);
    expect(await memberEmails(chatId!)).toEqual([ALEX, MEGAN].sort());
    expect((await graph(PRIYA, "GET", `/chats/${chatId}/tabs`)).status).toBe(403);

    const patched = await graph(MEGAN, "PATCH", `/me/events/${encodeURIComponent(eventId)}`, { attendees: invite(ALEX, PRIYA) });
    expect(patched.status).toBe(200);

    expect(await memberEmails(chatId!)).toEqual([ALEX, MEGAN, PRIYA].sort());
    const tabs = await graph<{ value: Array<{ displayName: string; configuration: { entityId: string } }> }>(PRIYA, "GET", `/chats/${chatId}/tabs`);
    expect(tabs.status).toBe(200);
    expect(tabs.body.value).toEqual([expect.objectContaining({ displayName: "Coaching circle", configuration: expect.objectContaining({ entityId: "circle-1" }) })]);
  });

  it("takes people removed from the invitation out of the chat, and keeps the organiser", async () => {
    const { eventId, chatId } = await seriesWithTab([ALEX, PRIYA]);
    expect((await graph(MEGAN, "PATCH", `/me/events/${encodeURIComponent(eventId)}`, { attendees: invite(PRIYA, LEE) })).status).toBe(200);

    expect(await memberEmails(chatId!)).toEqual([LEE, MEGAN, PRIYA].sort());
    expect((await graph(ALEX, "GET", `/chats/${chatId}/tabs`)).status).toBe(403);
    expect((await graph(LEE, "GET", `/chats/${chatId}/tabs`)).status).toBe(200);

    // Inviting nobody leaves the organiser alone in the chat.
    expect((await graph(MEGAN, "PATCH", `/me/events/${encodeURIComponent(eventId)}`, { attendees: [] })).status).toBe(200);
    expect(await memberEmails(chatId!)).toEqual([MEGAN]);
  });

  it("leaves the roster alone when other fields change, and only the organiser can change attendees", async () => {
    const { eventId, chatId } = await seriesWithTab([ALEX]);
    expect((await graph(MEGAN, "PATCH", `/me/events/${encodeURIComponent(eventId)}`, { subject: "Coaching pair" })).status).toBe(200);
    expect(await memberEmails(chatId!)).toEqual([ALEX, MEGAN].sort());

    const copies = await graph<{ value: Array<{ id: string }> }>(ALEX, "GET", `/me/events?$filter=${encodeURIComponent("subject eq 'Coaching pair'")}`);
    const alexCopy = copies.body.value[0]!.id;
    expect((await graph(ALEX, "PATCH", `/me/events/${encodeURIComponent(alexCopy)}`, { attendees: invite(ALEX, LEE) })).status).toBe(403);
    expect(await memberEmails(chatId!)).toEqual([ALEX, MEGAN].sort());
  });

  it("changes the attendees of a meeting without Teams without touching anyone's chat", async () => {
    const online = await seriesWithTab([ALEX]);
    const offline = await seriesWithTab([ALEX], false);
    expect((await graph(MEGAN, "PATCH", `/me/events/${encodeURIComponent(offline.eventId)}`, { attendees: invite(ALEX, PRIYA) })).status).toBe(200);
    expect(s.sandbox.meetings.list().filter((m) => m.eventId === offline.eventId)).toEqual([]);
    expect(await memberEmails(online.chatId!)).toEqual([ALEX, MEGAN].sort());
  });
});
