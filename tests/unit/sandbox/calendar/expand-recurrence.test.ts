import { describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import rrulePkg from "rrule";
import type { Options as RRuleOptions } from "rrule";
import type { PatternedRecurrence } from "../../../../sandbox/graph/calendar/expand-recurrence";
import { InvalidRecurrenceError, expandRecurrence } from "../../../../sandbox/graph/calendar/expand-recurrence";

// rrule's ESM build has no named exports under Node; its CommonJS default carries them.
const { RRule } = rrulePkg;

const HOUR = 3_600_000;

/** Our expansion as UTC ISO strings. */
function ours(rec: PatternedRecurrence, timeOfDay: string, zone: string, extra: { from?: string; to?: string } = {}): string[] {
  return expandRecurrence(rec, {
    timeOfDay,
    zone,
    durationMs: HOUR,
    ...(extra.from ? { from: Date.parse(extra.from) } : {}),
    ...(extra.to ? { to: Date.parse(extra.to) } : {}),
  }).map((o) => new Date(o.startMs).toISOString());
}

/**
 * The oracle: rrule expands floating wall times (dates in "UTC" standing for local time),
 * luxon places each wall time in the zone. Independent of our code on both halves.
 */
function oracle(opts: Partial<RRuleOptions>, zone: string): string[] {
  const rule = new RRule(opts);
  return rule.all().map((d) =>
    DateTime.fromObject(
      { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() },
      { zone },
    )
      .toUTC()
      .toISO({ suppressMilliseconds: false }) ?? "",
  );
}

const wall = (y: number, m: number, d: number, h: number, mi = 0) => new Date(Date.UTC(y, m - 1, d, h, mi));

describe("expandRecurrence against rrule across DST edges", () => {
  it("keeps a weekly 09:00 London meeting at 09:00 local across the BST start (2026-03-29)", () => {
    const rec: PatternedRecurrence = {
      pattern: { type: "weekly", interval: 1, daysOfWeek: ["tuesday"], firstDayOfWeek: "sunday" },
      range: { type: "numbered", startDate: "2026-03-03", numberOfOccurrences: 8 },
    };
    const got = ours(rec, "09:00", "Europe/London");
    expect(got).toEqual(oracle({ freq: RRule.WEEKLY, byweekday: [RRule.TU], dtstart: wall(2026, 3, 3, 9), count: 8 }, "Europe/London"));
    // Before the switch 09:00 GMT = 09:00Z; after it 09:00 BST = 08:00Z.
    expect(got[3]).toBe("2026-03-24T09:00:00.000Z");
    expect(got[4]).toBe("2026-03-31T08:00:00.000Z");
  });

  it("keeps a London weekly meeting at 09:00 local across the BST end (2026-10-25)", () => {
    const rec: PatternedRecurrence = {
      pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday", "friday"], firstDayOfWeek: "monday" },
      range: { type: "endDate", startDate: "2026-10-12", endDate: "2026-11-06" },
    };
    const got = ours(rec, "09:00", "Europe/London");
    expect(got).toEqual(oracle({ freq: RRule.WEEKLY, byweekday: [RRule.MO, RRule.FR], wkst: RRule.MO, dtstart: wall(2026, 10, 12, 9), until: wall(2026, 11, 6, 23, 59) }, "Europe/London"));
    expect(got).toContain("2026-10-23T08:00:00.000Z");
    expect(got).toContain("2026-10-26T09:00:00.000Z");
  });

  it("follows Los Angeles wall time across the PDT start (2026-03-08) and PST return (2026-11-01)", () => {
    const rec: PatternedRecurrence = {
      pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday", "wednesday"], firstDayOfWeek: "sunday" },
      range: { type: "endDate", startDate: "2026-02-23", endDate: "2026-11-30" },
    };
    const got = ours(rec, "08:30", "America/Los_Angeles");
    expect(got).toEqual(oracle({ freq: RRule.WEEKLY, byweekday: [RRule.MO, RRule.WE], dtstart: wall(2026, 2, 23, 8, 30), until: wall(2026, 11, 30, 23, 59) }, "America/Los_Angeles"));
    expect(got).toContain("2026-03-04T16:30:00.000Z"); // PST, UTC-8
    expect(got).toContain("2026-03-09T15:30:00.000Z"); // PDT, UTC-7
    expect(got).toContain("2026-11-02T16:30:00.000Z"); // PST again
  });

  it("keeps a daily Kolkata meeting at the same UTC instant while London and LA switch (no DST in India)", () => {
    const rec: PatternedRecurrence = {
      pattern: { type: "daily", interval: 1 },
      range: { type: "endDate", startDate: "2026-03-01", endDate: "2026-04-05" },
    };
    const got = ours(rec, "10:00", "Asia/Kolkata");
    expect(got).toEqual(oracle({ freq: RRule.DAILY, dtstart: wall(2026, 3, 1, 10), until: wall(2026, 4, 5, 23, 59) }, "Asia/Kolkata"));
    expect(new Set(got.map((s) => s.slice(11)))).toEqual(new Set(["04:30:00.000Z"]));
  });

  it("counts weeks from the week of startDate with firstDayOfWeek (every 2 weeks Sun+Wed, Kolkata)", () => {
    for (const [firstDayOfWeek, wkst] of [["sunday", RRule.SU], ["monday", RRule.MO]] as const) {
      const rec: PatternedRecurrence = {
        pattern: { type: "weekly", interval: 2, daysOfWeek: ["sunday", "wednesday"], firstDayOfWeek },
        range: { type: "numbered", startDate: "2026-03-04", numberOfOccurrences: 12 },
      };
      expect(ours(rec, "09:00", "Asia/Kolkata")).toEqual(oracle({ freq: RRule.WEEKLY, interval: 2, byweekday: [RRule.SU, RRule.WE], wkst, dtstart: wall(2026, 3, 4, 9), count: 12 }, "Asia/Kolkata"));
    }
  });

  it("finds the second Tuesday of every month in London across both DST switches", () => {
    const rec: PatternedRecurrence = {
      pattern: { type: "relativeMonthly", interval: 1, daysOfWeek: ["tuesday"], index: "second" },
      range: { type: "numbered", startDate: "2026-01-01", numberOfOccurrences: 12 },
    };
    const got = ours(rec, "14:00", "Europe/London");
    expect(got).toEqual(oracle({ freq: RRule.MONTHLY, byweekday: [RRule.TU.nth(2)], dtstart: wall(2026, 1, 1, 14), count: 12 }, "Europe/London"));
    expect(got.slice(0, 4)).toEqual(["2026-01-13T14:00:00.000Z", "2026-02-10T14:00:00.000Z", "2026-03-10T14:00:00.000Z", "2026-04-14T13:00:00.000Z"]);
  });

  it("finds the last Friday of every other month in Los Angeles across the PDT start", () => {
    const rec: PatternedRecurrence = {
      pattern: { type: "relativeMonthly", interval: 2, daysOfWeek: ["friday"], index: "last" },
      range: { type: "endDate", startDate: "2026-01-10", endDate: "2026-12-31" },
    };
    const got = ours(rec, "16:00", "America/Los_Angeles");
    expect(got).toEqual(oracle({ freq: RRule.MONTHLY, interval: 2, byweekday: [RRule.FR.nth(-1)], dtstart: wall(2026, 1, 10, 16), until: wall(2026, 12, 31, 23, 59) }, "America/Los_Angeles"));
    expect(got[0]).toBe("2026-01-31T00:00:00.000Z"); // Fri 30 Jan 16:00 PST
    expect(got[1]).toBe("2026-03-27T23:00:00.000Z"); // Fri 27 Mar 16:00 PDT
  });

  it("treats several days with index first as the first matching day of the month (first weekday, Kolkata)", () => {
    const rec: PatternedRecurrence = {
      pattern: { type: "relativeMonthly", interval: 1, daysOfWeek: ["monday", "tuesday", "wednesday", "thursday", "friday"], index: "first" },
      range: { type: "numbered", startDate: "2026-01-01", numberOfOccurrences: 12 },
    };
    expect(ours(rec, "09:30", "Asia/Kolkata")).toEqual(
      oracle({ freq: RRule.MONTHLY, byweekday: [RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR], bysetpos: [1], dtstart: wall(2026, 1, 1, 9, 30), count: 12 }, "Asia/Kolkata"),
    );
  });

  it("repeats on the 15th every two months in London across the BST start", () => {
    const rec: PatternedRecurrence = {
      pattern: { type: "absoluteMonthly", interval: 2, dayOfMonth: 15 },
      range: { type: "numbered", startDate: "2026-01-20", numberOfOccurrences: 6 },
    };
    expect(ours(rec, "11:00", "Europe/London")).toEqual(oracle({ freq: RRule.MONTHLY, interval: 2, bymonthday: [15], dtstart: wall(2026, 1, 20, 11), count: 6 }, "Europe/London"));
  });

  it("repeats yearly on 3 March and on the last Monday of May (Los Angeles)", () => {
    const absolute: PatternedRecurrence = {
      pattern: { type: "absoluteYearly", interval: 1, dayOfMonth: 3, month: 3 },
      range: { type: "numbered", startDate: "2026-01-01", numberOfOccurrences: 4 },
    };
    expect(ours(absolute, "10:00", "America/Los_Angeles")).toEqual(oracle({ freq: RRule.YEARLY, bymonth: [3], bymonthday: [3], dtstart: wall(2026, 1, 1, 10), count: 4 }, "America/Los_Angeles"));
    const relative: PatternedRecurrence = {
      pattern: { type: "relativeYearly", interval: 1, daysOfWeek: ["monday"], index: "last", month: 5 },
      range: { type: "numbered", startDate: "2026-01-01", numberOfOccurrences: 4 },
    };
    expect(ours(relative, "10:00", "America/Los_Angeles")).toEqual(oracle({ freq: RRule.YEARLY, bymonth: [5], byweekday: [RRule.MO.nth(-1)], dtstart: wall(2026, 1, 1, 10), count: 4 }, "America/Los_Angeles"));
  });
});

describe("expandRecurrence, hand-checked Outlook semantics", () => {
  it("counts occurrences, not weeks, in a numbered range (every 2 weeks Mon+Thu, firstDayOfWeek sunday)", () => {
    const rec: PatternedRecurrence = {
      pattern: { type: "weekly", interval: 2, daysOfWeek: ["monday", "thursday"], firstDayOfWeek: "sunday" },
      range: { type: "numbered", startDate: "2026-03-05", numberOfOccurrences: 5 },
    };
    // Week of Sun 1 Mar: Thu 5 (Mon 2 is before the start). Next: week of 15 Mar, then 29 Mar.
    expect(ours(rec, "12:00", "Etc/UTC").map((s) => s.slice(0, 10))).toEqual(["2026-03-05", "2026-03-16", "2026-03-19", "2026-03-30", "2026-04-02"]);
  });

  it("moves day 31 to the last day of shorter months, as Outlook does", () => {
    const rec: PatternedRecurrence = {
      pattern: { type: "absoluteMonthly", interval: 1, dayOfMonth: 31 },
      range: { type: "numbered", startDate: "2026-01-01", numberOfOccurrences: 4 },
    };
    expect(ours(rec, "12:00", "Etc/UTC").map((s) => s.slice(0, 10))).toEqual(["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]);
  });

  it("puts a yearly 29 February on 28 February in common years", () => {
    const rec: PatternedRecurrence = {
      pattern: { type: "absoluteYearly", interval: 1, dayOfMonth: 29, month: 2 },
      range: { type: "numbered", startDate: "2027-01-01", numberOfOccurrences: 2 },
    };
    expect(ours(rec, "12:00", "Etc/UTC").map((s) => s.slice(0, 10))).toEqual(["2027-02-28", "2028-02-29"]);
  });

  it("includes an occurrence on the endDate (the range end is inclusive)", () => {
    const rec: PatternedRecurrence = {
      pattern: { type: "weekly", interval: 1, daysOfWeek: ["friday"] },
      range: { type: "endDate", startDate: "2026-03-02", endDate: "2026-03-20" },
    };
    expect(ours(rec, "17:00", "Etc/UTC").map((s) => s.slice(0, 10))).toEqual(["2026-03-06", "2026-03-13", "2026-03-20"]);
  });

  it("shifts a wall time inside the spring-forward gap forward by the gap (London 01:30 on 2026-03-29, LA 02:30 on 2026-03-08)", () => {
    const london: PatternedRecurrence = { pattern: { type: "daily", interval: 1 }, range: { type: "numbered", startDate: "2026-03-28", numberOfOccurrences: 3 } };
    expect(ours(london, "01:30", "Europe/London")).toEqual(["2026-03-28T01:30:00.000Z", "2026-03-29T01:30:00.000Z" /* 02:30 BST */, "2026-03-30T00:30:00.000Z"]);
    const la: PatternedRecurrence = { pattern: { type: "daily", interval: 1 }, range: { type: "numbered", startDate: "2026-03-07", numberOfOccurrences: 3 } };
    expect(ours(la, "02:30", "America/Los_Angeles")).toEqual(["2026-03-07T10:30:00.000Z", "2026-03-08T10:30:00.000Z" /* 03:30 PDT */, "2026-03-09T09:30:00.000Z"]);
  });

  it("takes the first of two ambiguous wall times when clocks go back (London 01:30 on 2026-10-25)", () => {
    const rec: PatternedRecurrence = { pattern: { type: "daily", interval: 1 }, range: { type: "numbered", startDate: "2026-10-24", numberOfOccurrences: 3 } };
    expect(ours(rec, "01:30", "Europe/London")).toEqual(["2026-10-24T00:30:00.000Z", "2026-10-25T00:30:00.000Z" /* 01:30 BST */, "2026-10-26T01:30:00.000Z"]);
  });

  it("returns only the window of an endless series while counting positions from its start", () => {
    const rec: PatternedRecurrence = { pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday"] }, range: { type: "noEnd", startDate: "2026-01-05" } };
    const got = expandRecurrence(rec, { timeOfDay: "09:00", zone: "Etc/UTC", durationMs: HOUR, from: Date.parse("2026-03-02T09:30:00Z"), to: Date.parse("2026-03-16T09:00:00Z") });
    // 2 Mar 09:00–10:00 overlaps the window start; 16 Mar 09:00 starts at the (exclusive) end.
    expect(got.map((o) => [o.index, o.date])).toEqual([
      [8, "2026-03-02"],
      [9, "2026-03-09"],
    ]);
  });

  it("rejects a weekly pattern without days, as Graph does", () => {
    const rec: PatternedRecurrence = { pattern: { type: "weekly", interval: 1, daysOfWeek: [] }, range: { type: "noEnd", startDate: "2026-01-05" } };
    expect(() => expandRecurrence(rec, { timeOfDay: "09:00", zone: "Etc/UTC", durationMs: HOUR })).toThrow(InvalidRecurrenceError);
  });
});
