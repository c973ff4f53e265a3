import { describe, expect, it } from "vitest";
import { computeOccurrences, evaluateSlot, findSlots, occurrenceDaysUntil, toPatternedRecurrence } from "../../../../api/scheduling";
import { expandRecurrence } from "../../../../sandbox/graph/calendar/expand-recurrence";
import { loadBodyValidator } from "../../../../sandbox/graph/validate-body";
import { circle, member } from "./scheduling-fixtures";

const LONDON = "Europe/London";
const day = (date: string) => Date.parse(`${date}T00:00:00Z`);

describe("a series that ends on a date", () => {
  it("keeps every session on or before the date (inclusive), none after", () => {
    const dates = (end: string) => occurrenceDaysUntil(day("2026-03-03"), "weekly", day(end)).map((d) => new Date(d).toISOString().slice(0, 10));
    expect(dates("2026-03-24")).toEqual(["2026-03-03", "2026-03-10", "2026-03-17", "2026-03-24"]);
    expect(dates("2026-03-23")).toEqual(["2026-03-03", "2026-03-10", "2026-03-17"]);
    expect(dates("2026-03-02")).toEqual([]);
    expect(occurrenceDaysUntil(day("2026-01-13"), "monthly", day("2026-06-09")).map((d) => new Date(d).toISOString().slice(0, 10))).toEqual([
      "2026-01-13",
      "2026-02-10",
      "2026-03-10",
      "2026-04-14",
      "2026-05-12",
      "2026-06-09",
    ]);
  });

  it("keeps its wall-clock time in the circle's zone across DST and ends on the date in that zone", () => {
    // London moves to BST on 29 Mar 2026; Auckland leaves daylight saving on 5 Apr.
    const london = computeOccurrences({ start: { date: "2026-03-17", time: "15:00", timeZone: LONDON }, cadence: "weekly", sessionMinutes: 60, endsOn: "2026-04-07" });
    expect(london.map((o) => o.startIso)).toEqual(["2026-03-17T15:00:00+00:00", "2026-03-24T15:00:00+00:00", "2026-03-31T15:00:00+01:00", "2026-04-07T15:00:00+01:00"]);
    // 08:00 on 7 Apr in Auckland is still 6 Apr in UTC: the end date is the circle zone's day.
    const auckland = computeOccurrences({ start: { date: "2026-03-31", time: "08:00", timeZone: "Pacific/Auckland" }, cadence: "weekly", sessionMinutes: 60, endsOn: "2026-04-07" });
    expect(auckland.map((o) => o.startIso)).toEqual(["2026-03-31T08:00:00+13:00", "2026-04-07T08:00:00+12:00"]);
  });

  it("becomes Graph's endDate range, which the Graph subset accepts and Exchange expands to the same sessions", () => {
    const validator = loadBodyValidator();
    const start = { date: "2026-10-06", time: "09:30", timeZone: "America/New_York" };
    const rec = toPatternedRecurrence({ start, cadence: "biweekly", endsOn: "2026-12-15" });
    expect(rec.range).toEqual({ type: "endDate", startDate: "2026-10-06", endDate: "2026-12-15", recurrenceTimeZone: "America/New_York" });
    expect(() => validator.validate("microsoft.graph.patternedRecurrence", rec)).not.toThrow();
    const expanded = expandRecurrence(rec, { timeOfDay: start.time, zone: start.timeZone, durationMs: 3_600_000 });
    const ours = computeOccurrences({ start, cadence: "biweekly", sessionMinutes: 60, endsOn: "2026-12-15" });
    expect(expanded.map((o) => o.startMs)).toEqual(ours.map((o) => o.start));
    expect(ours.map((o) => o.date)).toEqual(["2026-10-06", "2026-10-20", "2026-11-03", "2026-11-17", "2026-12-01", "2026-12-15"]);
    expect(() => toPatternedRecurrence({ start, cadence: "weekly", endsOn: "2026-10-05" })).toThrow(RangeError);
  });

  it("scores each weekday's series only up to the date: weekdays after the last full week have one session fewer", () => {
    // From Mon 5 Jan, weekly until Wed 21 Jan: Mon–Wed have 3 sessions, Thu and Fri 2.
    const input = circle([member("priya", LONDON), member("megan", LONDON)], { sessionCount: 10, endsOn: "2026-01-21" });
    expect(evaluateSlot(input, { weekday: "wednesday", localTime: "10:00" }).dates).toEqual(["2026-01-07", "2026-01-14", "2026-01-21"]);
    expect(evaluateSlot(input, { weekday: "thursday", localTime: "10:00" }).dates).toEqual(["2026-01-08", "2026-01-15"]);
    const result = findSlots(input);
    expect(result.slots.length).toBeGreaterThan(0);
    expect(result.slots.flatMap((s) => s.dates).every((d) => d <= "2026-01-21")).toBe(true);
  });

  it("never suggests a weekday that has no session before the end date", () => {
    // From Mon 5 Jan until Tue 6 Jan: only Monday and Tuesday can meet; Wednesday would be free of everything.
    const busyDays = [member("priya", LONDON, { busy: [{ start: Date.UTC(2026, 0, 5, 0), end: Date.UTC(2026, 0, 7, 0), status: "busy" }] })];
    const result = findSlots(circle(busyDays, { sessionCount: 4, endsOn: "2026-01-06" }));
    expect(result.slots.length).toBeGreaterThan(0);
    expect(result.slots.every((s) => s.weekday === "monday" || s.weekday === "tuesday")).toBe(true);
    expect(findSlots(circle(busyDays, { sessionCount: 4, endsOn: "2026-01-04" })).slots).toEqual([]);
  });
});
