import { expect, it } from "vitest";
import { z } from "zod";
import { customPropertiesId } from "../../../../api/outlook/appointment";
import { forEachEngine } from "../../../fixtures/engines";
import { api, person, seedCircle, type BookingStack, useBookingStack } from "../booking/booking-stack";

/**
 * The Outlook add-in's link, end to end against the sandbox: the organiser's appointment is made
 * the way the task pane leaves it (recurring, attendees, category, the add-in's custom property
 * `coachingCircleId`, saved), then linked through the API, and getCircle reads it back from Outlook.
 */

const DetailSchema = z.object({
  id: z.string(),
  series: z
    .object({
      eventId: z.string(),
      joinWebUrl: z.string().nullable(),
      chatId: z.string().nullable(),
      occurrences: z.array(z.object({ id: z.string(), start: z.string(), end: z.string(), status: z.string() })),
    })
    .optional(),
});
const LinkedSchema = DetailSchema.extend({
  jobId: z.string().optional(),
  warning: z.object({ code: z.string(), message: z.string() }).optional(),
  booking: z.object({ jobId: z.string(), status: z.string() }).optional(),
});
const JobSchema = z.object({
  id: z.string(),
  status: z.string(),
  progress: z.object({ done: z.number(), total: z.number() }),
  steps: z.array(z.object({ name: z.string(), label: z.string(), status: z.string() })),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
const ChatSchema = z.object({
  installedApps: z.array(z.object({ catalogAppId: z.string() })),
  tabs: z.array(z.object({ configuration: z.object({ entityId: z.string().nullable(), contentUrl: z.string().nullable() }) })),
  messages: z.array(z.unknown()),
});
const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const EventSchema = z.looseObject({ id: z.string(), iCalUId: z.string() });

const priya = person("priya.raman");
const megan = person("megan.bowen");
const alex = person("alex.wilber");
const lee = person("lee.gu");

forEachEngine((engine) => {
  let stack!: BookingStack;
  useBookingStack(engine, (started) => (stack = started));

  async function graph(upn: string, method: string, path: string, body?: unknown) {
    const token = await stack.sandbox.sandbox.identity.graphToken(upn);
    const res = await fetch(`${stack.sandbox.url}/v1.0${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  /**
   * What Outlook holds after the task pane made the draft a monthly coaching session and saved it:
   * the second Tuesday of the month at 15:00 London, four sessions, a Teams meeting, the
   * add-in's custom property with the circle id (Office.js stores it as `cecp-<add-in id>`).
   */
  async function appointmentFromThePane(organizer: string, opts: { circleId?: string; recurring?: boolean; attendees?: string[]; teams?: boolean } = {}) {
    const body = {
      subject: "Coaching circle",
      body: { contentType: "html", content: "<h2>Leads</h2><p>Notes stay in Coaching Circles.</p>" },
      start: { dateTime: "2030-03-12T15:00:00", timeZone: "GMT Standard Time" },
      end: { dateTime: "2030-03-12T16:00:00", timeZone: "GMT Standard Time" },
      ...(opts.recurring === false
        ? {}
        : {
            recurrence: {
              pattern: { type: "relativeMonthly", interval: 1, daysOfWeek: ["tuesday"], index: "second", firstDayOfWeek: "monday" },
              range: { type: "endDate", startDate: "2030-03-12", endDate: "2030-06-11", recurrenceTimeZone: "GMT Standard Time" },
            },
          }),
      attendees: (opts.attendees ?? [megan.userPrincipalName, alex.userPrincipalName]).map((address) => ({ type: "required", emailAddress: { address } })),
      categories: ["Coaching (protected)"],
      ...(opts.teams === false ? {} : { isOnlineMeeting: true, onlineMeetingProvider: "teamsForBusiness" }),
      ...(opts.circleId
        ? { singleValueExtendedProperties: [{ id: customPropertiesId(stack.config.teamsAppId!), value: JSON.stringify({ coachingCircleId: opts.circleId, coachingFormatId: "coaching-circle" }) }] }
        : {}),
    };
    const created = await graph(organizer, "POST", "/me/events", body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return EventSchema.parse(created.body);
  }

  async function link(who: { userPrincipalName: string }, circleId: string, eventId: string) {
    const token = await stack.sandbox.sandbox.identity.apiToken(who.userPrincipalName);
    return api(stack).post(token, `/api/circles/${circleId}/outlook-appointment`, { eventId });
  }

  async function circleAs(who: { userPrincipalName: string }, circleId: string) {
    const res = await api(stack).get(await stack.sandbox.sandbox.identity.apiToken(who.userPrincipalName), `/api/circles/${circleId}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return DetailSchema.parse(res.body);
  }

  it("makes the organiser's saved appointment the circle's series; members see its sessions read back from Outlook", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan, alex], { cadence: "monthly", sessionCount: 4 });
    const event = await appointmentFromThePane(priya.userPrincipalName, { circleId });

    const res = await link(priya, circleId, event.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const linked = DetailSchema.parse(res.body);
    expect(linked.series?.eventId).toBe(event.id);
    // The second Tuesday of March to June 2030, 15:00 in London (GMT, then BST from 31 March).
    expect(linked.series?.occurrences.map((o) => [o.start, o.status])).toEqual([
      ["2030-03-12T15:00:00+00:00", "scheduled"],
      ["2030-04-09T15:00:00+01:00", "scheduled"],
      ["2030-05-14T15:00:00+01:00", "scheduled"],
      ["2030-06-11T15:00:00+01:00", "scheduled"],
    ]);
    const meeting = stack.sandbox.sandbox.meetings.list().find((m) => m.eventId === event.id);
    expect(linked.series?.chatId).toBe(meeting?.threadId);
    expect(linked.series?.joinWebUrl).toBe(meeting?.joinWebUrl);

    // Megan reads her own copy of the meeting (found by its iCalUId), not Priya's.
    const asMegan = await circleAs(megan, circleId);
    expect(asMegan.series?.occurrences.map((o) => o.start)).toEqual(linked.series?.occurrences.map((o) => o.start));

    const row = await engine.db.selectFrom("circle_series").selectAll().where("circle_id", "=", circleId).executeTakeFirstOrThrow();
    // The meeting chat is set up by a booking job (below); the link answers its id.
    expect(row).toMatchObject({ event_id: event.id, ical_uid: event.iCalUId, organizer_id: priya.id, status: "booked", time_zone: "Europe/London", job_id: LinkedSchema.parse(res.body).jobId });
  });

  async function job(jobId: string, who: { userPrincipalName: string } = priya) {
    const res = await api(stack).get(await stack.sandbox.sandbox.identity.apiToken(who.userPrincipalName), `/api/jobs/${jobId}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return JobSchema.parse(res.body);
  }

  async function chatOf(threadId: string) {
    return ChatSchema.parse(await (await fetch(`${stack.sandbox.url}/sandbox/chats/${encodeURIComponent(threadId)}`)).json());
  }

  function meetingOf(eventId: string) {
    const meeting = stack.sandbox.sandbox.meetings.list().find((m) => m.eventId === eventId);
    if (!meeting) throw new Error(`No online meeting for ${eventId}`);
    return meeting;
  }

  async function linkOk(circleId: string, eventId: string) {
    const res = await link(priya, circleId, eventId);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return LinkedSchema.parse(res.body);
  }

  it("sets up the linked Teams meeting like a booked one: recording and transcription off, app, tab and welcome in its chat", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan, alex], { cadence: "monthly", sessionCount: 4, name: "<b>Leads</b> & friends" });
    const event = await appointmentFromThePane(priya.userPrincipalName, { circleId });
    const meetingsBefore = stack.sandbox.sandbox.meetings.list().length;

    const linked = await linkOk(circleId, event.id);
    expect(linked.warning).toBeUndefined();
    const jobId = linked.jobId!;
    expect(jobId).toEqual(expect.any(String));
    expect(linked.booking).toEqual({ jobId, status: "queued" });
    const queued = await job(jobId);
    expect(queued.status).toBe("queued");
    // The appointment already is the series: no category or series to make, no rotation.
    expect(queued.steps.map((s) => s.name)).toEqual(["category", "series", "meeting", "recording", "app", "tab", "welcome"]);
    expect(queued.steps[1]!.label).toMatch(/Outlook appointment/);

    await stack.runner.runDue();
    const done = await job(jobId);
    expect(done.status).toBe("succeeded");
    expect(done.progress).toEqual({ done: 7, total: 7 });
    expect(done.steps.every((s) => s.status === "done")).toBe(true);

    // The organiser's own appointment was used: no second meeting, no second series.
    expect(stack.sandbox.sandbox.meetings.list()).toHaveLength(meetingsBefore);
    const meeting = meetingOf(event.id);
    expect([meeting.allowRecording, meeting.allowTranscription]).toEqual([false, false]);
    const chat = await chatOf(meeting.threadId);
    expect(chat.installedApps.map((a) => a.catalogAppId)).toEqual([stack.sandbox.sandbox.teamsApp.catalogId]);
    expect(chat.tabs).toHaveLength(1);
    expect(chat.tabs[0]!.configuration.entityId).toBe(circleId);
    expect(chat.tabs[0]!.configuration.contentUrl).toMatch(/^https:\/\/app\.example\/sidepanel\?circleId=/);
    expect(chat.messages).toHaveLength(1);
    const welcome = JSON.stringify(chat.messages[0]);
    expect(welcome).toContain("Coaching Circles is ready for this meeting");
    expect(welcome).toContain("&lt;b&gt;Leads&lt;/b&gt; &amp; friends");

    const asMegan = LinkedSchema.parse((await api(stack).get(await stack.sandbox.sandbox.identity.apiToken(megan.userPrincipalName), `/api/circles/${circleId}`)).body);
    expect(asMegan.series?.chatId).toBe(meeting.threadId);
    expect(asMegan.booking).toEqual({ jobId, status: "succeeded" });
    // Members may follow the job; people outside the circle may not.
    expect((await job(jobId, megan)).status).toBe("succeeded");
    const outsider = await api(stack).get(await stack.sandbox.sandbox.identity.apiToken(lee.userPrincipalName), `/api/jobs/${jobId}`);
    expect(outsider.status).toBe(404);
  });

  it("linking again answers the same job and never adds a second tab or welcome", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan], { cadence: "monthly", sessionCount: 4 });
    const event = await appointmentFromThePane(priya.userPrincipalName, { circleId, attendees: [megan.userPrincipalName] });

    const first = await linkOk(circleId, event.id);
    // Linked twice before the job ran, and again after it finished: one job.
    expect((await linkOk(circleId, event.id)).jobId).toBe(first.jobId);
    await stack.runner.runDue();
    const again = await linkOk(circleId, event.id);
    expect(again.jobId).toBe(first.jobId);
    expect(await stack.runner.runDue()).toBe(0);
    expect((await job(first.jobId!)).status).toBe("succeeded");

    const jobs = await engine.db.selectFrom("jobs").select("payload").execute();
    expect(jobs.filter((j) => j.payload.includes(circleId))).toHaveLength(1);
    const chat = await chatOf(meetingOf(event.id).threadId);
    expect([chat.installedApps.length, chat.tabs.length, chat.messages.length]).toEqual([1, 1, 1]);
  });

  it("two links at the same moment queue one job; a link cut off before its job was written writes it when linked again", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan], { cadence: "monthly", sessionCount: 4 });
    const event = await appointmentFromThePane(priya.userPrincipalName, { circleId, attendees: [megan.userPrincipalName] });
    const [a, b] = await Promise.all([linkOk(circleId, event.id), linkOk(circleId, event.id)]);
    expect(a.jobId).toEqual(expect.any(String));
    expect(b.jobId).toBe(a.jobId);
    const jobIds = (await engine.db.selectFrom("jobs").select(["id", "payload"]).execute()).filter((j) => j.payload.includes(circleId)).map((j) => j.id);
    expect(jobIds).toEqual([a.jobId]);

    // As if the process stopped after the series row named the job but before the job was stored.
    await engine.db.deleteFrom("job_steps").where("job_id", "=", a.jobId!).execute();
    await engine.db.deleteFrom("jobs").where("id", "=", a.jobId!).execute();
    const again = await linkOk(circleId, event.id);
    expect(again.jobId).toBe(a.jobId);
    await stack.runner.runDue();
    expect((await job(a.jobId!)).status).toBe("succeeded");
    const chat = await chatOf(meetingOf(event.id).threadId);
    expect([chat.installedApps.length, chat.tabs.length, chat.messages.length]).toEqual([1, 1, 1]);
  });

  it("resumes at the failed step after Graph answers 503, adding the tab once", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan, alex], { cadence: "monthly", sessionCount: 4 });
    const event = await appointmentFromThePane(priya.userPrincipalName, { circleId });
    const { jobId } = await linkOk(circleId, event.id);
    // More 503s than the Graph client retries in-process: the job itself has to come back.
    stack.sandbox.sandbox.faults.add({ match: { path: "/tabs" }, status: 503, times: 2 });
    await stack.runner.runDue();
    const failedOnce = await job(jobId!);
    expect(failedOnce.status).toBe("queued");
    expect(Object.fromEntries(failedOnce.steps.map((s) => [s.name, s.status]))).toEqual({
      category: "done",
      series: "done",
      meeting: "done",
      recording: "done",
      app: "done",
      tab: "failed",
      welcome: "done",
    });

    // Not due until the backoff has passed.
    expect(await stack.runner.runDue()).toBe(0);
    stack.advance(15_000);
    await stack.runner.runDue();
    expect((await job(jobId!)).status).toBe("succeeded");
    const chat = await chatOf(meetingOf(event.id).threadId);
    expect([chat.installedApps.length, chat.tabs.length, chat.messages.length]).toEqual([1, 1, 1]);
  });

  it("says plainly when the appointment isn't a Teams meeting, and sets the chat up once it is", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan], { cadence: "monthly", sessionCount: 4 });
    const event = await appointmentFromThePane(priya.userPrincipalName, { circleId, attendees: [megan.userPrincipalName], teams: false });

    const linked = await linkOk(circleId, event.id);
    // The circle works: the appointment is its series, read back from Outlook.
    expect(linked.series?.eventId).toBe(event.id);
    expect(linked.series?.occurrences).toHaveLength(4);
    expect(linked.jobId).toBeUndefined();
    expect(linked.warning?.code).toBe("not_teams_meeting");
    expect(linked.warning?.message).toMatch(/isn't a Teams meeting/);
    expect(linked.warning?.message).toMatch(/turn on “Teams meeting”.*link it again/);
    const row = await engine.db.selectFrom("circle_series").selectAll().where("circle_id", "=", circleId).executeTakeFirstOrThrow();
    expect(row.job_id).toBeNull();
    // Booking the circle now would make a second series: refused.
    const book = await api(stack).post(await stack.sandbox.sandbox.identity.apiToken(priya.userPrincipalName), `/api/circles/${circleId}/booking`, { start: "2030-03-12T15:00:00+00:00", timeZone: "Europe/London" });
    expect(book.status).toBe(409);
    expect(ErrorSchema.parse(book.body).error.message).toMatch(/already has a series in Outlook/);

    // The organiser turns the Teams meeting on in Outlook and links again: now the chat is set up.
    const turnedOn = await graph(priya.userPrincipalName, "PATCH", `/me/events/${encodeURIComponent(event.id)}`, { isOnlineMeeting: true, onlineMeetingProvider: "teamsForBusiness" });
    expect(turnedOn.status, JSON.stringify(turnedOn.body)).toBe(200);
    const relinked = await linkOk(circleId, event.id);
    expect(relinked.warning).toBeUndefined();
    expect(relinked.jobId).toEqual(expect.any(String));
    await stack.runner.runDue();
    expect((await job(relinked.jobId!)).status).toBe("succeeded");
    const meeting = meetingOf(event.id);
    expect([meeting.allowRecording, meeting.allowTranscription]).toEqual([false, false]);
    const chat = await chatOf(meeting.threadId);
    expect([chat.installedApps.length, chat.tabs.length, chat.messages.length]).toEqual([1, 1, 1]);
  });

  it("answers 404 to someone outside the circle and records nothing", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan], { cadence: "monthly", sessionCount: 4 });
    const event = await appointmentFromThePane(lee.userPrincipalName, { circleId, attendees: [megan.userPrincipalName] });
    const res = await link(lee, circleId, event.id);
    expect(res.status).toBe(404);
    expect(ErrorSchema.parse(res.body).error.code).toBe("not_found");
    expect(await engine.db.selectFrom("circle_series").selectAll().where("circle_id", "=", circleId).executeTakeFirst()).toBeUndefined();
  });

  it("lets only the circle's organiser link, and only a meeting they organise", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan], { cadence: "monthly", sessionCount: 4 });
    const event = await appointmentFromThePane(priya.userPrincipalName, { circleId, attendees: [megan.userPrincipalName] });
    const copies = z.object({ value: z.array(z.object({ id: z.string() })) }).parse((await graph(megan.userPrincipalName, "GET", `/me/events?$filter=iCalUId eq '${event.iCalUId}'`)).body);
    const megansCopy = copies.value[0]!.id;

    // Megan is a member, not the circle's organiser: neither her copy nor Priya's id will do.
    for (const id of [megansCopy, event.id]) {
      const asMember = await link(megan, circleId, id);
      expect(asMember.status).toBe(403);
      expect(ErrorSchema.parse(asMember.body).error.message).toMatch(/Only the circle's organiser/);
    }

    // Priya organises the circle, but Lee organises this meeting: her copy is refused.
    const leesMeeting = await appointmentFromThePane(lee.userPrincipalName, { circleId, attendees: [priya.userPrincipalName] });
    const priyasCopy = z.object({ value: z.array(z.object({ id: z.string() })) }).parse((await graph(priya.userPrincipalName, "GET", `/me/events?$filter=iCalUId eq '${leesMeeting.iCalUId}'`)).body).value[0]!.id;
    const asAttendee = await link(priya, circleId, priyasCopy);
    expect(asAttendee.status).toBe(403);
    expect(ErrorSchema.parse(asAttendee.body).error.message).toMatch(/organises this meeting/);

    // An id from someone else's mailbox isn't in hers.
    const notHers = await link(priya, circleId, leesMeeting.id);
    expect(notHers.status).toBe(404);
    expect(ErrorSchema.parse(notHers.body).error.message).toMatch(/isn't in your Outlook calendar/);
    expect(await engine.db.selectFrom("circle_series").selectAll().where("circle_id", "=", circleId).executeTakeFirst()).toBeUndefined();
  });

  it("answers 409 when the circle already has a series, and links the same appointment again without change", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan], { cadence: "monthly", sessionCount: 4 });
    const first = await appointmentFromThePane(priya.userPrincipalName, { circleId, attendees: [megan.userPrincipalName] });
    expect((await link(priya, circleId, first.id)).status).toBe(200);

    const again = await link(priya, circleId, first.id);
    expect(again.status).toBe(200);
    expect(DetailSchema.parse(again.body).series?.eventId).toBe(first.id);

    const second = await appointmentFromThePane(priya.userPrincipalName, { circleId, attendees: [megan.userPrincipalName] });
    const res = await link(priya, circleId, second.id);
    expect(res.status).toBe(409);
    expect(ErrorSchema.parse(res.body).error).toMatchObject({ code: "conflict", message: expect.stringMatching(/already has a series in Outlook.*cancel the circle's series first/) });
    expect((await circleAs(priya, circleId)).series?.eventId).toBe(first.id);
  });

  it("refuses appointments that aren't this circle's recurring session", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan], { cadence: "monthly", sessionCount: 4 });
    const otherCircleId = await seedCircle(engine.db, priya, [alex], { cadence: "monthly", sessionCount: 4 });

    const unmarked = await appointmentFromThePane(priya.userPrincipalName, { attendees: [megan.userPrincipalName] });
    const res1 = await link(priya, circleId, unmarked.id);
    expect(res1.status).toBe(400);
    expect(ErrorSchema.parse(res1.body).error.message).toMatch(/isn't marked for this circle/);

    const forOther = await appointmentFromThePane(priya.userPrincipalName, { circleId: otherCircleId, attendees: [alex.userPrincipalName] });
    const res2 = await link(priya, circleId, forOther.id);
    expect(res2.status).toBe(409);
    expect(ErrorSchema.parse(res2.body).error.message).toMatch(/session of another circle/);

    const oneOff = await appointmentFromThePane(priya.userPrincipalName, { circleId, recurring: false, attendees: [megan.userPrincipalName] });
    const res3 = await link(priya, circleId, oneOff.id);
    expect(res3.status).toBe(400);
    expect(ErrorSchema.parse(res3.body).error.message).toMatch(/doesn't repeat/);

    const bad = await link(priya, circleId, "");
    expect(bad.status).toBe(400);
    expect(await engine.db.selectFrom("circle_series").selectAll().where("circle_id", "=", circleId).executeTakeFirst()).toBeUndefined();
  });
});
