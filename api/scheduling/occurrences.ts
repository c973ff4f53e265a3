import { z } from "zod";
import { DAY_MS, MINUTE_MS, formatIsoWithOffset, formatLocalDate, parseLocalDate, parseTimeOfDay, weekdayOf } from "./local-time";
import { getZoneOffsets, localToUtc, offsetAt } from "./zone-offsets";

/** How often a circle meets (product glossary: weekly, every 2 weeks, every 4 weeks, monthly). */
export const CadenceSchema = z.enum(["weekly", "biweekly", "every4weeks", "monthly"]);
export type Cadence = z.infer<typeof CadenceSchema>;

/** Weeks between sessions for the week-based cadences. */
export const WEEKS_BETWEEN: Record<Exclude<Cadence, "monthly">, number> = { weekly: 1, biweekly: 2, every4weeks: 4 };

/** Graph's weekIndex: which weekday of the month a monthly series uses. */
export type WeekIndex = "first" | "second" | "third" | "fourth" | "last";
const WEEK_INDEXES: readonly WeekIndex[] = ["first", "second", "third", "fourth", "last"];

/**
 * Which weekday of its month a date is ("second Tuesday"). A fifth weekday becomes "last", so the
 * series still has a session in months with only four of that weekday.
 */
export function monthlyPosition(dayLocalMs: number): { index: WeekIndex; weekday: number } {
  const dayOfMonth = new Date(dayLocalMs).getUTCDate();
  return { index: WEEK_INDEXES[Math.ceil(dayOfMonth / 7) - 1]!, weekday: weekdayOf(dayLocalMs) };
}

/** Local midnight of the `index` `weekday` of a month (month may overflow; Date.UTC normalises it). */
export function nthWeekdayOfMonth(year: number, month: number, weekday: number, index: WeekIndex): number {
  if (index === "last") {
    const lastDay = Date.UTC(year, month + 1, 0);
    return lastDay - ((weekdayOf(lastDay) - weekday + 7) % 7) * DAY_MS;
  }
  const firstDay = Date.UTC(year, month, 1);
  const first = firstDay + ((weekday - weekdayOf(firstDay) + 7) % 7) * DAY_MS;
  return first + WEEK_INDEXES.indexOf(index) * 7 * DAY_MS;
}

/** Local midnights of a series' session dates, starting on `firstDayLocalMs`. */
export function occurrenceDays(firstDayLocalMs: number, cadence: Cadence, sessionCount: number): number[] {
  const days: number[] = [];
  if (cadence === "monthly") {
    const { index, weekday } = monthlyPosition(firstDayLocalMs);
    const d = new Date(firstDayLocalMs);
    for (let k = 0; k < sessionCount; k++) days.push(nthWeekdayOfMonth(d.getUTCFullYear(), d.getUTCMonth() + k, weekday, index));
    return days;
  }
  const step = WEEKS_BETWEEN[cadence] * 7 * DAY_MS;
  for (let k = 0; k < sessionCount; k++) days.push(firstDayLocalMs + k * step);
  return days;
}

/** Sessions a series may have at most (the API caps a circle at 52; end dates are held to the same). */
export const MAX_SERIES_SESSIONS = 104;

/**
 * Local midnights of a series that starts on `firstDayLocalMs` and ends on `lastDayLocalMs`
 * (inclusive, like Graph's `endDate` range): every session on or before that day, at most
 * `limit`. Empty when the series would start after its end.
 */
export function occurrenceDaysUntil(firstDayLocalMs: number, cadence: Cadence, lastDayLocalMs: number, limit = MAX_SERIES_SESSIONS): number[] {
  if (lastDayLocalMs < firstDayLocalMs) return [];
  // Monthly steps are at least 28 days, the others exactly 7 × weeks.
  const stepDays = cadence === "monthly" ? 28 : WEEKS_BETWEEN[cadence] * 7;
  const upperBound = Math.min(limit, Math.floor((lastDayLocalMs - firstDayLocalMs) / (stepDays * DAY_MS)) + 1);
  return occurrenceDays(firstDayLocalMs, cadence, upperBound).filter((day) => day <= lastDayLocalMs);
}

/** How a series ends: after a number of sessions, or on a date (YYYY-MM-DD in its zone, inclusive). */
export type SeriesEnd = { sessionCount: number } | { endsOn: string };

/** A wall-clock start in a named zone: the circle's first session as its organiser sees it. */
export const LocalStartSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  time: z.string().regex(/^\d{2}:\d{2}$/),
  timeZone: z.string().min(1),
});
export type LocalStart = z.infer<typeof LocalStartSchema>;

/** One session of a series: a UTC instant interval `[start, end)` plus how it reads in the circle's zone. */
export interface Occurrence {
  index: number;
  /** The session's date in the circle's zone, YYYY-MM-DD. */
  date: string;
  /** Epoch ms (UTC). */
  start: number;
  /** Epoch ms (UTC), exclusive. */
  end: number;
  /** ISO 8601 with the circle zone's offset in effect at that session, e.g. "2026-03-31T09:00:00+01:00". */
  startIso: string;
  endIso: string;
}

/**
 * Every session of a series as UTC intervals. The wall-clock time stays fixed in the circle's
 * zone across daylight-saving changes (product: "DST never moves a session in its organiser's
 * local time"); a start time that does not exist on a spring-forward day moves forward by the
 * gap, as Exchange does. With `endsOn`, the sessions on or before that day (none when the start
 * is after it).
 * @throws RangeError for an unknown zone, a malformed date/time or a session count below 1.
 */
export function computeOccurrences(opts: { start: LocalStart; cadence: Cadence; sessionMinutes: number } & SeriesEnd): Occurrence[] {
  const { start, cadence, sessionMinutes } = opts;
  if ("sessionCount" in opts && (!Number.isInteger(opts.sessionCount) || opts.sessionCount < 1)) throw new RangeError(`sessionCount must be a whole number ≥ 1, got ${opts.sessionCount}`);
  if (!(sessionMinutes > 0)) throw new RangeError(`sessionMinutes must be positive, got ${sessionMinutes}`);
  const firstDay = parseLocalDate(start.date);
  const minutes = parseTimeOfDay(start.time);
  // An end date is a day in the circle's zone, inclusive (Graph's endDate range); it may leave no session.
  const days = "sessionCount" in opts ? occurrenceDays(firstDay, cadence, opts.sessionCount) : occurrenceDaysUntil(firstDay, cadence, parseLocalDate(opts.endsOn));
  if (days.length === 0) return [];
  const zone = getZoneOffsets(start.timeZone, firstDay, days[days.length - 1]! + DAY_MS);
  return days.map((day, index) => {
    const utcStart = localToUtc(zone, day + minutes * MINUTE_MS);
    const utcEnd = utcStart + sessionMinutes * MINUTE_MS;
    return {
      index,
      date: formatLocalDate(day),
      start: utcStart,
      end: utcEnd,
      startIso: formatIsoWithOffset(utcStart, offsetAt(zone, utcStart)),
      endIso: formatIsoWithOffset(utcEnd, offsetAt(zone, utcEnd)),
    };
  });
}
