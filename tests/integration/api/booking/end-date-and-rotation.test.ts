import { expect, it } from "vitest";
import { DateTime } from "luxon";
import { z } from "zod";
import { forEachEngine } from "../../../fixtures/engines";
import type { SeedPerson } from "../../../../sandbox/seed/people";
import { api, nextSlot, person, seedCircle, type BookingStack, useBookingStack } from "./booking-stack";

/**
 * Issue #3, the last two parts, against the sandbox: a circle that ends on a date is booked with
 * an end-date range, and a rotation is booked as ONE recurring Teams meeting whose alternate
 * sessions are occurrence exceptions — as every attendee's calendar shows them.
 */

const JobSchema = z.object({
  status: z.string(),
  progress: z.object({ done: z.number(), total: z.number() }),
  steps: z.array(z.object({ name: z.string(), status: z.string() })),
});
const DetailSchema = z.object({
  sessionCount: z.number(),
  endsOn: z.string().nullable(),
  series: z
    .object({
      eventId: z.string(),
      chatId: z.string().nullable(),
      occurrences: z.array(z.object({ id: z.string(), start: z.string(), end: z.string(), status: z.string(), alternate: z.boolean().optional() })),
    })
    .optional(),
});
const GraphEventSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  subject: z.string().nullish(),
  start: z.object({ dateTime: z.string(), timeZone: z.string() }),
  seriesMasterId: z.string().nullish(),
  iCalUId: z.string().nullish(),
  recurrence: z.looseObject({ range: z.looseObject({ type: z.string(), endDate: z.string().nullish(), numberOfOccurrences: z.number().nullish() }) }).nullish(),
});

const priya = person("priya.raman");
const megan = person("megan.bowen");
const alex = person("alex.wilber");

forEachEngine((engine) => {
  let stack!: BookingStack;
  useBookingStack(engine, (started) => (stack = started));

  async function graphGet(who: SeedPerson, path: string): Promise<unknown> {
    const token = await stack.sandbox.sandbox.identity.graphToken(who.userPrincipalName);
    const res = await fetch(`${stack.sandbox.url}/v1.0${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status, path).toBe(200);
    return res.json();
  }

  /** The organiser's series master of the circle's meeting (by the chat-free route: the event id we stored). */
  async function master(eventId: string) {
    return GraphEventSchema.parse(await graphGet(priya, `/me/events/${encodeURIComponent(eventId)}`));
  }

  /** What `who` sees of the meeting in their own calendar: every session's start, as UTC instants. */
  async function sessionsSeenBy(who: SeedPerson, iCalUId: string, from: string, to: string): Promise<number[]> {
    // Every page: seeded calendars are busy.
    const events: Array<z.infer<typeof GraphEventSchema>> = [];
    let path: string | undefined = `/me/calendarView?startDateTime=${from}&endDateTime=${to}&$top=200`;
    while (path) {
      const page = z.object({ value: z.array(GraphEventSchema), "@odata.nextLink": z.string().optional() }).parse(await graphGet(who, path));
      events.push(...page.value);
      path = page["@odata.nextLink"]?.replace(/^.*\/v1\.0/, "");
    }
    const masters = z.object({ value: z.array(GraphEventSchema) }).parse(await graphGet(who, `/me/events?$filter=${encodeURIComponent(`iCalUId eq '${iCalUId}'`)}`));
    const masterId = masters.value[0]?.id;
    expect(masterId, `${who.displayName} has the series`).toBeDefined();
    return events
      .filter((e) => e.seriesMasterId === masterId && e.isCancelled !== true)
      .map((e) => Date.parse(`${e.start.dateTime.slice(0, 19)}Z`))
      .sort((a, b) => a - b);
  }

  async function bookAndRun(circleId: string, body: Record<string, unknown>) {
    const res = await api(stack).post(await stack.token(priya), `/api/circles/${circleId}/booking`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const jobId = z.object({ jobId: z.string() }).parse(res.body).jobId;
    await stack.runner.runDue();
    return jobId;
  }

  async function job(jobId: string) {
    return JobSchema.parse((await api(stack).get(await stack.token(priya), `/api/jobs/${jobId}`)).body);
  }

  async function detail(circleId: string, who: SeedPerson = priya) {
    const res = await api(stack).get(await stack.token(who), `/api/circles/${circleId}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return DetailSchema.parse(res.body);
  }

  it("books a circle that ends on a date with an end-date range: sessions keep 15:00 London across DST and stop on the date", async () => {
    const start = nextSlot();
    const startDay = DateTime.fromISO(start, { setZone: true });
    // A Monday, 24 weeks on: weekly sessions on Tuesdays, the last one the day before. Any 24 weeks cross a DST change.
    const endsOn = startDay.plus({ weeks: 24, days: -1 }).toFormat("yyyy-MM-dd");
    const circleId = await seedCircle(engine.db, priya, [megan, alex], { cadence: "weekly", endsOn, sessionCount: 30 });
    const jobId = await bookAndRun(circleId, { start, timeZone: "Europe/London" });
    expect((await job(jobId)).status).toBe("succeeded");

    const read = await detail(circleId);
    expect(read.endsOn).toBe(endsOn);
    // The estimate stored at creation becomes the booked series' count.
    expect(read.sessionCount).toBe(24);
    const series = await master(read.series!.eventId);
    expect(series.recurrence?.range).toMatchObject({ type: "endDate", endDate: endsOn });
    expect(series.recurrence?.range.numberOfOccurrences ?? 0).toBe(0);

    const occurrences = read.series!.occurrences;
    expect(occurrences).toHaveLength(24);
    const local = occurrences.map((o) => DateTime.fromISO(o.start, { zone: "Europe/London" }));
    expect(local.every((d) => d.toFormat("HH:mm") === "15:00" && d.weekday === 2)).toBe(true);
    expect(local.at(-1)!.toFormat("yyyy-MM-dd") <= endsOn).toBe(true);
    // DST: the offset in the ISO strings changes during the series, the wall clock does not.
    expect(new Set(occurrences.map((o) => o.start.slice(19))).size).toBe(2);

    // An attendee's calendar has the same 24 sessions, none after the end date.
    const seen = await sessionsSeenBy(megan, series.iCalUId!, startDay.minus({ days: 1 }).toUTC().toISO()!, startDay.plus({ weeks: 30 }).toUTC().toISO()!);
    expect(seen).toEqual(occurrences.map((o) => Date.parse(o.start)));
  });

  it("refuses a first session after the circle's end date, and books nothing", async () => {
    const start = nextSlot();
    const endsOn = DateTime.fromISO(start, { setZone: true }).minus({ days: 1 }).toFormat("yyyy-MM-dd");
    const circleId = await seedCircle(engine.db, priya, [megan], { cadence: "weekly", endsOn });
    const res = await api(stack).post(await stack.token(priya), `/api/circles/${circleId}/booking`, { start, timeZone: "Europe/London" });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: "bad_request" } });
    expect((await detail(circleId)).series).toBeUndefined();
  });

  /** A rotation of Tue 15:00 and Thu 08:00 London, every two weeks: sessions 1, 3, 5 on Thursdays. */
  function rotationBody() {
    const start = nextSlot();
    const thursday = DateTime.fromISO(start, { setZone: true }).setZone("Europe/London").plus({ weeks: 2, days: 2 }).set({ hour: 8, minute: 0 });
    return { start, timeZone: "Europe/London", rotation: { starts: [start, thursday.toISO({ suppressMilliseconds: true })!] } };
  }

  it("books a rotation as one Teams meeting whose alternate sessions every attendee sees at the other time", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan, alex], { cadence: "biweekly", sessionCount: 6 });
    const jobId = await bookAndRun(circleId, rotationBody());
    const done = await job(jobId);
    expect(done.status).toBe("succeeded");
    expect(done.steps.map((s) => s.name)).toEqual(["category", "series", "rotation", "meeting", "recording", "app", "tab", "welcome"]);
    expect(done.progress).toEqual({ done: 8, total: 8 });

    const read = await detail(circleId, megan);
    const occurrences = read.series!.occurrences;
    const localTimes = occurrences.map((o) => DateTime.fromISO(o.start, { zone: "Europe/London" }).toFormat("ccc HH:mm"));
    expect(localTimes).toEqual(["Tue 15:00", "Thu 08:00", "Tue 15:00", "Thu 08:00", "Tue 15:00", "Thu 08:00"]);
    expect(occurrences.map((o) => o.alternate === true)).toEqual([false, true, false, true, false, true]);

    // One meeting: one online meeting, one chat.
    const meetings = stack.sandbox.sandbox.meetings.list().filter((m) => m.eventId === read.series!.eventId);
    expect(meetings).toHaveLength(1);
    const series = await master(read.series!.eventId);
    expect(series.recurrence?.range).toMatchObject({ type: "numbered", numberOfOccurrences: 6 });

    const first = DateTime.fromISO(occurrences[0]!.start);
    const window = [first.minus({ days: 1 }).toUTC().toISO()!, first.plus({ weeks: 12 }).toUTC().toISO()!] as const;
    for (const who of [priya, megan, alex]) {
      expect(await sessionsSeenBy(who, series.iCalUId!, ...window), who.displayName).toEqual(occurrences.map((o) => Date.parse(o.start)));
    }
  });

  it("booking the rotation twice changes nothing", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan], { cadence: "biweekly", sessionCount: 4 });
    const body = rotationBody();
    const first = await bookAndRun(circleId, body);
    const before = (await detail(circleId)).series!;
    const second = await bookAndRun(circleId, body);
    expect(second).toBe(first);
    const after = (await detail(circleId)).series!;
    expect(after).toEqual(before);
    expect(stack.sandbox.sandbox.meetings.list().filter((m) => m.eventId === before.eventId)).toHaveLength(1);
  });

  it("resumes a rotation step that Graph failed, moving only the sessions not moved yet", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan, alex], { cadence: "biweekly", sessionCount: 6 });
    // Three PATCHes in one $batch: the first round fails all three, the client's one retry fails one more.
    stack.sandbox.sandbox.faults.add({ match: { method: "PATCH", path: "/events/" }, status: 503, times: 4 });
    const jobId = await bookAndRun(circleId, rotationBody());
    const failed = await job(jobId);
    expect(failed.status).toBe("queued");
    expect(failed.steps.find((s) => s.name === "rotation")?.status).toBe("failed");
    expect(failed.steps.find((s) => s.name === "meeting")?.status).toBe("pending");
    const partly = (await detail(circleId)).series!.occurrences;
    expect(partly.filter((o) => o.alternate)).toHaveLength(2);

    stack.advance(15_000);
    await stack.runner.runDue();
    expect((await job(jobId)).status).toBe("succeeded");
    const occurrences = (await detail(circleId)).series!.occurrences;
    expect(occurrences.map((o) => o.alternate === true)).toEqual([false, true, false, true, false, true]);
    expect(occurrences.filter((o) => o.status === "moved")).toHaveLength(3);
  });

  it("refuses a rotation whose first slot is not the start, or whose slots are out of order", async () => {
    const circleId = await seedCircle(engine.db, priya, [megan], { cadence: "biweekly", sessionCount: 4 });
    const body = rotationBody();
    const client = api(stack);
    const token = await stack.token(priya);
    const wrongFirst = await client.post(token, `/api/circles/${circleId}/booking`, { ...body, rotation: { starts: [body.rotation.starts[1], body.rotation.starts[0]] } });
    expect(wrongFirst.status).toBe(400);
    const tooMany = await client.post(token, `/api/circles/${circleId}/booking`, { ...body, rotation: { starts: [body.start, body.start, body.start, body.start] } });
    expect(tooMany.status).toBe(400);
    expect((await detail(circleId)).series).toBeUndefined();
  });
});
