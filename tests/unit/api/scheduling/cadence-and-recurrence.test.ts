import { describe, expect, it } from "vitest";
import { type Cadence, type LocalStart, computeOccurrences, evaluateSlot, findSlots, toPatternedRecurrence } from "../../../../api/scheduling";
import { expandRecurrence } from "../../../../sandbox/graph/calendar/expand-recurrence";
import { GraphError } from "../../../../sandbox/graph/errors";
import { loadBodyValidator } from "../../../../sandbox/graph/validate-body";
import { circle, member } from "./scheduling-fixtures";

const LONDON = "Europe/London";
const datesOf = (start: LocalStart, cadence: Cadence, sessionCount: number) => computeOccurrences({ start, cadence, sessionCount, sessionMinutes: 60 }).map((o) => o.date);

describe("cadences", () => {
  const start: LocalStart = { date: "2026-03-10", time: "15:00", timeZone: LONDON };

  it("weekly, every 2 weeks and every 4 weeks step by 7, 14 and 28 days", () => {
    expect(datesOf(start, "weekly", 4)).toEqual(["2026-03-10", "2026-03-17", "2026-03-24", "2026-03-31"]);
    expect(datesOf(start, "biweekly", 4)).toEqual(["2026-03-10", "2026-03-24", "2026-04-07", "2026-04-21"]);
    expect(datesOf(start, "every4weeks", 4)).toEqual(["2026-03-10", "2026-04-07", "2026-05-05", "2026-06-02"]);
  });

  it("monthly keeps the weekday position: the 2nd Tuesday of each month", () => {
    expect(datesOf(start, "monthly", 6)).toEqual(["2026-03-10", "2026-04-14", "2026-05-12", "2026-06-09", "2026-07-14", "2026-08-11"]);
  });

  it("monthly from a 5th weekday continues on the last one (months with four Tuesdays still get a session)", () => {
    expect(datesOf({ ...start, date: "2026-03-31" }, "monthly", 4)).toEqual(["2026-03-31", "2026-04-28", "2026-05-26", "2026-06-30"]);
  });

  it("the slot search uses the cadence: monthly suggestions fall on the same weekday position", () => {
    const input = circle([member("priya", LONDON), member("megan", LONDON)], { cadence: "monthly", sessionCount: 4, startOn: "2026-03-09" });
    const tuesday = evaluateSlot(input, { weekday: "tuesday", localTime: "10:00" });
    expect(tuesday.dates).toEqual(["2026-03-10", "2026-04-14", "2026-05-12", "2026-06-09"]);
    const best = findSlots(input).slots[0]!;
    expect(best.dates).toEqual(["2026-03-09", "2026-04-13", "2026-05-11", "2026-06-08"]); // 2nd Mondays
    expect(best.occurrences).toBe(4);
  });

  it("every 4 weeks: a clash in week 4 is no clash, one in week 8 is", () => {
    const input = circle(
      [
        member("priya", LONDON, {
          busy: [
            { start: Date.UTC(2026, 1, 3, 10), end: Date.UTC(2026, 1, 3, 11), status: "busy" },
            { start: Date.UTC(2026, 2, 3, 10), end: Date.UTC(2026, 2, 3, 11), status: "busy" },
          ],
        }),
      ],
      { cadence: "every4weeks", sessionCount: 3, startOn: "2026-01-06" },
    );
    const slot = evaluateSlot(input, { weekday: "tuesday", localTime: "10:00" });
    expect(slot.dates).toEqual(["2026-01-06", "2026-02-03", "2026-03-03"]);
    expect(slot.conflicts.map((c) => c.date)).toEqual(["2026-02-03", "2026-03-03"]);
  });
});

describe("toPatternedRecurrence", () => {
  const validator = loadBodyValidator();
  const cases: Array<[Cadence, LocalStart]> = [
    ["weekly", { date: "2026-03-03", time: "15:00", timeZone: LONDON }],
    ["biweekly", { date: "2026-03-05", time: "09:30", timeZone: "America/Los_Angeles" }],
    ["every4weeks", { date: "2026-10-19", time: "08:00", timeZone: "Australia/Sydney" }],
    ["monthly", { date: "2026-03-10", time: "15:00", timeZone: LONDON }],
    ["monthly", { date: "2026-01-29", time: "17:30", timeZone: "Asia/Kolkata" }],
  ];

  it("builds Graph's patternedRecurrence shape: weekly with interval 1/2/4, relativeMonthly with the week index", () => {
    expect(toPatternedRecurrence({ start: cases[0]![1], cadence: "weekly", sessionCount: 12 })).toEqual({
      pattern: { type: "weekly", interval: 1, daysOfWeek: ["tuesday"], firstDayOfWeek: "monday" },
      range: { type: "numbered", startDate: "2026-03-03", numberOfOccurrences: 12, recurrenceTimeZone: LONDON },
    });
    expect(toPatternedRecurrence({ start: cases[1]![1], cadence: "biweekly", sessionCount: 6 }).pattern).toEqual({
      type: "weekly",
      interval: 2,
      daysOfWeek: ["thursday"],
      firstDayOfWeek: "monday",
    });
    expect(toPatternedRecurrence({ start: cases[2]![1], cadence: "every4weeks", sessionCount: 6 }).pattern.interval).toBe(4);
    expect(toPatternedRecurrence({ start: cases[3]![1], cadence: "monthly", sessionCount: 6 }).pattern).toEqual({
      type: "relativeMonthly",
      interval: 1,
      daysOfWeek: ["tuesday"],
      firstDayOfWeek: "monday",
      index: "second",
    });
    // 29 Jan 2026 is the 5th Thursday: the series recurs on the last Thursday.
    expect(toPatternedRecurrence({ start: cases[4]![1], cadence: "monthly", sessionCount: 6 }).pattern.index).toBe("last");
  });

  it("declares only properties and enum values of the Graph schema (graph-openapi-subset.json)", () => {
    expect(validator.strict).toBe(true);
    for (const [cadence, start] of cases) {
      const rec = toPatternedRecurrence({ start, cadence, sessionCount: 8 });
      expect(() => validator.validate("microsoft.graph.patternedRecurrence", rec)).not.toThrow();
    }
    // The validator does bite: an unknown property or enum value is rejected.
    const rec = toPatternedRecurrence({ start: cases[0]![1], cadence: "weekly", sessionCount: 8 });
    expect(() => validator.validate("microsoft.graph.patternedRecurrence", { ...rec, pattern: { ...rec.pattern, index: "fifth" } })).toThrow(GraphError);
    expect(() => validator.validate("microsoft.graph.patternedRecurrence", { ...rec, range: { ...rec.range, count: 8 } })).toThrow(GraphError);
  });

  it("expands (as Exchange does) to exactly the sessions computeOccurrences and the slot search use", () => {
    for (const [cadence, start] of cases) {
      const rec = toPatternedRecurrence({ start, cadence, sessionCount: 8 });
      const expanded = expandRecurrence(rec, { timeOfDay: start.time, zone: rec.range.recurrenceTimeZone, durationMs: 3_600_000 });
      const ours = computeOccurrences({ start, cadence, sessionCount: 8, sessionMinutes: 60 });
      expect(expanded.map((o) => o.date)).toEqual(ours.map((o) => o.date));
      expect(expanded.map((o) => o.startMs)).toEqual(ours.map((o) => o.start));
    }
  });

  it("rejects what Graph would not accept", () => {
    expect(() => toPatternedRecurrence({ start: { date: "2026-03-03", time: "15:00", timeZone: "Europe/Atlantis" }, cadence: "weekly", sessionCount: 4 })).toThrow(RangeError);
    expect(() => toPatternedRecurrence({ start: { date: "2026-03-03", time: "25:00", timeZone: LONDON }, cadence: "weekly", sessionCount: 4 })).toThrow(RangeError);
    expect(() => toPatternedRecurrence({ start: { date: "2026-03-03", time: "15:00", timeZone: LONDON }, cadence: "weekly", sessionCount: 0 })).toThrow(RangeError);
  });
});
