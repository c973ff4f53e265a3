import { DAY_NAMES, type DayName, parseLocalDate, parseTimeOfDay } from "./local-time";
import { type Cadence, type LocalStart, type SeriesEnd, type WeekIndex, WEEKS_BETWEEN, monthlyPosition } from "./occurrences";
import { isValidTimeZone } from "./zone-offsets";

/**
 * Graph's `patternedRecurrence` for a circle's series (platform-facts: recurring Teams meeting).
 *
 * `range.recurrenceTimeZone` holds the circle's IANA zone here on purpose: Windows zone names
 * exist only inside api/graph/ (style #5), which converts it (CLDR windowsZones) when it sends the
 * event, together with `start.timeZone`/`end.timeZone`.
 */
export interface PatternedRecurrence {
  pattern: {
    type: "weekly" | "relativeMonthly";
    interval: number;
    daysOfWeek: DayName[];
    firstDayOfWeek: DayName;
    /** Only for relativeMonthly: which weekday of the month. */
    index?: WeekIndex;
  };
  range:
    | {
        type: "numbered";
        /** The first session's date in the circle's zone, YYYY-MM-DD. */
        startDate: string;
        numberOfOccurrences: number;
        /** IANA zone name (converted to Windows by api/graph/). */
        recurrenceTimeZone: string;
      }
    | {
        /** A circle that ends on a date: Exchange stops the series after `endDate` (inclusive). */
        type: "endDate";
        startDate: string;
        /** YYYY-MM-DD in the circle's zone, inclusive. */
        endDate: string;
        recurrenceTimeZone: string;
      };
}

/**
 * The recurrence of a series that starts at `start` (the first session, wall clock in the
 * circle's zone) and meets `sessionCount` times, or until `endsOn` (an `endDate` range). Monthly means the same weekday position each
 * month ("second Tuesday"); a start on a fifth weekday recurs on the "last" one.
 * `firstDayOfWeek` is Monday: with one weekday per pattern it does not change which dates Exchange
 * generates, and ISO weeks start on Monday.
 * @throws RangeError for a malformed start, an unknown zone or a session count below 1.
 */
export function toPatternedRecurrence(opts: { start: LocalStart; cadence: Cadence } & SeriesEnd): PatternedRecurrence {
  const { start, cadence } = opts;
  if ("sessionCount" in opts && (!Number.isInteger(opts.sessionCount) || opts.sessionCount < 1)) throw new RangeError(`sessionCount must be a whole number ≥ 1, got ${opts.sessionCount}`);
  if (!isValidTimeZone(start.timeZone)) throw new RangeError(`unknown IANA time zone "${start.timeZone}"`);
  parseTimeOfDay(start.time);
  const day = parseLocalDate(start.date);
  if ("endsOn" in opts && parseLocalDate(opts.endsOn) < day) throw new RangeError(`the series would end (${opts.endsOn}) before its first session (${start.date})`);
  const range: PatternedRecurrence["range"] =
    "sessionCount" in opts
      ? { type: "numbered", startDate: start.date, numberOfOccurrences: opts.sessionCount, recurrenceTimeZone: start.timeZone }
      : { type: "endDate", startDate: start.date, endDate: opts.endsOn, recurrenceTimeZone: start.timeZone };
  if (cadence === "monthly") {
    const { index, weekday } = monthlyPosition(day);
    return { pattern: { type: "relativeMonthly", interval: 1, daysOfWeek: [DAY_NAMES[weekday]!], firstDayOfWeek: "monday", index }, range };
  }
  const weekday = DAY_NAMES[new Date(day).getUTCDay()]!;
  return { pattern: { type: "weekly", interval: WEEKS_BETWEEN[cadence], daysOfWeek: [weekday], firstDayOfWeek: "monday" }, range };
}
