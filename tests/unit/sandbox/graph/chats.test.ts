import { beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_TEAMS_CATALOG_APP_ID } from "../../../../sandbox/app";
import { ALEX, LYNNE, MEGAN, PRIYA, createMeeting, newSandbox } from "../sandbox-test-kit";

let kit: Awaited<ReturnType<typeof newSandbox>>;
beforeAll(async () => {
  kit = await newSandbox();
});

const BIND = `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${SANDBOX_TEAMS_CATALOG_APP_ID}`;
const card = (version = "1.5") => JSON.stringify({ type: "AdaptiveCard", version, $schema: "http://adaptivecards.io/schemas/adaptive-card.json", body: [{ type: "TextBlock", text: "Your commitment" }], actions: [{ type: "Action.OpenUrl", title: "Open", url: "https://teams.microsoft.com/l/entity/x" }] });
const cardMessage = (content = card(), id = "a1") => ({
  body: { contentType: "html", content: `<attachment id="${id}"></attachment>` },
  attachments: [{ id, contentType: "application/vnd.microsoft.card.adaptive", content }],
});
const tab = { displayName: "Coaching Circles", "teamsApp@odata.bind": BIND, configuration: { entityId: "circle-1", contentUrl: "http://localhost:3000/sidepanel", websiteUrl: "http://localhost:3000/tab", removeUrl: null } };

describe("app catalog", () => {
  it("resolves our app's catalog id from its manifest id", async () => {
    const me = await kit.as(MEGAN);
    const res = await me.get(`/v1.0/appCatalogs/teamsApps?$filter=externalId eq '${kit.sandbox.teamsApp.externalId}'`);
    expect(res.body.value).toEqual([expect.objectContaining({ id: SANDBOX_TEAMS_CATALOG_APP_ID, externalId: kit.sandbox.teamsApp.externalId, distributionMethod: "organization" })]);
    expect((await me.get("/v1.0/appCatalogs/teamsApps?$filter=externalId eq 'nope'")).body.value).toEqual([]);
    expect((await me.get(`/v1.0/appCatalogs/teamsApps/${SANDBOX_TEAMS_CATALOG_APP_ID}`)).body.displayName).toBe("Coaching Circles");
  });
});

describe("online meetings and their chat", () => {
  it("finds the meeting by JoinWebUrl and exposes its chat thread", async () => {
    const created = createMeeting(kit.sandbox, MEGAN, [ALEX, PRIYA]);
    expect(created.joinWebUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\/19%3ameeting_[A-Za-z0-9]+%40thread\.v2\/0\?context=%7b%22Tid%22%3a%22/);
    const me = await kit.as(MEGAN);
    const res = await me.get(`/v1.0/me/onlineMeetings?$filter=${encodeURIComponent(`JoinWebUrl eq '${created.joinWebUrl}'`)}`);
    expect(res.status).toBe(200);
    expect(res.body.value).toHaveLength(1);
    expect(res.body.value[0]).toMatchObject({ id: created.id, joinWebUrl: created.joinWebUrl, chatInfo: { threadId: created.chatThreadId }, allowRecording: true });
    expect(created.chatThreadId).toMatch(/^19:meeting_.+@thread\.v2$/);
    // An attendee finds it too; an outsider does not.
    expect((await (await kit.as(ALEX)).get(`/v1.0/me/onlineMeetings?$filter=${encodeURIComponent(`JoinWebUrl eq '${created.joinWebUrl}'`)}`)).body.value).toHaveLength(1);
    expect((await (await kit.as(LYNNE)).get(`/v1.0/me/onlineMeetings?$filter=${encodeURIComponent(`JoinWebUrl eq '${created.joinWebUrl}'`)}`)).body.value).toHaveLength(0);
    expect((await me.get("/v1.0/me/onlineMeetings")).status).toBe(400);
  });

  it("lets only the organizer turn recording and transcription off", async () => {
    const m = createMeeting(kit.sandbox, MEGAN, [ALEX]);
    const alex = await kit.as(ALEX);
    expect((await alex.patch(`/v1.0/me/onlineMeetings/${m.id}`, { allowRecording: false })).status).toBe(403);
    const me = await kit.as(MEGAN);
    const res = await me.patch(`/v1.0/me/onlineMeetings/${m.id}`, { allowRecording: false, allowTranscription: false, recordAutomatically: false });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ allowRecording: false, allowTranscription: false, recordAutomatically: false });
    expect((await me.patch(`/v1.0/me/onlineMeetings/${m.id}`, { allowRecordng: false })).status).toBe(400);
  });

  it("serves attendance reports recorded through the control endpoint", async () => {
    const m = createMeeting(kit.sandbox, MEGAN, [ALEX, PRIYA]);
    const ids = [MEGAN, ALEX].map((u) => kit.sandbox.ctx.directory.find(u)!.id);
    const posted = await kit.http.post(`/sandbox/meetings/${m.id}/attendance`).send({ start: "2025-03-03T10:00:00Z", end: "2025-03-03T11:00:00Z", attendees: [{ userId: ids[0], durationSeconds: 3600 }, { userId: ids[1], durationSeconds: 1800 }] });
    expect(posted.status).toBe(201);
    const me = await kit.as(MEGAN);
    const list = await me.get(`/v1.0/me/onlineMeetings/${m.id}/attendanceReports`);
    expect(list.body.value).toEqual([expect.objectContaining({ id: posted.body.id, totalParticipantCount: 2 })]);
    expect(list.body.value[0].attendanceRecords).toBeUndefined();
    const one = await me.get(`/v1.0/me/onlineMeetings/${m.id}/attendanceReports/${posted.body.id}?$expand=attendanceRecords`);
    expect(one.body.attendanceRecords.map((r: { emailAddress: string; totalAttendanceInSeconds: number }) => [r.emailAddress, r.totalAttendanceInSeconds])).toEqual([
      [MEGAN, 3600],
      [ALEX, 1800],
    ]);
  });

  it("creates the meeting chat with organizer and attendees as members", async () => {
    const m = createMeeting(kit.sandbox, MEGAN, [ALEX, PRIYA]);
    const me = await kit.as(MEGAN);
    const chat = await me.get(`/v1.0/chats/${encodeURIComponent(m.chatThreadId)}`);
    expect(chat.body).toMatchObject({ id: m.chatThreadId, chatType: "meeting", onlineMeetingInfo: { joinWebUrl: m.joinWebUrl } });
    const members = await me.get(`/v1.0/chats/${encodeURIComponent(m.chatThreadId)}/members`);
    expect(members.body.value.map((x: { email: string }) => x.email)).toEqual([MEGAN, ALEX, PRIYA]);
    expect((await (await kit.as(LYNNE)).get(`/v1.0/chats/${encodeURIComponent(m.chatThreadId)}`)).status).toBe(403);
  });
});

describe("apps, tabs and cards in the meeting chat", () => {
  it("installs the app once, then adds the tab", async () => {
    const m = createMeeting(kit.sandbox, MEGAN, [ALEX]);
    const chat = `/v1.0/chats/${encodeURIComponent(m.chatThreadId)}`;
    const me = await kit.as(MEGAN);
    const early = await me.post(`${chat}/tabs`, tab);
    expect(early.status).toBe(404);
    expect(early.body.error.message).toContain("not installed");

    const install = await me.post(`${chat}/installedApps`, { "teamsApp@odata.bind": BIND });
    expect(install.status).toBe(201);
    expect((await me.post(`${chat}/installedApps`, { "teamsApp@odata.bind": BIND })).status).toBe(409);
    expect((await me.post(`${chat}/installedApps`, { "teamsApp@odata.bind": "https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/unknown" })).status).toBe(404);
    const installed = await me.get(`${chat}/installedApps?$expand=teamsApp&$filter=teamsApp/externalId eq '${kit.sandbox.teamsApp.externalId}'`);
    expect(installed.body.value).toEqual([expect.objectContaining({ teamsApp: expect.objectContaining({ id: SANDBOX_TEAMS_CATALOG_APP_ID }) })]);

    const added = await me.post(`${chat}/tabs`, tab);
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ displayName: "Coaching Circles", configuration: tab.configuration });
    expect((await me.get(`${chat}/tabs?$expand=teamsApp`)).body.value[0].teamsApp.id).toBe(SANDBOX_TEAMS_CATALOG_APP_ID);
    expect((await me.post(`${chat}/tabs`, { ...tab, configuration: { ...tab.configuration, contentUri: "x" } })).status).toBe(400);
  });

  it("posts an Adaptive Card as a member and records the sender", async () => {
    const m = createMeeting(kit.sandbox, MEGAN, [ALEX]);
    const chat = `/v1.0/chats/${encodeURIComponent(m.chatThreadId)}`;
    const alex = await kit.as(ALEX);
    const res = await alex.post(`${chat}/messages`, cardMessage());
    expect(res.status).toBe(201);
    expect(res.body.from.user).toMatchObject({ id: kit.sandbox.ctx.directory.find(ALEX)!.id, displayName: "Alex Wilber" });
    const list = await alex.get(`${chat}/messages`);
    expect(list.body.value).toHaveLength(1);
    expect(JSON.parse(list.body.value[0].attachments[0].content).type).toBe("AdaptiveCard");
  });

  it("rejects cards Teams cannot render and attachments the body does not reference", async () => {
    const m = createMeeting(kit.sandbox, MEGAN, [ALEX]);
    const chat = `/v1.0/chats/${encodeURIComponent(m.chatThreadId)}`;
    const me = await kit.as(MEGAN);
    const tooNew = await me.post(`${chat}/messages`, cardMessage(card("1.6")));
    expect(tooNew.status).toBe(400);
    expect(tooNew.body.error.message).toContain("1.5");
    expect((await me.post(`${chat}/messages`, cardMessage("{not json"))).status).toBe(400);
    expect((await me.post(`${chat}/messages`, cardMessage(JSON.stringify({ type: "HeroCard", version: "1.0" })))).status).toBe(400);
    const unreferenced = await me.post(`${chat}/messages`, { body: { contentType: "html", content: "Hello" }, attachments: cardMessage().attachments });
    expect(unreferenced.status).toBe(400);
    expect(unreferenced.body.error.message).toContain("<attachment id=\"a1\"></attachment>");
    const dangling = await me.post(`${chat}/messages`, { body: { contentType: "html", content: '<attachment id="zz"></attachment>' } });
    expect(dangling.status).toBe(400);
    expect((await me.get(`${chat}/messages`)).body.value).toHaveLength(0);
  });

  it("forbids non-members and app-only tokens from posting", async () => {
    const m = createMeeting(kit.sandbox, MEGAN, [ALEX]);
    const chat = `/v1.0/chats/${encodeURIComponent(m.chatThreadId)}`;
    const outsider = await (await kit.as(LYNNE)).post(`${chat}/messages`, cardMessage());
    expect(outsider.status).toBe(403);
    const app = await (await kit.asApp()).post(`${chat}/messages`, cardMessage());
    expect(app.status).toBe(401);
    expect(app.body.error.message).toContain("application-only context");
  });
});
