import { expect, it } from "vitest";
import request from "supertest";
import { z } from "zod";
import { forEachEngine } from "../../../fixtures/engines";
import { api, nextSlot, person, seedCircle, type BookingStack, useBookingStack } from "./booking-stack";

const JobSchema = z.object({
  id: z.string(),
  status: z.string(),
  progress: z.object({ done: z.number(), total: z.number() }),
  steps: z.array(z.object({ name: z.string(), label: z.string(), status: z.string() })),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
const DetailSchema = z.object({
  id: z.string(),
  series: z.object({ eventId: z.string(), joinWebUrl: z.string().nullable(), chatId: z.string().nullable(), occurrences: z.array(z.object({ id: z.string(), start: z.string(), end: z.string(), status: z.string() })) }).optional(),
  booking: z.object({ jobId: z.string(), status: z.string() }).optional(),
});

const priya = person("priya.raman");
const megan = person("megan.bowen");
const alex = person("alex.wilber");
const diego = person("diego.siciliani");
const lee = person("lee.gu");

forEachEngine((engine) => {
  let stack!: BookingStack;
  useBookingStack(engine, (started) => (stack = started));

  /** The organiser's series masters for a circle, straight from the sandbox's Graph. */
  async function seriesInOutlook(circleId: string) {
    const token = await stack.sandbox.sandbox.identity.graphToken(priya.userPrincipalName);
    const res = await fetch(`${stack.sandbox.url}/v1.0/me/events?$expand=extensions&$top=200`, { headers: { authorization: `Bearer ${token}` } });
    const body = z.object({ value: z.array(z.looseObject({ id: z.string(), type: z.string(), extensions: z.array(z.looseObject({ circleId: z.string().optional() })).optional() })) }).parse(await res.json());
    return body.value.filter((e) => e.type === "seriesMaster" && e.extensions?.some((x) => x.circleId === circleId));
  }

  async function book(circleId: string) {
    const token = await stack.token(priya);
    const res = await api(stack).post(token, `/api/circles/${circleId}/booking`, { start: nextSlot(), timeZone: "Europe/London" });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return z.object({ jobId: z.string() }).parse(res.body).jobId;
  }

  async function job(jobId: string) {
    const res = await api(stack).get(await stack.token(priya), `/api/jobs/${jobId}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return JobSchema.parse(res.body);
  }

  it("books one recurring Teams meeting with recording off, the app, the tab and a welcome in the chat", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan, alex], { name: "<b>Leads</b> & friends" });
    const jobId = await book(circleId);
    expect((await job(jobId)).status).toBe("queued");
    await stack.runner.runDue();

    const done = await job(jobId);
    expect(done.status).toBe("succeeded");
    expect(done.progress).toEqual({ done: 7, total: 7 });
    expect(done.steps.every((s) => s.status === "done")).toBe(true);

    const [series, ...more] = await seriesInOutlook(circleId);
    expect(more).toHaveLength(0);
    expect(series).toMatchObject({ subject: "Coaching circle", isOnlineMeeting: true, onlineMeetingProvider: "teamsForBusiness", showAs: "busy", categories: ["Coaching (protected)"] });
    const body = z.object({ content: z.string() }).parse(series!.body).content;
    expect(body).toContain("&lt;b&gt;Leads&lt;/b&gt; &amp; friends");
    expect(body).not.toContain("<b>Leads</b>");

    const meeting = stack.sandbox.sandbox.meetings.list().find((m) => m.eventId === series!.id)!;
    expect(meeting.attendeeIds.sort()).toEqual([megan.id, alex.id].sort());
    expect([meeting.allowRecording, meeting.allowTranscription]).toEqual([false, false]);
    const online = await (await fetch(`${stack.sandbox.url}/sandbox/meetings`)).json();
    expect(JSON.stringify(online)).toContain(meeting.threadId);
    const chat = z
      .object({ installedApps: z.array(z.object({ catalogAppId: z.string() })), tabs: z.array(z.object({ configuration: z.object({ entityId: z.string().nullable(), contentUrl: z.string().nullable() }) })), messages: z.array(z.unknown()) })
      .parse(await (await fetch(`${stack.sandbox.url}/sandbox/chats/${encodeURIComponent(meeting.threadId)}`)).json());
    expect(chat.installedApps.map((a) => a.catalogAppId)).toEqual([stack.sandbox.sandbox.teamsApp.catalogId]);
    expect(chat.tabs).toHaveLength(1);
    expect(chat.tabs[0]!.configuration.entityId).toBe(circleId);
    expect(chat.tabs[0]!.configuration.contentUrl).toMatch(/^https:\/\/app\.example\/sidepanel/);
    expect(chat.messages).toHaveLength(1);

    const detail = DetailSchema.parse((await api(stack).get(await stack.token(megan), `/api/circles/${circleId}`)).body);
    expect(detail.series?.occurrences).toHaveLength(6);
    expect(detail.series?.occurrences.every((o) => o.status === "scheduled" && o.start.endsWith(":00") && o.start.includes("T15:00:00"))).toBe(true);
    expect(detail.series?.chatId).toBe(meeting.threadId);
    expect(detail.booking).toEqual({ jobId, status: "succeeded" });
  });

  it("returns the same job when the circle is booked twice, and Outlook has one series", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan]);
    const first = await book(circleId);
    expect(await book(circleId)).toBe(first);
    await stack.runner.runDue();
    expect(await book(circleId)).toBe(first);
    await stack.runner.runDue();
    expect((await job(first)).status).toBe("succeeded");
    expect(await seriesInOutlook(circleId)).toHaveLength(1);
    expect(stack.sandbox.sandbox.meetings.list().filter((m) => m.subject === "Coaching pair" && m.attendeeIds.includes(megan.id))).toHaveLength(1);
  });

  it("resumes at the failed step after Graph answers 503, without a second series", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan, alex]);
    const jobId = await book(circleId);
    // More 503s than the Graph client retries in-process: the job itself has to come back.
    stack.sandbox.sandbox.faults.add({ match: { path: "/onlineMeetings" }, status: 503, times: 2 });
    await stack.runner.runDue();
    const failedOnce = await job(jobId);
    expect(failedOnce.status).toBe("queued");
    expect(failedOnce.steps.map((s) => s.status)).toEqual(["done", "done", "failed", "pending", "pending", "pending", "pending"]);

    // Not due until the backoff has passed.
    expect(await stack.runner.runDue()).toBe(0);
    stack.advance(15_000);
    await stack.runner.runDue();
    expect((await job(jobId)).status).toBe("succeeded");
    expect(await seriesInOutlook(circleId)).toHaveLength(1);
  });

  it("waits out a 429's Retry-After inside $batch, then finishes the chat steps once", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan, lee]);
    const jobId = await book(circleId);
    // Longer than the client waits in-process (60 s): the job is queued for after it.
    stack.sandbox.sandbox.faults.add({ match: { path: "/tabs" }, status: 429, retryAfterSeconds: 120, times: 1 });
    await stack.runner.runDue();
    const throttled = await job(jobId);
    expect(throttled.status).toBe("queued");
    expect(throttled.steps.find((s) => s.name === "tab")?.status).toBe("failed");
    expect(throttled.steps.find((s) => s.name === "app")?.status).toBe("done");
    stack.advance(60_000);
    expect(await stack.runner.runDue()).toBe(0);
    stack.advance(61_000);
    await stack.runner.runDue();
    const done = await job(jobId);
    expect(done.status).toBe("succeeded");
    const chatId = DetailSchema.parse((await api(stack).get(await stack.token(priya), `/api/circles/${circleId}`)).body).series?.chatId;
    const chat = z.object({ installedApps: z.array(z.unknown()), tabs: z.array(z.unknown()), messages: z.array(z.unknown()) }).parse(await (await fetch(`${stack.sandbox.url}/sandbox/chats/${encodeURIComponent(chatId ?? "")}`)).json());
    expect([chat.installedApps.length, chat.tabs.length, chat.messages.length]).toEqual([1, 1, 1]);
  });

  it("after a worker dies with the create in flight, a new worker finishes with exactly one series", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan, alex, lee]);
    const jobId = await book(circleId);
    let created!: () => void;
    const createdSeen = new Promise<void>((resolve) => (created = resolve));
    // The dying worker's Graph: the series create reaches Outlook, the answer never comes back.
    const dying = stack.makeGraph(async (input, init) => {
      const res = await fetch(input, init);
      if (typeof init?.body === "string" && init.body.includes('"url":"/me/events"')) {
        created();
        return new Promise<Response>(() => undefined);
      }
      return res;
    });
    // This worker never finishes; once the test's database is gone its next look for due jobs fails, as a dead worker's would.
    stack.newRunner(dying).runDue().catch(() => undefined);
    await createdSeen;
    expect(await seriesInOutlook(circleId)).toHaveLength(1);
    expect((await job(jobId)).steps.find((s) => s.name === "series")?.status).toBe("running");

    // Its lease still holds: nobody else may run the job yet.
    const successor = stack.newRunner();
    expect(await successor.runDue()).toBe(0);
    stack.advance(61_000);
    await successor.runDue();
    expect((await job(jobId)).status).toBe("succeeded");
    expect(await seriesInOutlook(circleId)).toHaveLength(1);
    expect(stack.sandbox.sandbox.meetings.list().filter((m) => m.attendeeIds.includes(lee.id) && m.attendeeIds.includes(alex.id))).toHaveLength(1);
  });

  it("answers 404 to people outside the circle, on the job and every series route", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan]);
    const jobId = await book(circleId);
    await stack.runner.runDue();
    const stranger = await stack.token(diego);
    const client = api(stack);
    const responses = [
      await client.get(stranger, `/api/jobs/${jobId}`),
      await client.post(stranger, `/api/circles/${circleId}/booking`, { start: nextSlot(), timeZone: "Europe/London" }),
      await client.post(stranger, `/api/circles/${circleId}/occurrences/x/skip`, {}),
      await client.post(stranger, `/api/circles/${circleId}/occurrences/x/move`, { start: nextSlot() }),
      await client.post(stranger, `/api/circles/${circleId}/series/move`, { fromDate: "2030-01-01", start: nextSlot() }),
      await client.post(stranger, `/api/circles/${circleId}/series/cancel`, {}),
    ];
    expect(responses.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404]);
    expect(responses[0]!.body).toMatchObject({ error: { code: "not_found" } });
    // A member sees the job; only the organiser changes the series.
    expect((await client.get(await stack.token(megan), `/api/jobs/${jobId}`)).status).toBe(200);
    expect((await client.post(await stack.token(megan), `/api/circles/${circleId}/series/cancel`, {})).status).toBe(403);
  });

  it("skips and moves sessions, moves the series and cancels it, always as Outlook has it", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan, alex]);
    await book(circleId);
    await stack.runner.runDue();
    const organizer = await stack.token(priya);
    const client = api(stack);
    const read = async () => DetailSchema.parse((await client.get(organizer, `/api/circles/${circleId}`)).body).series!;
    const before = await read();

    const skipped = await client.post(organizer, `/api/circles/${circleId}/occurrences/${encodeURIComponent(before.occurrences[1]!.id)}/skip`, { message: "Half term" });
    expect(skipped.status, JSON.stringify(skipped.body)).toBe(200);
    expect(DetailSchema.parse(skipped.body).series!.occurrences.map((o) => o.status)).toEqual(["scheduled", "cancelled", "scheduled", "scheduled", "scheduled", "scheduled"]);

    const newStart = before.occurrences[2]!.start.replace("T15:00:00", "T16:30:00");
    const moved = await client.post(organizer, `/api/circles/${circleId}/occurrences/${encodeURIComponent(before.occurrences[2]!.id)}/move`, { start: newStart });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const afterMove = DetailSchema.parse(moved.body).series!.occurrences;
    expect(afterMove[2]).toMatchObject({ status: "moved", start: newStart });

    // From a date after the first session: the series splits and the rest is booked anew.
    const fromDate = before.occurrences[3]!.start.slice(0, 10);
    const split = await client.post(organizer, `/api/circles/${circleId}/series/move`, { fromDate, start: before.occurrences[3]!.start.replace("T15:00:00", "T09:00:00") });
    expect(split.status, JSON.stringify(split.body)).toBe(200);
    const splitDetail = DetailSchema.parse(split.body);
    expect(splitDetail.booking?.status).toBe("queued");
    await stack.runner.runDue();
    const rest = await read();
    expect(rest.occurrences).toHaveLength(3);
    expect(rest.occurrences.every((o) => o.start.includes("T09:00:00") && o.status === "scheduled")).toBe(true);
    expect(rest.chatId).not.toBe(before.chatId);
    expect(await seriesInOutlook(circleId)).toHaveLength(2);

    // The new series has no earlier session: moving it from its start reschedules it in place.
    const inPlace = await client.post(organizer, `/api/circles/${circleId}/series/move`, { fromDate: rest.occurrences[0]!.start.slice(0, 10), start: rest.occurrences[0]!.start.replace("T09:00:00", "T10:00:00") });
    expect(inPlace.status, JSON.stringify(inPlace.body)).toBe(200);
    const rescheduled = DetailSchema.parse(inPlace.body).series!;
    expect(rescheduled.eventId).toBe(rest.eventId);
    expect(rescheduled.occurrences.map((o) => o.start.slice(11, 19))).toEqual(["10:00:00", "10:00:00", "10:00:00"]);

    const cancelled = await client.post(organizer, `/api/circles/${circleId}/series/cancel`, { message: "We are pausing" });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(DetailSchema.parse(cancelled.body).series).toBeUndefined();
    const attendeeView = await stack.sandbox.sandbox.identity.graphToken(megan.userPrincipalName);
    const megansEvents = z.object({ value: z.array(z.object({ id: z.string(), isCancelled: z.boolean(), type: z.string() })) }).parse(await (await fetch(`${stack.sandbox.url}/v1.0/me/events?$filter=isCancelled eq true&$top=100`, { headers: { authorization: `Bearer ${attendeeView}` } })).json());
    expect(megansEvents.value.length).toBeGreaterThanOrEqual(1);
  });

  it("invites a member who joins after booking to the series, and uninvites one who leaves", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan, alex]);
    await book(circleId);
    await stack.runner.runDue();
    const organizer = await stack.token(priya);
    const joined = await api(stack).post(organizer, `/api/circles/${circleId}/members`, { upn: lee.userPrincipalName });
    expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    const left = await request(stack.app).delete(`/api/circles/${circleId}/members/${alex.id}`).set("authorization", `Bearer ${await stack.token(alex)}`);
    expect(left.status, JSON.stringify(left.body)).toBe(200);
    const [series] = await seriesInOutlook(circleId);
    const attendees = z.array(z.object({ emailAddress: z.object({ address: z.string() }) })).parse(series!.attendees).map((a) => a.emailAddress.address.toLowerCase());
    expect(attendees.sort()).toEqual([megan.mail, lee.mail].map((m) => m.toLowerCase()).sort());
  });
});
