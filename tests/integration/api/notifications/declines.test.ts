import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { SeedPerson } from "../../../../sandbox/seed/people";
import { forEachEngine } from "../../../fixtures/engines";
import { nextSlot, person, seedCircle } from "../booking/booking-stack";
import { ActivitySchema, SandboxSubscriptionsSchema, startNotificationsStack, type NotificationsStack } from "./notifications-stack";

const priya = person("priya.raman");
const megan = person("megan.bowen");
const alex = person("alex.wilber");

const PROTECTED = "Coaching (protected)";
const BlocksSchema = z.object({ blocks: z.array(z.object({ occurrenceKey: z.string(), kind: z.string(), start: z.string(), end: z.string() })) });
const DateTimeSchema = z.object({ dateTime: z.string(), timeZone: z.string() });
const EventSchema = z.object({
  id: z.string(),
  type: z.string().nullish(),
  start: DateTimeSchema,
  end: DateTimeSchema,
  originalStart: z.string().nullish(),
  isCancelled: z.boolean().nullish(),
  categories: z.array(z.string()).default([]),
  attendees: z.array(z.object({ emailAddress: z.object({ address: z.string() }), status: z.object({ response: z.string() }) })).default([]),
});
const EventsSchema = z.object({ value: z.array(EventSchema) });
type GraphEvent = z.infer<typeof EventSchema>;

/** Instants from Graph's dateTime (UTC, as we ask for no Prefer zone) for comparing. */
const ms = (dt: { dateTime: string }) => Date.parse(dt.dateTime.endsWith("Z") ? dt.dateTime : `${dt.dateTime}Z`);

/** Each circle gets weeks of its own, so one test's sessions never share a calendar slot with another's. */
let weeksAhead = 2;

async function bookCircle(stack: NotificationsStack, members: SeedPerson[], sessionCount = 3): Promise<{ circleId: string; iCalUId: string }> {
  const circleId = await seedCircle(stack.db, priya, members, { sessionCount, name: "Leading through change" });
  weeksAhead += 7;
  const res = await stack.call(priya, "post", `/api/circles/${circleId}/booking`, { start: nextSlot(weeksAhead), timeZone: "Europe/London" });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await stack.runner.runDue();
  const row = await stack.db.selectFrom("circle_series").select(["ical_uid", "status"]).where("circle_id", "=", circleId).executeTakeFirstOrThrow();
  expect(row.status).toBe("booked");
  return { circleId, iCalUId: row.ical_uid! };
}

async function syncAndWatch(stack: NotificationsStack, who: SeedPerson): Promise<void> {
  const res = await stack.call(who, "post", "/api/protected-time/sync");
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  await stack.deliverAndRun();
}

async function blocksOf(stack: NotificationsStack, who: SeedPerson, circleId: string) {
  const res = await stack.call(who, "get", `/api/circles/${circleId}/protected-time`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return BlocksSchema.parse(res.body).blocks;
}

/** The person's copy of the series and its sessions, as their own calendar has them. */
async function seriesOf(stack: NotificationsStack, who: SeedPerson, iCalUId: string): Promise<{ master: GraphEvent | undefined; sessions: GraphEvent[] }> {
  const found = await stack.graph(who, "GET", `/me/events?$filter=${encodeURIComponent(`iCalUId eq '${iCalUId}'`)}`);
  expect(found.status, JSON.stringify(found.body)).toBe(200);
  const master = EventsSchema.parse(found.body).value.find((e) => e.type === "seriesMaster");
  if (!master) return { master, sessions: [] };
  const from = new Date(Date.now() - 86_400_000).toISOString();
  const to = new Date(Date.now() + 2 * 365 * 86_400_000).toISOString();
  const res = await stack.graph(who, "GET", `/me/events/${encodeURIComponent(master.id)}/instances?startDateTime=${from}&endDateTime=${to}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { master, sessions: EventsSchema.parse(res.body).value.sort((a, b) => ms(a.start) - ms(b.start)) };
}

/** Our protected blocks on the person's own calendar, in a window around a session. */
async function protectedEventsAround(stack: NotificationsStack, who: SeedPerson, session: GraphEvent): Promise<GraphEvent[]> {
  const from = new Date(ms(session.start) - 3_600_000).toISOString();
  const to = new Date(ms(session.end) + 3_600_000).toISOString();
  const res = await stack.graph(who, "GET", `/me/calendarView?startDateTime=${from}&endDateTime=${to}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return EventsSchema.parse(res.body).value.filter((e) => e.categories.includes(PROTECTED));
}

async function reply(stack: NotificationsStack, who: SeedPerson, eventId: string, action: "accept" | "decline"): Promise<void> {
  const res = await stack.graph(who, "POST", `/me/events/${encodeURIComponent(eventId)}/${action}`, { comment: "", sendResponse: true });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
}

async function declinesOf(stack: NotificationsStack, who: SeedPerson, circleId: string) {
  return stack.db.selectFrom("session_declines").selectAll().where("circle_id", "=", circleId).where("user_id", "=", who.id).orderBy("occurrence_key").execute();
}

async function feedOf(stack: NotificationsStack, who: SeedPerson) {
  const res = await stack.control("GET", `/activity?userId=${encodeURIComponent(who.userPrincipalName)}`);
  expect(res.status).toBe(200);
  return ActivitySchema.parse(res.body).value;
}

/** Posts a notification for the person's subscription straight to our webhook (as Graph would, or a forger). */
async function postNotification(stack: NotificationsStack, who: SeedPerson, clientState: string | null): Promise<void> {
  const subs = SandboxSubscriptionsSchema.parse((await stack.control("GET", "/subscriptions")).body).value.filter((s) => s.userId === who.id);
  expect(subs).toHaveLength(1);
  const res = await fetch(`${stack.apiUrl}/api/notifications/graph`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ value: [{ subscriptionId: subs[0]!.id, changeType: "updated", clientState: clientState ?? subs[0]!.clientState, resource: `Users/${who.id}/Events/x`, tenantId: stack.sandbox.sandbox.tenantId }] }),
  });
  expect(res.status).toBe(202);
  await stack.runner.runDue();
}

forEachEngine((engine) => {
  describe("Declined and moved sessions keep protected time true", () => {
    let stack: NotificationsStack;
    beforeAll(async () => {
      weeksAhead = 2;
      stack = await startNotificationsStack(engine.db);
    });
    afterAll(async () => {
      await stack?.close();
    });

    it("records a declined session, releases its blocks, nudges once, and gives them back on accepting again", async () => {
      const { circleId, iCalUId } = await bookCircle(stack, [megan, alex]);
      await syncAndWatch(stack, megan);
      const { sessions } = await seriesOf(stack, megan, iCalUId);
      expect(sessions).toHaveLength(3);
      const first = sessions[0]!;
      const slot = new Date(ms(first.start)).toISOString();
      expect((await blocksOf(stack, megan, circleId)).filter((b) => b.occurrenceKey === slot)).toHaveLength(2);
      expect(await protectedEventsAround(stack, megan, first)).toHaveLength(2);
      const feedBefore = (await feedOf(stack, megan)).length;

      await reply(stack, megan, first.id, "decline");
      await stack.deliverAndRun();

      // The organiser's copy has her answer for that session, as Exchange records it.
      const organiser = await seriesOf(stack, priya, iCalUId);
      const answered = organiser.sessions.find((s) => ms(s.start) === ms(first.start));
      expect(answered?.attendees.find((a) => a.emailAddress.address.toLowerCase() === megan.userPrincipalName.toLowerCase())?.status.response).toBe("declined");

      const declines = await declinesOf(stack, megan, circleId);
      expect(declines).toHaveLength(1);
      expect(declines[0]).toMatchObject({ occurrence_key: slot, scope: "occurrence", withdrawn_at: null, released_blocks: 2 });
      expect(declines[0]!.nudged_at).not.toBeNull();
      // Gone from her calendar and from what we record; the other sessions keep theirs.
      expect(await protectedEventsAround(stack, megan, first)).toEqual([]);
      const left = await blocksOf(stack, megan, circleId);
      expect(left.filter((b) => b.occurrenceKey === slot)).toEqual([]);
      expect(left).toHaveLength(4);
      const feed = await feedOf(stack, megan);
      expect(feed).toHaveLength(feedBefore + 1);
      expect(feed.at(-1)).toMatchObject({ recipientId: megan.id, activityType: "sessionDeclined", templateParameters: [{ name: "circleName", value: "Leading through change" }] });
      expect(feed.at(-1)!.previewText.content).toMatch(/^You declined Leading through change .+\. Your circle meets without you: tell them\?$/);
      // The link opens the circle in the personal tab (Teams deep link, the circle as sub-entity).
      const link = new URL(feed.at(-1)!.topic.webUrl!);
      expect(link.origin).toBe("https://teams.microsoft.com");
      expect(JSON.parse(link.searchParams.get("context")!)).toEqual({ subEntityId: `circle:${circleId}` });
      // Alex did not decline: nothing recorded for him.
      expect(await declinesOf(stack, alex, circleId)).toEqual([]);

      // The same news again (a repeated notification, a missed-notification resync) changes nothing.
      await postNotification(stack, megan, null);
      await postNotification(stack, megan, null);
      expect(await declinesOf(stack, megan, circleId)).toEqual(declines);
      expect(await feedOf(stack, megan)).toHaveLength(feedBefore + 1);

      // Accepting again: the decline stops counting and the blocks come back.
      await reply(stack, megan, first.id, "accept");
      await stack.deliverAndRun();
      const after = await declinesOf(stack, megan, circleId);
      expect(after).toHaveLength(1);
      expect(after[0]!.withdrawn_at).not.toBeNull();
      expect((await blocksOf(stack, megan, circleId)).filter((b) => b.occurrenceKey === slot).map((b) => b.kind).sort()).toEqual(["prep", "reflection"]);
      expect(await protectedEventsAround(stack, megan, first)).toHaveLength(2);
      expect(await feedOf(stack, megan)).toHaveLength(feedBefore + 1);
    });

    it("declining the whole series releases every future block; accepting it again restores them", async () => {
      const { circleId, iCalUId } = await bookCircle(stack, [megan, alex]);
      await syncAndWatch(stack, alex);
      const { master, sessions } = await seriesOf(stack, alex, iCalUId);
      expect(sessions).toHaveLength(3);
      expect(await blocksOf(stack, alex, circleId)).toHaveLength(6);
      const feedBefore = (await feedOf(stack, alex)).length;

      await reply(stack, alex, master!.id, "decline");
      await stack.deliverAndRun();

      expect((await seriesOf(stack, alex, iCalUId)).master).toBeUndefined();
      const declines = await declinesOf(stack, alex, circleId);
      expect(declines).toHaveLength(1);
      expect(declines[0]).toMatchObject({ occurrence_key: "series", scope: "series", withdrawn_at: null, released_blocks: 6 });
      expect(await blocksOf(stack, alex, circleId)).toEqual([]);
      for (const s of sessions) expect(await protectedEventsAround(stack, alex, s)).toEqual([]);
      const feed = await feedOf(stack, alex);
      expect(feed).toHaveLength(feedBefore + 1);
      expect(feed.at(-1)!.previewText.content).toBe("You declined the Leading through change sessions. Your circle meets without you: tell them?");
      const organiser = await seriesOf(stack, priya, iCalUId);
      expect(organiser.master?.attendees.find((a) => a.emailAddress.address.toLowerCase() === alex.userPrincipalName.toLowerCase())?.status.response).toBe("declined");

      await postNotification(stack, alex, null);
      expect(await declinesOf(stack, alex, circleId)).toEqual(declines);
      expect(await feedOf(stack, alex)).toHaveLength(feedBefore + 1);

      await reply(stack, alex, master!.id, "accept");
      await stack.deliverAndRun();
      expect((await declinesOf(stack, alex, circleId))[0]!.withdrawn_at).not.toBeNull();
      expect(await blocksOf(stack, alex, circleId)).toHaveLength(6);
      for (const s of sessions) expect(await protectedEventsAround(stack, alex, s)).toHaveLength(2);
    });

    it("does not nudge a member who switched declined-session nudges off, but still records the decline", async () => {
      const { circleId, iCalUId } = await bookCircle(stack, [megan, alex]);
      await syncAndWatch(stack, megan);
      await stack.notifications.nudges.setSwitch(stack.sandbox.sandbox.tenantId, megan.id, "sessionDeclined", false);
      const feedBefore = (await feedOf(stack, megan)).length;
      const { sessions } = await seriesOf(stack, megan, iCalUId);

      await reply(stack, megan, sessions[1]!.id, "decline");
      await stack.deliverAndRun();

      const declines = await declinesOf(stack, megan, circleId);
      expect(declines).toHaveLength(1);
      expect(declines[0]!.nudged_at).toBeNull();
      expect(await feedOf(stack, megan)).toHaveLength(feedBefore);
      await stack.notifications.nudges.setSwitch(stack.sandbox.sandbox.tenantId, megan.id, "sessionDeclined", true);
    });

    it("a session the organiser cancelled is no decline, even once the member deletes it from her calendar", async () => {
      const { circleId, iCalUId } = await bookCircle(stack, [megan, alex]);
      await syncAndWatch(stack, megan);
      const organiser = await seriesOf(stack, priya, iCalUId);
      const second = organiser.sessions[1]!;
      const feedBefore = (await feedOf(stack, megan)).length;

      // The organiser skips the second session: it stays on Megan's calendar, marked cancelled.
      const cancelled = await stack.graph(priya, "POST", `/me/events/${encodeURIComponent(second.id)}/cancel`, { comment: "Skipping this week" });
      expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(202);
      await stack.deliverAndRun();
      const hers = (await seriesOf(stack, megan, iCalUId)).sessions.find((s) => ms(s.start) === ms(second.start));
      expect(hers?.isCancelled).toBe(true);
      expect(await declinesOf(stack, megan, circleId)).toEqual([]);

      // She tidies it away: now it is as absent from her copy as a declined session would be.
      const deleted = await stack.graph(megan, "DELETE", `/me/events/${encodeURIComponent(hers!.id)}`);
      expect(deleted.status, JSON.stringify(deleted.body)).toBe(204);
      await stack.deliverAndRun();
      expect((await seriesOf(stack, megan, iCalUId)).sessions.some((s) => ms(s.start) === ms(second.start))).toBe(false);
      expect(await declinesOf(stack, megan, circleId)).toEqual([]);
      expect(await feedOf(stack, megan)).toHaveLength(feedBefore);

      // A session she does decline is still read as one.
      const third = (await seriesOf(stack, megan, iCalUId)).sessions.find((s) => ms(s.start) === ms(organiser.sessions[2]!.start))!;
      await reply(stack, megan, third.id, "decline");
      await stack.deliverAndRun();
      expect((await declinesOf(stack, megan, circleId)).map((d) => d.occurrence_key)).toEqual([new Date(ms(organiser.sessions[2]!.start)).toISOString()]);
      const feed = await feedOf(stack, megan);
      expect(feed).toHaveLength(feedBefore + 1);
      expect(feed.at(-1)).toMatchObject({ activityType: "sessionDeclined" });
    });

    it("a notification with the wrong clientState records nothing and releases nothing", async () => {
      const { circleId, iCalUId } = await bookCircle(stack, [megan, alex]);
      await syncAndWatch(stack, megan);
      const { sessions } = await seriesOf(stack, megan, iCalUId);
      // She declines, and Graph's own notification is lost on the way: only forged ones arrive.
      await reply(stack, megan, sessions[0]!.id, "decline");
      expect((await stack.control("POST", "/notifications/flush")).status).toBeLessThan(300);
      await stack.db.deleteFrom("jobs").where("type", "=", "calendar-changed").where("status", "=", "queued").execute();
      const subs = SandboxSubscriptionsSchema.parse((await stack.control("GET", "/subscriptions")).body).value.filter((s) => s.userId === megan.id);
      await postNotification(stack, megan, `${subs[0]!.clientState!}-forged`);
      await postNotification(stack, megan, "wrong");
      expect(await stack.db.selectFrom("jobs").select("id").where("type", "=", "calendar-changed").where("status", "=", "queued").execute()).toEqual([]);
      expect(await declinesOf(stack, megan, circleId)).toEqual([]);
      expect(await blocksOf(stack, megan, circleId)).toHaveLength(6);
      // Graph says it missed notifications: the resync finds the decline.
      const missed = await stack.control("POST", `/subscriptions/${subs[0]!.id}/lifecycle`, { lifecycleEvent: "missed" });
      expect(missed.body).toMatchObject({ delivered: true, status: 202 });
      await stack.deliverAndRun();
      expect(await declinesOf(stack, megan, circleId)).toHaveLength(1);
      expect(await blocksOf(stack, megan, circleId)).toHaveLength(4);
    });

    it("blocks follow a session the organiser moves", async () => {
      const { circleId, iCalUId } = await bookCircle(stack, [megan, alex]);
      await syncAndWatch(stack, megan);
      const organiser = await seriesOf(stack, priya, iCalUId);
      const second = organiser.sessions[1]!;
      const slot = new Date(ms(second.start)).toISOString();
      const movedStart = ms(second.start) + 2 * 3_600_000;
      const movedEnd = ms(second.end) + 2 * 3_600_000;
      const res = await stack.graph(priya, "PATCH", `/me/events/${encodeURIComponent(second.id)}`, {
        start: { dateTime: new Date(movedStart).toISOString().replace(/Z$/, ""), timeZone: "UTC" },
        end: { dateTime: new Date(movedEnd).toISOString().replace(/Z$/, ""), timeZone: "UTC" },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      await stack.deliverAndRun();

      const moved = (await blocksOf(stack, megan, circleId)).filter((b) => b.occurrenceKey === slot);
      expect(moved).toHaveLength(2);
      expect(Date.parse(moved.find((b) => b.kind === "prep")!.end)).toBe(movedStart);
      expect(Date.parse(moved.find((b) => b.kind === "reflection")!.start)).toBe(movedEnd);
      // On her calendar too, and nothing left at the old time; a move is not a decline.
      const mine = await seriesOf(stack, megan, iCalUId);
      const hers = mine.sessions.find((s) => ms(s.start) === movedStart)!;
      const around = await protectedEventsAround(stack, megan, hers);
      expect(around.map((e) => [ms(e.start), ms(e.end)]).sort()).toEqual(
        [
          [movedStart - 15 * 60_000, movedStart],
          [movedEnd, movedEnd + 10 * 60_000],
        ].sort(),
      );
      expect(await declinesOf(stack, megan, circleId)).toEqual([]);
    });
  });
});
