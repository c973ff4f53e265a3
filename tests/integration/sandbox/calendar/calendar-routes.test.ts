import { beforeEach, describe, expect, it } from "vitest";
import request from "supertest";
import type express from "express";
import { createCalendarModule } from "../../../../sandbox/graph/calendar/routes";
import { findSeedPerson } from "../../../../sandbox/seed/people";
import type { FakeContext } from "./fake-context";
import { fakeContext, mountCalendar } from "./fake-context";

const MEGAN = "megan.bowen@contoso.example"; // London, organizer
const PRIYA = "priya.raman@contoso.example"; // Kolkata
const LEE = "lee.gu@contoso.example"; // Los Angeles
const id = (upn: string) => findSeedPerson(upn)?.id ?? "";

interface GraphEvent {
  id: string;
  type: string;
  subject: string;
  iCalUId: string;
  seriesMasterId: string | null;
  originalStart?: string;
  isCancelled: boolean;
  isOrganizer: boolean;
  showAs: string;
  categories: string[];
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  responseStatus: { response: string; time: string };
  organizer: { emailAddress: { address: string } };
  attendees: { emailAddress: { address: string }; status: { response: string } }[];
  onlineMeeting: { joinUrl: string } | null;
  isOnlineMeeting: boolean;
  transactionId: string | null;
  extensions?: Record<string, unknown>[];
}

/** Every other Tuesday 09:00 London from 3 March 2026, ten times, with two colleagues and a guest. */
function fortnightlySeries(transactionId: string) {
  return {
    subject: "Coaching circle",
    body: { contentType: "html", content: "<p>Our <b>circle</b> meets.</p>" },
    start: { dateTime: "2026-03-03T09:00:00", timeZone: "GMT Standard Time" },
    end: { dateTime: "2026-03-03T10:00:00", timeZone: "GMT Standard Time" },
    recurrence: {
      pattern: { type: "weekly", interval: 2, daysOfWeek: ["tuesday"], firstDayOfWeek: "sunday" },
      range: { type: "numbered", startDate: "2026-03-03", numberOfOccurrences: 10 },
    },
    attendees: [
      { type: "required", emailAddress: { address: PRIYA, name: "Priya Raman" } },
      { type: "required", emailAddress: { address: LEE } },
      { type: "optional", emailAddress: { address: "guest@fabrikam.example", name: "Guest" } },
    ],
    isOnlineMeeting: true,
    onlineMeetingProvider: "teamsForBusiness",
    showAs: "busy",
    categories: ["Coaching Circles"],
    transactionId,
    extensions: [{ "@odata.type": "microsoft.graph.openTypeExtension", extensionName: "com.contoso.coachingCircles", circleId: "c-42" }],
  };
}

describe("sandbox calendar routes", () => {
  let ctx: FakeContext;
  let app: express.Express;
  const as = (upn: string) => ({
    get: (path: string) => request(app).get(path).set("x-test-caller", upn),
    post: (path: string, body?: object) => request(app).post(path).set("x-test-caller", upn).send(body ?? {}),
    patch: (path: string, body: object) => request(app).patch(path).set("x-test-caller", upn).send(body),
    delete: (path: string) => request(app).delete(path).set("x-test-caller", upn),
  });
  const view = async (upn: string, from: string, to: string, prefer?: string): Promise<GraphEvent[]> => {
    let req = as(upn).get(`/v1.0/me/calendarView?startDateTime=${from}&endDateTime=${to}&$top=100`);
    if (prefer) req = req.set("Prefer", prefer);
    const res = await req;
    expect(res.status).toBe(200);
    return res.body.value as GraphEvent[];
  };
  const createSeries = async () => {
    const res = await as(MEGAN).post("/v1.0/me/events", fortnightlySeries("tx-circle-1"));
    expect(res.status).toBe(201);
    return res.body as GraphEvent;
  };

  beforeEach(() => {
    ctx = fakeContext("2026-03-01T12:00:00Z");
    app = mountCalendar(createCalendarModule(ctx, { seed: false }));
  });

  it("creates a series once when the same transactionId is posted twice", async () => {
    const first = await createSeries();
    const second = await as(MEGAN).post("/v1.0/me/events", fortnightlySeries("tx-circle-1"));
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.id);
    expect(first.type).toBe("seriesMaster");
    expect(first.transactionId).toBe("tx-circle-1");
    expect(first.isOnlineMeeting).toBe(true);
    expect(first.onlineMeeting?.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    expect(ctx.createdMeetings).toHaveLength(1);
    const list = await as(MEGAN).get("/v1.0/me/events");
    expect(list.body.value.filter((e: GraphEvent) => e.subject === "Coaching circle")).toHaveLength(1);
    // And the same transactionId from another mailbox is a different event.
    const other = await as(LEE).post("/v1.0/me/events", { ...fortnightlySeries("tx-circle-1"), attendees: [] });
    expect(other.body.id).not.toBe(first.id);
  });

  it("shows 09:00 London on both sides of the late-March BST switch", async () => {
    await createSeries();
    const london = await view(MEGAN, "2026-03-10T00:00:00Z", "2026-04-21T00:00:00Z", 'outlook.timezone="GMT Standard Time"');
    expect(london.map((e) => e.start.dateTime)).toEqual(["2026-03-17T09:00:00.0000000", "2026-03-31T09:00:00.0000000", "2026-04-14T09:00:00.0000000"]);
    expect(london.every((e) => e.start.timeZone === "GMT Standard Time" && e.type === "occurrence")).toBe(true);
    const utc = await view(MEGAN, "2026-03-10T00:00:00Z", "2026-04-21T00:00:00Z");
    expect(utc.map((e) => e.start.dateTime)).toEqual(["2026-03-17T09:00:00.0000000", "2026-03-31T08:00:00.0000000", "2026-04-14T08:00:00.0000000"]);
    expect(utc[0]?.start.timeZone).toBe("UTC");
  });

  it("answers Prefer outlook.timezone with Preference-Applied, for Windows and IANA names", async () => {
    const series = await createSeries();
    const la = await as(MEGAN).get(`/v1.0/me/events/${series.id}`).set("Prefer", 'outlook.timezone="America/Los_Angeles"');
    expect(la.headers["preference-applied"]).toBe('outlook.timezone="America/Los_Angeles"');
    expect(la.body.start).toEqual({ dateTime: "2026-03-03T01:00:00.0000000", timeZone: "America/Los_Angeles" });
    const india = await as(MEGAN).get(`/v1.0/me/events/${series.id}`).set("Prefer", 'outlook.timezone="India Standard Time"');
    expect(india.body.start.dateTime).toBe("2026-03-03T14:30:00.0000000");
    const plain = await as(MEGAN).get(`/v1.0/me/events/${series.id}`);
    expect(plain.headers["preference-applied"]).toBeUndefined();
    expect(plain.body.start.timeZone).toBe("UTC");
  });

  it("puts a copy in each directory attendee's mailbox with the same iCalUId", async () => {
    const series = await createSeries();
    for (const upn of [PRIYA, LEE]) {
      const events = (await as(upn).get("/v1.0/me/events")).body.value as GraphEvent[];
      expect(events).toHaveLength(1);
      const copy = events[0];
      expect(copy?.iCalUId).toBe(series.iCalUId);
      expect(copy?.id).not.toBe(series.id);
      expect(copy?.isOrganizer).toBe(false);
      expect(copy?.responseStatus.response).toBe("notResponded");
      expect(copy?.organizer.emailAddress.address).toBe(MEGAN);
      expect(copy?.showAs).toBe("tentative");
      expect(copy?.onlineMeeting?.joinUrl).toBe(series.onlineMeeting?.joinUrl);
      // Categories and open extensions are the organizer's own.
      expect(copy?.categories).toEqual([]);
    }
    const priyaView = await view(PRIYA, "2026-03-01T00:00:00Z", "2026-03-20T00:00:00Z", 'outlook.timezone="India Standard Time"');
    expect(priyaView.map((e) => e.start.dateTime)).toEqual(["2026-03-03T14:30:00.0000000", "2026-03-17T14:30:00.0000000"]);
    expect(ctx.changes.filter((c) => c.changeType === "created").map((c) => c.userId).sort()).toEqual([id(MEGAN), id(PRIYA), id(LEE)].sort());
  });

  it("moves one occurrence: an exception for the organizer and every attendee", async () => {
    await createSeries();
    const [occurrence] = (await view(MEGAN, "2026-03-31T00:00:00Z", "2026-04-01T00:00:00Z")) as [GraphEvent];
    expect(occurrence.type).toBe("occurrence");
    const moved = await as(MEGAN).patch(`/v1.0/me/events/${occurrence.id}`, {
      start: { dateTime: "2026-04-01T11:00:00", timeZone: "GMT Standard Time" },
      end: { dateTime: "2026-04-01T12:00:00", timeZone: "GMT Standard Time" },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.type).toBe("exception");
    expect(moved.body.id).toBe(occurrence.id);
    expect(moved.body.originalStart).toBe("2026-03-31T08:00:00Z");

    const organizer = await view(MEGAN, "2026-03-30T00:00:00Z", "2026-04-03T00:00:00Z", 'outlook.timezone="GMT Standard Time"');
    expect(organizer.map((e) => [e.type, e.start.dateTime])).toEqual([["exception", "2026-04-01T11:00:00.0000000"]]);
    for (const upn of [PRIYA, LEE]) {
      const theirs = await view(upn, "2026-03-30T00:00:00Z", "2026-04-03T00:00:00Z");
      expect(theirs.map((e) => [e.type, e.start.dateTime, e.originalStart])).toEqual([["exception", "2026-04-01T10:00:00.0000000", "2026-03-31T08:00:00Z"]]);
    }
    // Reading the exception by the id of the occurrence it replaced.
    const again = await as(MEGAN).get(`/v1.0/me/events/${occurrence.id}`);
    expect(again.body.start.dateTime).toBe("2026-04-01T10:00:00.0000000");
    expect(ctx.changes.filter((c) => c.changeType === "updated").map((c) => c.userId)).toEqual(expect.arrayContaining([id(MEGAN), id(PRIYA), id(LEE)]));
  });

  it("cancels one occurrence: gone for the organizer, marked cancelled for attendees", async () => {
    await createSeries();
    const [occurrence] = (await view(MEGAN, "2026-04-14T00:00:00Z", "2026-04-15T00:00:00Z")) as [GraphEvent];
    const cancel = await as(MEGAN).post(`/v1.0/me/events/${occurrence.id}/cancel`, { comment: "Bank holiday week" });
    expect(cancel.status).toBe(202);
    expect(await view(MEGAN, "2026-04-14T00:00:00Z", "2026-04-15T00:00:00Z")).toEqual([]);
    expect((await as(MEGAN).get(`/v1.0/me/events/${occurrence.id}`)).status).toBe(404);
    const priya = await view(PRIYA, "2026-04-14T00:00:00Z", "2026-04-15T00:00:00Z");
    expect(priya).toHaveLength(1);
    expect(priya[0]?.isCancelled).toBe(true);
    // The rest of the series is untouched.
    expect(await view(MEGAN, "2026-03-01T00:00:00Z", "2026-05-01T00:00:00Z")).toHaveLength(4);
  });

  it("cancels the series: the organizer's copy is removed, attendees' copies are cancelled", async () => {
    const series = await createSeries();
    const priyaCopy = ((await as(PRIYA).get("/v1.0/me/events")).body.value as GraphEvent[])[0];
    expect((await as(PRIYA).post(`/v1.0/me/events/${priyaCopy?.id}/cancel`, {})).status).toBe(403);
    const res = await as(MEGAN).post(`/v1.0/me/events/${series.id}/cancel`, { comment: "Circle closed" });
    expect(res.status).toBe(202);
    expect((await as(MEGAN).get(`/v1.0/me/events/${series.id}`)).status).toBe(404);
    const copy = (await as(PRIYA).get(`/v1.0/me/events/${priyaCopy?.id}`)).body as GraphEvent;
    expect(copy.isCancelled).toBe(true);
    expect(copy.subject).toBe("Canceled: Coaching circle");
    expect(ctx.endedMeetings).toEqual([series.id]);
    const slots = await view(PRIYA, "2026-03-01T00:00:00Z", "2026-05-01T00:00:00Z");
    expect(slots.every((e) => e.isCancelled)).toBe(true);
  });

  it("records attendee answers on the organizer's event and keeps organizer fields read-only", async () => {
    const series = await createSeries();
    const priyaCopy = ((await as(PRIYA).get("/v1.0/me/events")).body.value as GraphEvent[])[0];
    expect((await as(PRIYA).post(`/v1.0/me/events/${priyaCopy?.id}/accept`, { sendResponse: true })).status).toBe(202);
    const organizer = (await as(MEGAN).get(`/v1.0/me/events/${series.id}`)).body as GraphEvent;
    expect(organizer.attendees.find((a) => a.emailAddress.address === PRIYA)?.status.response).toBe("accepted");
    expect(organizer.attendees.find((a) => a.emailAddress.address === LEE)?.status.response).toBe("none");
    const mine = (await as(PRIYA).get(`/v1.0/me/events/${priyaCopy?.id}`)).body as GraphEvent;
    expect(mine.responseStatus.response).toBe("accepted");
    expect(mine.showAs).toBe("busy");

    const denied = await as(PRIYA).patch(`/v1.0/me/events/${priyaCopy?.id}`, { subject: "My circle" });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe("ErrorAccessDenied");
    const personal = await as(PRIYA).patch(`/v1.0/me/events/${priyaCopy?.id}`, { categories: ["Growth"] });
    expect(personal.status).toBe(200);
    expect(personal.body.categories).toEqual(["Growth"]);

    // Declining takes the meeting out of the attendee's calendar.
    const leeCopy = ((await as(LEE).get("/v1.0/me/events")).body.value as GraphEvent[])[0];
    expect((await as(LEE).post(`/v1.0/me/events/${leeCopy?.id}/decline`, {})).status).toBe(202);
    expect((await as(LEE).get("/v1.0/me/events")).body.value).toEqual([]);
    const after = (await as(MEGAN).get(`/v1.0/me/events/${series.id}`)).body as GraphEvent;
    expect(after.attendees.find((a) => a.emailAddress.address === LEE)?.status.response).toBe("declined");
  });

  it("propagates a series move to attendees and drops earlier exceptions", async () => {
    const series = await createSeries();
    const [occurrence] = (await view(MEGAN, "2026-03-17T00:00:00Z", "2026-03-18T00:00:00Z")) as [GraphEvent];
    await as(MEGAN).patch(`/v1.0/me/events/${occurrence.id}`, { subject: "Special session" });
    const res = await as(MEGAN).patch(`/v1.0/me/events/${series.id}`, {
      start: { dateTime: "2026-03-03T15:00:00", timeZone: "GMT Standard Time" },
      end: { dateTime: "2026-03-03T16:00:00", timeZone: "GMT Standard Time" },
    });
    expect(res.status).toBe(200);
    const lee = await view(LEE, "2026-03-01T00:00:00Z", "2026-03-20T00:00:00Z", 'outlook.timezone="Pacific Standard Time"');
    expect(lee.map((e) => [e.start.dateTime, e.subject, e.type])).toEqual([
      ["2026-03-03T07:00:00.0000000", "Coaching circle", "occurrence"],
      ["2026-03-17T08:00:00.0000000", "Coaching circle", "occurrence"], // LA is already on PDT, London not yet
    ]);
  });

  it("lists instances of a series in a window and rejects a calendarView without one", async () => {
    const series = await createSeries();
    const res = await as(MEGAN).get(`/v1.0/me/events/${series.id}/instances?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-12-31T00:00:00Z&$top=50`);
    expect(res.status).toBe(200);
    expect(res.body.value).toHaveLength(10);
    expect(res.body.value.every((e: GraphEvent) => e.seriesMasterId === series.id)).toBe(true);
    const missing = await as(MEGAN).get("/v1.0/me/calendarView");
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe("ErrorInvalidParameter");
  });

  it("round-trips open extensions, from the create body and from POST …/extensions", async () => {
    const series = await createSeries();
    const extId = "Microsoft.OutlookServices.OpenTypeExtension.com.contoso.coachingCircles";
    const expanded = await as(MEGAN).get(`/v1.0/me/events/${series.id}?$expand=extensions($filter=id eq '${extId}')`);
    expect(expanded.body.extensions).toEqual([{ "@odata.type": "#microsoft.graph.openTypeExtension", id: extId, extensionName: "com.contoso.coachingCircles", circleId: "c-42" }]);
    const added = await as(MEGAN).post(`/v1.0/me/events/${series.id}/extensions`, { "@odata.type": "microsoft.graph.openTypeExtension", extensionName: "com.contoso.notes", note: "hi" });
    expect(added.status).toBe(201);
    expect(added.body.id).toBe("Microsoft.OutlookServices.OpenTypeExtension.com.contoso.notes");
    const duplicate = await as(MEGAN).post(`/v1.0/me/events/${series.id}/extensions`, { extensionName: "com.contoso.notes" });
    expect(duplicate.status).toBe(409);
    const onlyOne = await as(MEGAN).get(`/v1.0/me/events/${series.id}?$expand=extensions($filter=id eq '${extId}')`);
    expect(onlyOne.body.extensions).toHaveLength(1);
    const all = await as(MEGAN).get(`/v1.0/me/events/${series.id}/extensions`);
    expect(all.body.value).toHaveLength(2);
    // Occurrences carry the series' extensions, so a calendar view can find circle sessions.
    const found = await as(MEGAN).get(`/v1.0/me/calendarView?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-04-01T00:00:00Z&$expand=extensions($filter=id eq '${extId}')&$filter=extensions/any(e:e/id eq '${extId}')`);
    expect(found.body.value).toHaveLength(3);
    expect(found.body.value[0].extensions[0].circleId).toBe("c-42");
  });

  it("pages /events with @odata.nextLink, filters categories and selects fields", async () => {
    for (let i = 0; i < 12; i++) {
      const day = String(10 + i).padStart(2, "0");
      const res = await as(LEE).post("/v1.0/me/events", {
        subject: `One-off ${i}`,
        start: { dateTime: `2026-03-${day}T10:00:00`, timeZone: "Pacific Standard Time" },
        end: { dateTime: `2026-03-${day}T10:30:00`, timeZone: "Pacific Standard Time" },
        categories: i % 3 === 0 ? ["Coaching Circles"] : [],
      });
      expect(res.status).toBe(201);
    }
    const first = await as(LEE).get("/v1.0/me/events?$top=5&$select=subject,start");
    expect(first.body.value).toHaveLength(5);
    expect(Object.keys(first.body.value[0]).sort()).toEqual(["@odata.etag", "id", "start", "subject"]);
    const next = new URL(first.body["@odata.nextLink"] as string);
    const second = await as(LEE).get(next.pathname + next.search);
    expect(second.body.value).toHaveLength(5);
    const third = await as(LEE).get(new URL(second.body["@odata.nextLink"] as string).pathname + new URL(second.body["@odata.nextLink"] as string).search);
    expect(third.body.value).toHaveLength(2);
    expect(third.body["@odata.nextLink"]).toBeUndefined();
    const circles = await as(LEE).get("/v1.0/me/events?$filter=categories/any(c:c eq 'Coaching Circles')");
    expect(circles.body.value.map((e: GraphEvent) => e.subject)).toEqual(["One-off 0", "One-off 3", "One-off 6", "One-off 9"]);
    const defaultPage = await as(LEE).get("/v1.0/me/events");
    expect(defaultPage.body.value).toHaveLength(10);
  });

  it("keeps delegated callers out of other people's calendars but lets app-only tokens in", async () => {
    await createSeries();
    const denied = await as(LEE).get(`/v1.0/users/${MEGAN}/events`);
    expect(denied.status).toBe(403);
    const app_ = await request(app).get(`/v1.0/users/${MEGAN}/events`).set("x-test-app-only", "1");
    expect(app_.status).toBe(200);
    expect(app_.body.value).toHaveLength(1);
  });

  it("rejects properties microsoft.graph.event does not have and unknown time zones", async () => {
    const typo = await as(MEGAN).post("/v1.0/me/events", { ...fortnightlySeries("tx-2"), startTime: "x" });
    expect(typo.status).toBe(400);
    const zone = await as(MEGAN).post("/v1.0/me/events", { ...fortnightlySeries("tx-3"), start: { dateTime: "2026-03-03T09:00:00", timeZone: "Mars Standard Time" } });
    expect(zone.status).toBe(400);
    expect(zone.body.error.code).toBe("TimeZoneNotSupportedException");
  });
});

describe("getSchedule", () => {
  let ctx: FakeContext;
  let app: express.Express;
  const schedule = (body: object) => request(app).post("/v1.0/me/calendar/getSchedule").set("x-test-caller", MEGAN).send(body);

  beforeEach(async () => {
    ctx = fakeContext("2026-03-01T12:00:00Z");
    app = mountCalendar(createCalendarModule(ctx, { seed: false }));
    const create = (upn: string, body: object) => request(app).post("/v1.0/me/events").set("x-test-caller", upn).send(body).expect(201);
    await create(PRIYA, { subject: "Design review", start: { dateTime: "2026-03-04T10:00:00", timeZone: "UTC" }, end: { dateTime: "2026-03-04T11:00:00", timeZone: "UTC" }, location: { displayName: "Room 4" } });
    await create(PRIYA, { subject: "Maybe", showAs: "tentative", start: { dateTime: "2026-03-04T11:30:00", timeZone: "UTC" }, end: { dateTime: "2026-03-04T12:00:00", timeZone: "UTC" } });
    await create(PRIYA, { subject: "Leave", showAs: "oof", isAllDay: true, start: { dateTime: "2026-03-05T00:00:00", timeZone: "India Standard Time" }, end: { dateTime: "2026-03-06T00:00:00", timeZone: "India Standard Time" } });
    void ctx;
  });

  it("builds availabilityView and scheduleItems in the requested time zone", async () => {
    const res = await schedule({
      schedules: [PRIYA, "nobody@contoso.example"],
      startTime: { dateTime: "2026-03-04T09:00:00", timeZone: "UTC" },
      endTime: { dateTime: "2026-03-04T13:00:00", timeZone: "UTC" },
      availabilityViewInterval: 30,
    });
    expect(res.status).toBe(200);
    const [priya, nobody] = res.body.value;
    expect(priya.scheduleId).toBe(PRIYA);
    expect(priya.availabilityView).toBe("00220100"); // 09:00…12:30 in half hours
    expect(priya.scheduleItems).toEqual([
      { isPrivate: false, status: "busy", subject: "Design review", location: "Room 4", start: { dateTime: "2026-03-04T10:00:00.0000000", timeZone: "UTC" }, end: { dateTime: "2026-03-04T11:00:00.0000000", timeZone: "UTC" } },
      { isPrivate: false, status: "tentative", subject: "Maybe", location: "", start: { dateTime: "2026-03-04T11:30:00.0000000", timeZone: "UTC" }, end: { dateTime: "2026-03-04T12:00:00.0000000", timeZone: "UTC" } },
    ]);
    expect(priya.workingHours).toEqual({ daysOfWeek: ["monday", "tuesday", "wednesday", "thursday", "friday"], startTime: "09:30:00.0000000", endTime: "18:00:00.0000000", timeZone: { name: "India Standard Time" } });
    expect(nobody.error.responseCode).toBe("ErrorMailRecipientNotFound");
    expect(nobody.availabilityView).toBe("");
  });

  it("shows an out-of-office day as 3 and answers in Pacific time when asked", async () => {
    const res = await schedule({
      Schedules: [PRIYA],
      StartTime: { dateTime: "2026-03-04T08:00:00", timeZone: "Pacific Standard Time" },
      EndTime: { dateTime: "2026-03-04T12:00:00", timeZone: "Pacific Standard Time" },
      availabilityViewInterval: 60,
    });
    expect(res.status).toBe(200);
    // 08:00 PST = 16:00Z; the IST all-day leave starts 18:30Z (10:30 PST).
    expect(res.body.value[0].availabilityView).toBe("0033");
    expect(res.body.value[0].scheduleItems[0].start).toEqual({ dateTime: "2026-03-04T10:30:00.0000000", timeZone: "Pacific Standard Time" });
  });

  it("enforces Graph's limits: 20 schedules, 62 days, 5–1440 minute intervals", async () => {
    const window = { startTime: { dateTime: "2026-03-04T00:00:00", timeZone: "UTC" }, endTime: { dateTime: "2026-03-05T00:00:00", timeZone: "UTC" } };
    const many = await schedule({ schedules: Array.from({ length: 21 }, (_, i) => `user${i}@contoso.example`), ...window });
    expect(many.status).toBe(400);
    expect(many.body.error.code).toBe("ErrorMailboxDataArrayTooBig");
    const long = await schedule({ schedules: [PRIYA], startTime: window.startTime, endTime: { dateTime: "2026-05-06T00:00:00", timeZone: "UTC" } });
    expect(long.status).toBe(400);
    expect(long.body.error.code).toBe("ErrorTimeIntervalTooBig");
    expect(long.body.error.message).toContain("62 days");
    const ok = await schedule({ schedules: [PRIYA], startTime: window.startTime, endTime: { dateTime: "2026-05-05T00:00:00", timeZone: "UTC" } });
    expect(ok.status).toBe(200);
    const tiny = await schedule({ schedules: [PRIYA], ...window, availabilityViewInterval: 4 });
    expect(tiny.status).toBe(400);
    expect(tiny.body.error.code).toBe("ErrorInvalidMergedFreeBusyInterval");
    const defaults = await schedule({ schedules: [PRIYA], ...window });
    expect(defaults.body.value[0].availabilityView).toHaveLength(48);
  });
});
