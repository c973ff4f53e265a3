import { beforeAll, describe, expect, it } from "vitest";
import { ALEX, MEGAN, PRIYA, newSandbox } from "../sandbox-test-kit";

let kit: Awaited<ReturnType<typeof newSandbox>>;
beforeAll(async () => {
  kit = await newSandbox();
});

describe("master categories", () => {
  it("starts with Outlook's defaults, adds categories and refuses duplicates", async () => {
    const me = await kit.as(MEGAN);
    const initial = await me.get("/v1.0/me/outlook/masterCategories");
    expect(initial.body.value.map((c: { displayName: string }) => c.displayName)).toContain("Red category");
    const created = await me.post("/v1.0/me/outlook/masterCategories", { displayName: "Coaching circle", color: "preset9" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ displayName: "Coaching circle", color: "preset9", id: expect.any(String) });
    expect((await me.post("/v1.0/me/outlook/masterCategories", { displayName: "coaching CIRCLE", color: "preset1" })).status).toBe(409);
    expect((await me.post("/v1.0/me/outlook/masterCategories", { displayName: "Other", color: "preset25" })).status).toBe(400);
    expect((await me.post("/v1.0/me/outlook/masterCategories", { displayName: "Other", colour: "preset2" })).status).toBe(400);
    // Per mailbox: Alex does not see Megan's category.
    const alex = await kit.as(ALEX);
    expect((await alex.get("/v1.0/me/outlook/masterCategories")).body.value.map((c: { displayName: string }) => c.displayName)).not.toContain("Coaching circle");
  });
});

describe("To Do", () => {
  it("has a default Tasks list and keeps tasks with linked resources", async () => {
    const me = await kit.as(PRIYA);
    const lists = await me.get("/v1.0/me/todo/lists");
    const tasksList = lists.body.value.find((l: { wellknownListName: string }) => l.wellknownListName === "defaultList");
    expect(tasksList.displayName).toBe("Tasks");
    const base = `/v1.0/me/todo/lists/${tasksList.id}/tasks`;
    const created = await me.post(base, {
      title: "Ask for feedback in 1:1",
      dueDateTime: { dateTime: "2025-03-10T00:00:00.0000000", timeZone: "UTC" },
      linkedResources: [{ webUrl: "https://teams.microsoft.com/l/entity/x", applicationName: "Coaching Circles", displayName: "Circle" }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: "Ask for feedback in 1:1", status: "notStarted", linkedResources: [expect.objectContaining({ applicationName: "Coaching Circles" })] });
    const done = await me.patch(`${base}/${created.body.id}`, { status: "completed" });
    expect(done.body.status).toBe("completed");
    expect(done.body.completedDateTime).toBeDefined();
    expect((await me.get(`${base}?$filter=status ne 'completed'`)).body.value).toHaveLength(0);
    expect((await me.get(`${base}/${created.body.id}?$expand=linkedResources`)).body.linkedResources).toHaveLength(1);
    expect((await me.post(base, { title: "x", dueDate: "2025-01-01" })).status).toBe(400);
    expect((await me.delete(`${base}/${created.body.id}`)).status).toBe(204);
    expect((await me.get(`${base}/${created.body.id}`)).status).toBe(404);
  });

  it("creates extra lists", async () => {
    const me = await kit.as(ALEX);
    const created = await me.post("/v1.0/me/todo/lists", { displayName: "Coaching" });
    expect(created.body).toMatchObject({ displayName: "Coaching", wellknownListName: "none" });
    expect((await me.get("/v1.0/me/todo/lists")).body.value).toHaveLength(2);
  });
});

describe("activity feed", () => {
  const nudge = {
    topic: { source: "text", value: "Coaching circle", webUrl: "https://teams.microsoft.com/l/entity/app/tab" },
    activityType: "prepReminder",
    previewText: { content: "Your circle meets tomorrow" },
    templateParameters: [{ name: "circleName", value: "Leads" }],
  };

  it("records notifications sent by the app and lists them per recipient", async () => {
    const app = await kit.asApp();
    expect((await app.post(`/v1.0/users/${ALEX}/teamwork/sendActivityNotification`, nudge)).status).toBe(204);
    expect(kit.sandbox.activityNotifications.list(ALEX)).toEqual([expect.objectContaining({ activityType: "prepReminder", recipientId: kit.sandbox.ctx.directory.find(ALEX)!.id })]);
    const listed = await kit.http.get(`/sandbox/activity?userId=${ALEX}`);
    expect(listed.body.value).toHaveLength(1);
    expect((await kit.http.get(`/sandbox/activity?userId=${MEGAN}`)).body.value).toHaveLength(0);
  });

  it("validates the request like Graph", async () => {
    const me = await kit.as(MEGAN);
    expect((await me.post("/v1.0/me/teamwork/sendActivityNotification", { ...nudge, previewtext: {} })).status).toBe(400);
    expect((await me.post("/v1.0/me/teamwork/sendActivityNotification", { ...nudge, topic: { source: "text", value: "x" } })).status).toBe(400);
    expect((await me.post("/v1.0/me/teamwork/sendActivityNotification", { ...nudge, topic: { source: "entityUrl", value: "https://example.com/x" } })).status).toBe(400);
    expect((await me.post("/v1.0/me/teamwork/sendActivityNotification", nudge)).status).toBe(204);
  });

  it("accepts only the activity types the app manifest declares (and systemDefault)", async () => {
    const me = await kit.as(MEGAN);
    for (const activityType of ["prepReminder", "reflectionPrompt", "momentumFading", "protectedTimeConflict", "sessionDeclined"]) {
      expect((await me.post("/v1.0/me/teamwork/sendActivityNotification", { ...nudge, activityType })).status, activityType).toBe(204);
    }
    const undeclared = await me.post("/v1.0/me/teamwork/sendActivityNotification", { ...nudge, activityType: "sessionReminder" });
    expect(undeclared.status).toBe(400);
    expect(JSON.stringify(undeclared.body)).toContain("not declared in the app manifest");
    const system = { ...nudge, activityType: "systemDefault", templateParameters: [{ name: "systemDefaultText", value: "Hello" }] };
    expect((await me.post("/v1.0/me/teamwork/sendActivityNotification", system)).status).toBe(204);
  });
});
