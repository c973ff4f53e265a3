import request from "supertest";
import type express from "express";
import { beforeEach, describe, expect, it } from "vitest";
import { createCalendarModule } from "../../../../sandbox/graph/calendar/routes";
import { findSeedPerson } from "../../../../sandbox/seed/people";
import { fakeContext, mountCalendar, type FakeContext } from "./fake-context";

const MEGAN = "megan.bowen@contoso.example";
const PRIYA = "priya.raman@contoso.example";
const LEE = "lee.gu@contoso.example";

/** An Outlook add-in's custom properties: one JSON string in PS_PUBLIC_STRINGS, named cecp-<add-in id>. */
const CECP = "String {00020329-0000-0000-C000-000000000046} Name cecp-5c1c0c1e-c1c1-4c1c-9c1c-c0ac41c1e5c5";
const OTHER = "String {00020329-0000-0000-C000-000000000046} Name cecp-someone-else";

const appointment = (extra: object = {}) => ({
  subject: "Coaching circle",
  start: { dateTime: "2026-03-10T15:00:00", timeZone: "GMT Standard Time" },
  end: { dateTime: "2026-03-10T16:00:00", timeZone: "GMT Standard Time" },
  recurrence: { pattern: { type: "relativeMonthly", interval: 1, daysOfWeek: ["tuesday"], index: "second" }, range: { type: "numbered", startDate: "2026-03-10", numberOfOccurrences: 4 } },
  attendees: [{ type: "required", emailAddress: { address: PRIYA } }],
  isOnlineMeeting: true,
  onlineMeetingProvider: "teamsForBusiness",
  ...extra,
});

describe("sandbox calendar: single-value extended properties and invitation changes", () => {
  let ctx: FakeContext;
  let app: express.Express;
  const as = (upn: string) => ({
    get: (path: string) => request(app).get(path).set("x-test-caller", upn),
    post: (path: string, body: object) => request(app).post(path).set("x-test-caller", upn).send(body),
    patch: (path: string, body: object) => request(app).patch(path).set("x-test-caller", upn).send(body),
  });
  const expandCecp = `$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${CECP}')`)}`;

  beforeEach(() => {
    ctx = fakeContext("2026-03-01T12:00:00Z");
    app = mountCalendar(createCalendarModule(ctx, { seed: false }));
  });

  it("stores an add-in's custom properties and returns them only when expanded by id", async () => {
    const created = await as(MEGAN).post("/v1.0/me/events", appointment({ singleValueExtendedProperties: [{ id: CECP, value: '{"coachingCircleId":"c-1"}' }, { id: OTHER, value: "{}" }] }));
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty("singleValueExtendedProperties");

    const read = await as(MEGAN).get(`/v1.0/me/events/${encodeURIComponent(created.body.id)}?$select=id,subject&${expandCecp}`);
    expect(read.status).toBe(200);
    expect(read.body.singleValueExtendedProperties).toEqual([{ id: CECP, value: '{"coachingCircleId":"c-1"}' }]);

    // With our open extension in the same $expand, as the API asks for both.
    const both = await as(MEGAN).get(
      `/v1.0/me/events/${encodeURIComponent(created.body.id)}?$expand=${encodeURIComponent(`extensions($filter=id eq 'Microsoft.OutlookServices.OpenTypeExtension.com.coachingcircles.series'),singleValueExtendedProperties($filter=id eq '${CECP.toLowerCase()}')`)}`,
    );
    expect(both.status).toBe(200);
    expect(both.body.extensions).toEqual([]);
    expect(both.body.singleValueExtendedProperties).toEqual([{ id: CECP, value: '{"coachingCircleId":"c-1"}' }]);

    // Personal to the mailbox: the attendee's copy doesn't carry the organiser's properties.
    const copies = await as(PRIYA).get(`/v1.0/me/events?${expandCecp}`);
    expect(copies.body.value).toHaveLength(1);
    expect(copies.body.value[0]).not.toHaveProperty("singleValueExtendedProperties");
  });

  it("updates a property with PATCH and refuses ids Graph can't parse or an unfiltered expand", async () => {
    const created = await as(MEGAN).post("/v1.0/me/events", appointment());
    const path = `/v1.0/me/events/${encodeURIComponent(created.body.id)}`;
    expect((await as(MEGAN).patch(path, { singleValueExtendedProperties: [{ id: CECP, value: '{"coachingCircleId":"c-2"}' }] })).status).toBe(200);
    expect((await as(MEGAN).get(`${path}?${expandCecp}`)).body.singleValueExtendedProperties).toEqual([{ id: CECP, value: '{"coachingCircleId":"c-2"}' }]);

    expect((await as(MEGAN).patch(path, { singleValueExtendedProperties: [{ id: "cecp-no-type-or-guid", value: "x" }] })).status).toBe(400);
    expect((await as(MEGAN).get(`${path}?$expand=singleValueExtendedProperties`)).status).toBe(400);
  });

  it("tells the meetings who is invited when the organiser changes the attendees of an online meeting", async () => {
    const created = await as(MEGAN).post("/v1.0/me/events", appointment());
    const path = `/v1.0/me/events/${encodeURIComponent(created.body.id)}`;
    await as(MEGAN).patch(path, { subject: "Coaching pair" });
    expect(ctx.attendeeChanges).toEqual([]);
    await as(MEGAN).patch(path, { attendees: [PRIYA, LEE, "guest@fabrikam.example"].map((address) => ({ type: "required", emailAddress: { address } })) });
    // Directory people only: the sandbox roster holds people of the tenant, not outside guests.
    expect(ctx.attendeeChanges).toEqual([{ eventId: created.body.id, attendeeIds: [findSeedPerson(PRIYA)!.id, findSeedPerson(LEE)!.id] }]);
  });
});
