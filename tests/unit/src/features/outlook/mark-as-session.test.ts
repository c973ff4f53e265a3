import { describe, expect, it } from "vitest";
import { createAppointmentComposer } from "../../../../../src/host/office/appointment-composer";
import { OfficeError } from "../../../../../src/host/office/office-async";
import type { CircleDetail, Format } from "../../../../../src/lib/api-schemas";
import { markAsSession } from "../../../../../src/features/outlook/mark-as-session";
import type { SessionStep } from "../../../../../src/features/outlook/mark-as-session";
import { planSession } from "../../../../../src/features/outlook/session-plan";
import { computeOccurrences } from "../../../../../api/scheduling";
import { FakeAppointment, FakeSeriesTime } from "../../host/office/fake-appointment";
import { circleDetail, formats } from "../fake-api";

function setup() {
  const item = new FakeAppointment();
  const seriesTimes: FakeSeriesTime[] = [];
  const composer = createAppointmentComposer(item, {
    createSeriesTime: () => {
      const t = new FakeSeriesTime();
      seriesTimes.push(t);
      return t;
    },
  });
  return { item, composer, seriesTimes };
}

const circle = circleDetail({ name: "<b>Leads</b> & co", charter: ["Say <why>"] }) as CircleDetail;
const format = formats[0] as Format;

function plan(overrides: Partial<CircleDetail> = {}, start = new Date("2030-03-05T15:00:00Z"), zone = "Europe/London") {
  return planSession({ circle: { ...circle, ...overrides }, format, appointmentStart: start, organizerUpn: "priya.raman@contoso.example", organizerTimeZone: zone });
}

describe("making the draft appointment a coaching session (Office.js adapter)", () => {
  it("sets a neutral subject, the recurrence, the members, the escaped agenda, the category and the circle id, then saves", async () => {
    const { item, composer, seriesTimes } = setup();
    const steps: SessionStep[] = [];
    const itemId = await markAsSession(composer, plan(), (s) => steps.push(s));

    expect(itemId).toBe("AAMkAGI2/TG93+AAA=");
    expect(item.subjectText).toBe("Coaching circle");
    expect(item.recurrencePattern).toMatchObject({ recurrenceType: "weekly", recurrenceProperties: { interval: 2, days: ["tue"] } });
    // Six fortnightly sessions from 5 Mar: the last is 14 May; 15:00 London wall clock.
    expect(seriesTimes[0]).toMatchObject({ startDate: "2030-03-05", endDate: "2030-05-14", startTime: "15:00", durationMinutes: 60 });
    // The organiser isn't invited to their own meeting.
    expect(item.attendees).toEqual([
      { displayName: "Megan Bowen", emailAddress: "megan.bowen@contoso.example" },
      { displayName: "Alex Wilber", emailAddress: "alex.wilber@contoso.example" },
    ]);
    expect(item.bodyHtml).toContain("<h2>&lt;b&gt;Leads&lt;/b&gt; &amp; co</h2>");
    expect(item.bodyHtml).toContain("<li>Say &lt;why&gt;</li>");
    expect(item.bodyHtml).toContain("<li>check-in round — 8 min</li>");
    expect(item.bodyHtml).not.toContain("<b>");
    expect(item.categoryList).toEqual(["Coaching (protected)"]);
    expect(item.savedCustomProperties).toEqual({ coachingCircleId: "c1", coachingFormatId: "coaching-circle" });
    expect(steps).toEqual(["subject", "recurrence", "attendees", "agenda", "category", "properties", "save"]);
  });

  it("keeps a subject the organiser typed and the body they wrote", async () => {
    const { item, composer } = setup();
    item.subjectText = "Thursday sync";
    item.bodyHtml = "<p>Teams meeting link</p>";
    await markAsSession(composer, plan());
    expect(item.subjectText).toBe("Thursday sync");
    expect(item.bodyHtml.endsWith("<p>Teams meeting link</p>")).toBe(true);
  });

  it("writes the recurrence in the organiser's zone and fits the agenda to the session length", async () => {
    const { composer, seriesTimes, item } = setup();
    await markAsSession(composer, plan({ cadence: "weekly", sessionCount: 3, sessionMinutes: 30 }, new Date("2030-03-05T15:00:00Z"), "America/New_York"));
    expect(seriesTimes[0]).toMatchObject({ startDate: "2030-03-05", endDate: "2030-03-19", startTime: "10:00", durationMinutes: 30 });
    expect(item.bodyHtml).toContain("<li>check-in round — 4 min</li>");
  });

  it("makes a monthly circle's series on the same weekday of each month, on the dates the API books", async () => {
    const { item, composer } = setup();
    // Tue 12 Mar 2030 is the second Tuesday: six sessions, the second Tuesday of March to August.
    const monthly = plan({ cadence: "monthly" }, new Date("2030-03-12T15:00:00Z"));
    expect(monthly.recurrenceNote).toBeUndefined();
    await markAsSession(composer, monthly);
    expect(item.recurrencePattern).toMatchObject({ recurrenceType: "monthly", recurrenceProperties: { interval: 1, dayOfWeek: "tue", weekNumber: "second" } });
    const booked = computeOccurrences({ start: { date: "2030-03-12", time: "15:00", timeZone: "Europe/London" }, cadence: "monthly", sessionCount: 6, sessionMinutes: 60 });
    expect(item.recurrenceDates()).toEqual(booked.map((o) => o.date));
    expect(item.recurrenceDates()).toEqual(["2030-03-12", "2030-04-09", "2030-05-14", "2030-06-11", "2030-07-09", "2030-08-13"]);
  });

  it("keeps a monthly series on the last weekday when the appointment is on a fifth one, and says so", async () => {
    const { item, composer } = setup();
    // Fri 29 Mar 2030 is the fifth Friday; most months have four.
    const monthly = plan({ cadence: "monthly", sessionCount: 4 }, new Date("2030-03-29T10:00:00Z"));
    expect(monthly.recurrenceNote).toMatch(/fifth Friday.*last Friday of each month/);
    await markAsSession(composer, monthly);
    expect(item.recurrencePattern?.recurrenceProperties).toMatchObject({ dayOfWeek: "fri", weekNumber: "last" });
    expect(item.recurrenceDates()).toEqual(["2030-03-29", "2030-04-26", "2030-05-31", "2030-06-28"]);
  });

  it("uses the fourth weekday for days 22–28, as the API does", async () => {
    const { item, composer } = setup();
    // Tue 26 Mar 2030 is both the fourth and the last Tuesday; April's fourth is the 23rd, its last the 30th.
    await markAsSession(composer, plan({ cadence: "monthly", sessionCount: 2 }, new Date("2030-03-26T15:00:00Z")));
    expect(item.recurrencePattern?.recurrenceProperties).toMatchObject({ weekNumber: "fourth" });
    expect(item.recurrenceDates()).toEqual(["2030-03-26", "2030-04-23"]);
  });

  it("works out the weekday in the organiser's zone, not UTC", async () => {
    const { item, composer } = setup();
    // 23:30 UTC on Mon 11 Mar is Tue 12 Mar 10:30 in Sydney.
    await markAsSession(composer, plan({ cadence: "monthly", sessionCount: 2 }, new Date("2030-03-11T23:30:00Z"), "Australia/Sydney"));
    expect(item.recurrencePattern?.recurrenceProperties).toMatchObject({ dayOfWeek: "tue", weekNumber: "second" });
    expect(item.recurrenceDates()).toEqual(["2030-03-12", "2030-04-09"]);
  });

  it("stops at the first Outlook failure with a message that says what didn't happen", async () => {
    const { item, composer } = setup();
    item.failNext("requiredAttendees.addAsync", { message: "Too many recipients.", code: 9000, name: "TooMany" });
    const failure = markAsSession(composer, plan());
    await expect(failure).rejects.toBeInstanceOf(OfficeError);
    await expect(failure).rejects.toThrow(/couldn't add the circle's members: Too many recipients/);
    expect(item.categoryList).toEqual([]);
    expect(item.savedCustomProperties).toEqual({});
    expect(item.itemId).toBeUndefined();
  });
});
