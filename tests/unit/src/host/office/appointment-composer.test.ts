import { describe, expect, it } from "vitest";
import { createAppointmentComposer } from "../../../../../src/host/office/appointment-composer";
import { OfficeError } from "../../../../../src/host/office/office-async";
import { FakeAppointment, FakeSeriesTime } from "./fake-appointment";

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
    await expect(composer.save()).resolves.toBe("AAMkAGI2TG93AAA=");
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
