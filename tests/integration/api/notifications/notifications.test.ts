import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { SeedPerson } from "../../../../sandbox/seed/people";
import { forEachEngine } from "../../../fixtures/engines";
import { nextSlot, person, seedCircle } from "../booking/booking-stack";
import { ActivitySchema, SandboxSubscriptionsSchema, startNotificationsStack, type NotificationsStack } from "./notifications-stack";

const priya = person("priya.raman");
const megan = person("megan.bowen");
const alex = person("alex.wilber");

const BlocksSchema = z.object({ blocks: z.array(z.object({ kind: z.string(), start: z.string(), end: z.string() })) });
const CreatedEventSchema = z.object({ id: z.string() });

/** Each circle gets weeks of its own, so one test's meeting never lands on another test's blocks. */
let weeksAhead = 2;

async function bookCircle(stack: NotificationsStack, members: SeedPerson[]): Promise<string> {
  const circleId = await seedCircle(stack.db, priya, members, { sessionCount: 2 });
  weeksAhead += 3;
  const res = await stack.call(priya, "post", `/api/circles/${circleId}/booking`, { start: nextSlot(weeksAhead), timeZone: "Europe/London" });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await stack.runner.runDue();
  return circleId;
}

async function syncAndWatch(stack: NotificationsStack, who: SeedPerson): Promise<void> {
  const res = await stack.call(who, "post", "/api/protected-time/sync");
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function subscriptionOf(stack: NotificationsStack, who: SeedPerson) {
  const res = await stack.control("GET", "/subscriptions");
  return SandboxSubscriptionsSchema.parse(res.body).value.filter((s) => s.userId === who.id);
}

async function activityFor(stack: NotificationsStack, who: SeedPerson) {
  const res = await stack.control("GET", `/activity?userId=${encodeURIComponent(who.userPrincipalName)}`);
  expect(res.status).toBe(200);
  return ActivitySchema.parse(res.body).value;
}

async function overridesOf(stack: NotificationsStack, who: SeedPerson, circleId: string) {
  return stack.db.selectFrom("protected_time_overrides").selectAll().where("circle_id", "=", circleId).where("user_id", "=", who.id).execute();
}

/** A busy meeting the member accepts on top of their first prep block. */
async function meetingOnFirstPrep(stack: NotificationsStack, who: SeedPerson, circleId: string): Promise<{ eventId: string; prep: { start: string; end: string } }> {
  const view = BlocksSchema.parse((await stack.call(who, "get", `/api/circles/${circleId}/protected-time`)).body);
  const prep = view.blocks.find((b) => b.kind === "prep");
  expect(prep, JSON.stringify(view)).toBeDefined();
  const start = new Date(Date.parse(prep!.start) - 30 * 60_000);
  const end = new Date(Date.parse(prep!.start) + 5 * 60_000);
  const created = await stack.graph(who, "POST", "/me/events", {
    subject: "Budget review",
    start: { dateTime: start.toISOString().replace(/Z$/, ""), timeZone: "UTC" },
    end: { dateTime: end.toISOString().replace(/Z$/, ""), timeZone: "UTC" },
    showAs: "busy",
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { eventId: CreatedEventSchema.parse(created.body).id, prep: prep! };
}

forEachEngine((engine) => {
  describe("Graph change notifications keep protected time true", () => {
    let stack: NotificationsStack;
    beforeAll(async () => {
      stack = await startNotificationsStack(engine.db);
    });
    afterAll(async () => {
      await stack?.close();
    });

    it("echoes the validation token as text/plain", async () => {
      const token = "Validation: Testing client application reachability for subscription Request-Id: 7f0c2d3e";
      const res = await fetch(`${stack.apiUrl}/api/notifications/graph?validationToken=${encodeURIComponent(token)}`, { method: "POST", headers: { "content-type": "text/plain" }, body: "" });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await res.text()).toBe(token);
    });

    it("watches a member's events once they sync, with a secret clientState it does not store", async () => {
      await bookCircle(stack, [megan, alex]);
      await syncAndWatch(stack, megan);
      const subs = await subscriptionOf(stack, megan);
      expect(subs).toHaveLength(1);
      expect(subs[0]).toMatchObject({ resource: "/me/events", notificationUrl: `${stack.apiUrl}/api/notifications/graph`, lifecycleNotificationUrl: `${stack.apiUrl}/api/notifications/graph` });
      expect(subs[0]!.changeType.split(",").sort()).toEqual(["created", "deleted", "updated"]);
      expect(subs[0]!.clientState).toBeTruthy();
      const row = await stack.db.selectFrom("graph_subscriptions").selectAll().where("id", "=", subs[0]!.id).executeTakeFirstOrThrow();
      expect(row.user_id).toBe(megan.id);
      expect(row.client_state_hash).not.toContain(subs[0]!.clientState!);

      // Syncing again reuses the subscription.
      await syncAndWatch(stack, megan);
      expect(await subscriptionOf(stack, megan)).toHaveLength(1);
    });

    it("records an override and nudges the member when a meeting lands on a protected block", async () => {
      const circleId = await bookCircle(stack, [megan, alex]);
      await syncAndWatch(stack, megan);
      await stack.deliverAndRun();
      const before = (await activityFor(stack, megan)).length;
      expect(await overridesOf(stack, megan, circleId)).toEqual([]);

      const { eventId, prep } = await meetingOnFirstPrep(stack, megan, circleId);
      await stack.deliverAndRun();

      const overrides = await overridesOf(stack, megan, circleId);
      expect(overrides).toHaveLength(1);
      expect(overrides[0]).toMatchObject({ kind: "prep", event_id: eventId, block_start_at: prep.start });
      expect(overrides[0]!.nudged_at).not.toBeNull();
      const feed = await activityFor(stack, megan);
      expect(feed).toHaveLength(before + 1);
      expect(feed.at(-1)).toMatchObject({ activityType: "protectedTimeConflict", recipientId: megan.id });
      expect(feed.at(-1)!.previewText.content).toContain("prep");
      expect(feed.at(-1)!.templateParameters).toEqual(expect.arrayContaining([{ name: "eventSubject", value: "Budget review" }, { name: "blockKind", value: "prep" }]));

      // The block is still on the calendar; a later change to the same meeting nudges no second time.
      const view = BlocksSchema.parse((await stack.call(megan, "get", `/api/circles/${circleId}/protected-time`)).body);
      expect(view.blocks.some((b) => b.start === prep.start && b.kind === "prep")).toBe(true);
      expect((await stack.graph(megan, "PATCH", `/me/events/${encodeURIComponent(eventId)}`, { subject: "Budget review (v2)" })).status).toBe(200);
      await stack.deliverAndRun();
      expect(await activityFor(stack, megan)).toHaveLength(before + 1);
      expect(await overridesOf(stack, megan, circleId)).toHaveLength(1);
    });

    it("does not nudge a member who switched the nudge off, but still records the override", async () => {
      const circleId = await bookCircle(stack, [alex, megan]);
      await syncAndWatch(stack, alex);
      await stack.deliverAndRun();
      await stack.notifications.nudges.setSwitch(stack.sandbox.sandbox.tenantId, alex.id, "protectedTimeConflict", false);
      const before = (await activityFor(stack, alex)).length;

      await meetingOnFirstPrep(stack, alex, circleId);
      await stack.deliverAndRun();

      const overrides = await overridesOf(stack, alex, circleId);
      expect(overrides).toHaveLength(1);
      expect(overrides[0]!.nudged_at).toBeNull();
      expect(await activityFor(stack, alex)).toHaveLength(before);
    });

    it("answers 202 to a notification with the wrong clientState and changes nothing", async () => {
      const circleId = await bookCircle(stack, [megan, alex]);
      await syncAndWatch(stack, megan);
      await stack.deliverAndRun();
      const [sub] = await subscriptionOf(stack, megan);
      const jobsBefore = await stack.db.selectFrom("jobs").select("id").execute();
      const feedBefore = (await activityFor(stack, megan)).length;

      for (const clientState of ["wrong", null, `${sub!.clientState!}x`]) {
        const res = await fetch(`${stack.apiUrl}/api/notifications/graph`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ value: [{ subscriptionId: sub!.id, changeType: "created", clientState, resource: `Users/${megan.id}/Events/x`, tenantId: stack.sandbox.sandbox.tenantId }] }),
        });
        expect(res.status).toBe(202);
      }
      expect(await stack.db.selectFrom("jobs").select("id").execute()).toHaveLength(jobsBefore.length);
      await stack.runner.runDue();
      expect(await overridesOf(stack, megan, circleId)).toEqual([]);
      expect(await activityFor(stack, megan)).toHaveLength(feedBefore);
    });

    it("renews a subscription on reauthorizationRequired and resyncs on missed", async () => {
      await bookCircle(stack, [megan, alex]);
      await syncAndWatch(stack, megan);
      await stack.deliverAndRun();
      const [sub] = await subscriptionOf(stack, megan);
      // Pretend Graph is about to let it lapse: the renewal must push the expiry out again.
      await stack.db.updateTable("graph_subscriptions").set({ expires_at: new Date(Date.now() + 60_000).toISOString() }).where("id", "=", sub!.id).execute();

      const reauth = await stack.control("POST", `/subscriptions/${sub!.id}/lifecycle`, { lifecycleEvent: "reauthorizationRequired" });
      expect(reauth.body).toMatchObject({ delivered: true, status: 202 });
      await stack.deliverAndRun();
      const row = await stack.db.selectFrom("graph_subscriptions").selectAll().where("id", "=", sub!.id).executeTakeFirstOrThrow();
      expect(Date.parse(row.expires_at)).toBeGreaterThan(Date.now() + 24 * 3_600_000);
      const [renewed] = await subscriptionOf(stack, megan);
      expect(Date.parse(renewed!.expirationDateTime)).toBe(Date.parse(row.expires_at));

      const missed = await stack.control("POST", `/subscriptions/${sub!.id}/lifecycle`, { lifecycleEvent: "missed" });
      expect(missed.body).toMatchObject({ delivered: true, status: 202 });
      await stack.control("POST", "/notifications/flush");
      const queued = await stack.db.selectFrom("jobs").select(["type", "payload"]).where("type", "=", "calendar-changed").where("status", "=", "queued").execute();
      expect(queued.map((j) => JSON.parse(j.payload) as unknown)).toContainEqual({ tenantId: stack.sandbox.sandbox.tenantId, userId: megan.id });
      await stack.deliverAndRun();
    });
  });
});
