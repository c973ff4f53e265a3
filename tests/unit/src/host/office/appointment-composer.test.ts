import { describe, expect, it } from "vitest";
import { createAppointmentComposer } from "../../../../../src/host/office/appointment-composer";
import type { SeriesPattern } from "../../../../../src/host/office/appointment-composer";
import { OfficeError } from "../../../../../src/host/office/office-async";
import { FakeAppointment, FakeSeriesTime, fakeConvertToRestId } from "./fake-appointment";

function setup(opts: { canConvertIds?: boolean } = {}) {
  const item = new FakeAppointment();
  const seriesTimes: FakeSeriesTime[] = [];
  const composer = createAppointmentComposer(item, {
    createSeriesTime: () => {
      const t = new FakeSeriesTime();
      seriesTimes.push(t);
      return t;
    },
    ...(opts.canConvertIds === false ? {} : { convertToRestId: (id: string) => fakeConvertToRestId(id, "v2.0") }),
  });
  return { item, composer, seriesTimes };
}

const monthly: SeriesPattern = {
  type: "monthly",
  interval: 1,
  dayOfWeek: "tue",
  weekNumber: "second",
  startDate: "2030-03-12",
  endDate: "2030-08-13",
  startTime: "15:00",
  durationMinutes: 60,
};

describe("AppointmentComposer over an Office.js appointment in compose mode", () => {
  it("reads and writes the subject through Outlook's async callbacks", async () => {
    const { item, composer } = setup();
    item.subjectText = "Draft";
    await expect(composer.getSubject()).resolves.toBe("Draft");
    const pending = composer.setSubject("Coaching circle");
    // Office answers later, never inside the call.
    expect(item.subjectText).toBe("Draft");
    await pending;
    expect(item.subjectText).toBe("Coaching circle");
  });

  it("reads the start and end times", async () => {
    const { composer } = setup();
    await expect(composer.getStart()).resolves.toEqual(new Date("2025-03-03T09:00:00Z"));
    await expect(composer.getEnd()).resolves.toEqual(new Date("2025-03-03T10:00:00Z"));
  });

  it("turns a series pattern into Outlook's recurrence with a filled SeriesTime", async () => {
    const { item, composer, seriesTimes } = setup();
    await composer.setRecurrence({
      type: "weekly",
      interval: 2,
      days: ["tue"],
      startDate: "2025-03-04",
      endDate: "2025-06-24",
      startTime: "09:30",
      durationMinutes: 60,
      windowsTimeZone: "GMT Standard Time",
    });
    expect(item.recurrencePattern).toMatchObject({
      recurrenceType: "weekly",
      recurrenceProperties: { interval: 2, days: ["tue"], firstDayOfWeek: "mon" },
      recurrenceTimeZone: { name: "GMT Standard Time" },
    });
    expect(seriesTimes[0]).toMatchObject({ startDate: "2025-03-04", endDate: "2025-06-24", startTime: "09:30", durationMinutes: 60 });
  });

  it("makes a monthly series on the nth weekday with Office's dayOfWeek and weekNumber", async () => {
    const { item, composer } = setup();
    await composer.setRecurrence(monthly);
    expect(item.recurrencePattern).toMatchObject({ recurrenceType: "monthly", recurrenceProperties: { interval: 1, dayOfWeek: "tue", weekNumber: "second" } });
    expect(item.recurrencePattern?.recurrenceProperties).not.toHaveProperty("days");
    // Outlook's series: the second Tuesday of March to August 2030.
    expect(item.recurrenceDates()).toEqual(["2030-03-12", "2030-04-09", "2030-05-14", "2030-06-11", "2030-07-09", "2030-08-13"]);
  });

  it("makes a series on the last weekday of each month", async () => {
    const { item, composer } = setup();
    await composer.setRecurrence({ ...monthly, dayOfWeek: "fri", weekNumber: "last", startDate: "2030-03-29", endDate: "2030-06-28" });
    expect(item.recurrenceDates()).toEqual(["2030-03-29", "2030-04-26", "2030-05-31", "2030-06-28"]);
  });

  it("rejects a monthly pattern that names no day, as Office throws it, with a message and nothing set", async () => {
    const { item, composer } = setup();
    const noDay = { ...monthly, dayOfWeek: undefined } as unknown as SeriesPattern;
    const failure = composer.setRecurrence(noDay);
    await expect(failure).rejects.toBeInstanceOf(OfficeError);
    await expect(failure).rejects.toMatchObject({ officeName: "Sys.ArgumentException", message: expect.stringMatching(/couldn't make this a recurring series: The recurrence pattern isn't valid/) });
    expect(item.recurrencePattern).toBeUndefined();
  });

  it("rejects a weekly pattern without days and a start date Office can't read", async () => {
    const { composer } = setup();
    const weekly: SeriesPattern = { type: "weekly", interval: 1, days: ["mon"], startDate: "2030-03-04", startTime: "09:00", durationMinutes: 30 };
    await expect(composer.setRecurrence({ ...weekly, days: undefined } as unknown as SeriesPattern)).rejects.toBeInstanceOf(OfficeError);
    await expect(composer.setRecurrence({ ...weekly, startDate: "2030-3-4" })).rejects.toThrow(/doesn't resolve to a valid date/);
    await expect(composer.setRecurrence({ ...weekly, endDate: "2030-03-01" })).rejects.toThrow(/end date occurs before the start date/);
  });

  it("reports Outlook's answer when the range holds no session", async () => {
    const { item, composer } = setup();
    // The second Tuesday of March 2030 is the 12th: a series from the 13th to the 31st has none.
    const failure = composer.setRecurrence({ ...monthly, startDate: "2030-03-13", endDate: "2030-03-31" });
    await expect(failure).rejects.toMatchObject({ officeCode: 9035, message: expect.stringMatching(/no occurrences in the specified date range/) });
    expect(item.recurrencePattern).toBeUndefined();
  });

  it("can't make one occurrence of an existing series recurring", async () => {
    const { item, composer } = setup();
    item.seriesId = "AAMkSeries";
    await expect(composer.setRecurrence(monthly)).rejects.toThrow(/can't be set for a single occurrence/);
  });

  it("adds attendees, writes and prepends the HTML body, and adds categories", async () => {
    const { item, composer } = setup();
    await composer.addRequiredAttendees([{ displayName: "Grace Hopper", emailAddress: "grace@contoso.test" }]);
    await composer.setBodyHtml("<p>Agenda</p>");
    await composer.prependBodyHtml("<h2>Coaching circle</h2>");
    await composer.addCategories(["Coaching circle"]);
    expect(item.attendees).toEqual([{ displayName: "Grace Hopper", emailAddress: "grace@contoso.test" }]);
    expect(item.bodyHtml).toBe("<h2>Coaching circle</h2><p>Agenda</p>");
    expect(item.categoryList).toEqual(["Coaching circle"]);
  });

  it("stores custom properties only when they are saved", async () => {
    const { item, composer } = setup();
    await composer.setCustomProperty("coachingCircleId", "c-1");
    await composer.setCustomProperty("format", "grow");
    expect(item.savedCustomProperties).toEqual({});
    await composer.saveCustomProperties();
    expect(item.savedCustomProperties).toEqual({ coachingCircleId: "c-1", format: "grow" });
  });

  it("saves the draft and resolves with Outlook's item id", async () => {
    const { composer } = setup();
    await expect(composer.save()).resolves.toBe("AAMkAGI2/TG93+AAA=");
  });

  it("gives the saved item's id the way Graph spells it", async () => {
    const { composer } = setup();
    const itemId = await composer.save();
    expect(composer.toRestId(itemId)).toBe("AAMkAGI2-TG93_AAA=");
  });

  it("says so when this Outlook can't convert item ids", () => {
    const { composer } = setup({ canConvertIds: false });
    expect(() => composer.toRestId("AAMk/1+")).toThrow(OfficeError);
  });

  it("rejects with an OfficeError that says what to do when Outlook reports failure", async () => {
    const { item, composer } = setup();
    item.failNext("categories.addAsync", { message: "The category limit was reached.", code: 9041, name: "TooManyCategories" });
    const failure = composer.addCategories(["Coaching circle"]);
    await expect(failure).rejects.toBeInstanceOf(OfficeError);
    await expect(failure).rejects.toMatchObject({
      officeCode: 9041,
      message: expect.stringMatching(/couldn't add the coaching category: The category limit was reached\..*Try again/),
    });
    expect(item.categoryList).toEqual([]);
  });

  it("loads custom properties again after a failed load instead of caching the failure", async () => {
    const { item, composer } = setup();
    item.failNext("loadCustomPropertiesAsync");
    await expect(composer.setCustomProperty("coachingCircleId", "c-1")).rejects.toBeInstanceOf(OfficeError);
    await composer.setCustomProperty("coachingCircleId", "c-2");
    await composer.saveCustomProperties();
    expect(item.savedCustomProperties).toEqual({ coachingCircleId: "c-2" });
  });

  it("reports a failed save without an item id", async () => {
    const { item, composer } = setup();
    item.failNext("saveAsync", { message: "The item couldn't be saved.", code: 9002, name: "InternalServerError" });
    await expect(composer.save()).rejects.toThrow(/couldn't save the appointment/);
  });
});
