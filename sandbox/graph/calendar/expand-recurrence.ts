import { wallToInstant } from "./time-zones.js";

/**
 * Expands a Graph `patternedRecurrence` into occurrences, the way Exchange does:
 * dates are computed in the recurrence's time zone and every occurrence keeps the series'
 * wall-clock time there (09:00 London stays 09:00 London across DST; the UTC instant moves).
 *
 * Pure: no clock, no store. Dates are handled as day numbers (days since 1970-01-01) and wall
 * times as "as-if-UTC" milliseconds, so the only zone work is one offset lookup per occurrence.
 */

export const DAYS_OF_WEEK = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];
export const WEEK_INDEXES = ["first", "second", "third", "fourth", "last"] as const;
export type WeekIndex = (typeof WEEK_INDEXES)[number];
export type RecurrencePatternType = "daily" | "weekly" | "absoluteMonthly" | "relativeMonthly" | "absoluteYearly" | "relativeYearly";
export type RecurrenceRangeType = "endDate" | "noEnd" | "numbered";

export interface RecurrencePattern {
  type: RecurrencePatternType;
  interval: number;
  daysOfWeek?: DayOfWeek[] | null;
  firstDayOfWeek?: DayOfWeek | null;
  dayOfMonth?: number | null;
  /** 1–12, for the yearly patterns. */
  month?: number | null;
  index?: WeekIndex | null;
}

export interface RecurrenceRange {
  type: RecurrenceRangeType;
  /** YYYY-MM-DD: the first occurrence is on this date or the first matching date after it. */
  startDate: string;
  /** YYYY-MM-DD, inclusive. */
  endDate?: string | null;
  numberOfOccurrences?: number | null;
  recurrenceTimeZone?: string | null;
}

export interface PatternedRecurrence {
  pattern: RecurrencePattern;
  range: RecurrenceRange;
}

export interface ExpandOptions {
  /** Time of day of every occurrence in `zone`, "HH:mm" or "HH:mm:ss(.fffffff)". */
  timeOfDay: string;
  /** IANA zone the pattern is evaluated in. */
  zone: string;
  durationMs: number;
  /** Only occurrences overlapping [from, to) (UTC ms) are returned; both optional. */
  from?: number;
  to?: number;
  /** Safety cap for unbounded series without a window (default 5,000). */
  limit?: number;
}

export interface ExpandedOccurrence {
  /** 0-based position in the series (counts every occurrence, also those outside the window). */
  index: number;
  /** Local date, YYYY-MM-DD, in the recurrence zone. */
  date: string;
  /** Wall-clock start as-if-UTC ms (for display in the series' zone). */
  wallStartMs: number;
  startMs: number;
  endMs: number;
}

/** The pattern is not one Exchange would accept. */
export class InvalidRecurrenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidRecurrenceError";
  }
}

const DAY_MS = 86_400_000;

export function dayNumberOf(isoDate: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) throw new InvalidRecurrenceError(`'${isoDate}' is not a date (YYYY-MM-DD).`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(ms)) throw new InvalidRecurrenceError(`'${isoDate}' is not a date (YYYY-MM-DD).`);
  return Math.floor(ms / DAY_MS);
}

export function isoDateOf(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

function timeOfDayMs(timeOfDay: string): number {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/.exec(timeOfDay);
  if (!m) throw new InvalidRecurrenceError(`'${timeOfDay}' is not a time of day.`);
  const fraction = m[4] ? Math.round(Number(`0.${m[4]}`) * 1000) : 0;
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000 + fraction;
}

function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

function dayNumberOfYmd(year: number, month0: number, day: number): number {
  return Math.floor(Date.UTC(year, month0, day) / DAY_MS);
}

function weekdaySet(pattern: RecurrencePattern): Set<number> {
  const days = pattern.daysOfWeek ?? [];
  if (days.length === 0) throw new InvalidRecurrenceError(`The '${pattern.type}' recurrence pattern needs daysOfWeek.`);
  return new Set(days.map((d) => DAYS_OF_WEEK.indexOf(d)));
}

/** The `index`-th (first…fourth, last) day of the month whose weekday is in `days`. */
function relativeDayInMonth(year: number, month0: number, days: Set<number>, index: WeekIndex): number | undefined {
  const first = dayNumberOfYmd(year, month0, 1);
  const count = daysInMonth(year, month0);
  const matches: number[] = [];
  for (let d = 0; d < count; d++) if (days.has(weekdayOf(first + d))) matches.push(first + d);
  return index === "last" ? matches[matches.length - 1] : matches[WEEK_INDEXES.indexOf(index)];
}

/** Checks the fields each pattern type needs, as Graph does on create. */
export function validateRecurrence(rec: PatternedRecurrence): void {
  const { pattern, range } = rec;
  if (!Number.isInteger(pattern.interval) || pattern.interval < 1) throw new InvalidRecurrenceError("The recurrence pattern interval must be a positive integer.");
  switch (pattern.type) {
    case "daily":
      break;
    case "weekly":
    case "relativeMonthly":
      weekdaySet(pattern);
      break;
    case "absoluteMonthly":
      checkDayOfMonth(pattern);
      break;
    case "absoluteYearly":
      checkDayOfMonth(pattern);
      checkMonth(pattern);
      break;
    case "relativeYearly":
      weekdaySet(pattern);
      checkMonth(pattern);
      break;
    default:
      throw new InvalidRecurrenceError(`Unknown recurrence pattern type '${String((pattern as { type: unknown }).type)}'.`);
  }
  const start = dayNumberOf(range.startDate);
  if (range.type === "endDate") {
    if (!range.endDate) throw new InvalidRecurrenceError("A recurrence range of type 'endDate' needs endDate.");
    if (dayNumberOf(range.endDate) < start) throw new InvalidRecurrenceError("The recurrence range endDate is before its startDate.");
  } else if (range.type === "numbered") {
    if (!range.numberOfOccurrences || range.numberOfOccurrences < 1) throw new InvalidRecurrenceError("A recurrence range of type 'numbered' needs numberOfOccurrences ≥ 1.");
  } else if (range.type !== "noEnd") {
    throw new InvalidRecurrenceError(`Unknown recurrence range type '${String(range.type)}'.`);
  }
}

function checkDayOfMonth(pattern: RecurrencePattern): void {
  if (!pattern.dayOfMonth || pattern.dayOfMonth < 1 || pattern.dayOfMonth > 31) throw new InvalidRecurrenceError(`The '${pattern.type}' recurrence pattern needs dayOfMonth 1–31.`);
}

function checkMonth(pattern: RecurrencePattern): void {
  if (!pattern.month || pattern.month < 1 || pattern.month > 12) throw new InvalidRecurrenceError(`The '${pattern.type}' recurrence pattern needs month 1–12.`);
}

/**
 * Candidate dates in ascending order, unbounded (the range is applied by the caller).
 * Outlook semantics worth knowing:
 * - weekly: weeks begin on firstDayOfWeek (default sunday); the week containing startDate is
 *   week 0 and only every `interval`-th week has occurrences, on each listed day ≥ startDate.
 * - absoluteMonthly/Yearly: a dayOfMonth the month lacks (31 in April) falls on its last day.
 * - relativeMonthly/Yearly: with several daysOfWeek, "first" means the first day of the month
 *   that is any of them (like BYSETPOS).
 */
function candidateDays(pattern: RecurrencePattern, startDay: number): Generator<number> {
  switch (pattern.type) {
    case "daily":
      return dailyDays(pattern.interval, startDay);
    case "weekly":
      return weeklyDays(pattern, startDay);
    case "absoluteMonthly":
    case "relativeMonthly":
      return monthlyDays(pattern, startDay);
    case "absoluteYearly":
    case "relativeYearly":
      return yearlyDays(pattern, startDay);
  }
}

function* dailyDays(interval: number, startDay: number): Generator<number> {
  for (let d = startDay; ; d += interval) yield d;
}

function* weeklyDays(pattern: RecurrencePattern, startDay: number): Generator<number> {
  const days = weekdaySet(pattern);
  const firstDow = DAYS_OF_WEEK.indexOf(pattern.firstDayOfWeek ?? "sunday");
  const weekStart = startDay - ((weekdayOf(startDay) - firstDow + 7) % 7);
  for (let ws = weekStart; ; ws += 7 * pattern.interval) {
    for (let k = 0; k < 7; k++) {
      const d = ws + k;
      if (d >= startDay && days.has(weekdayOf(d))) yield d;
    }
  }
}

function dayInMonth(pattern: RecurrencePattern, days: Set<number> | undefined, year: number, month0: number): number | undefined {
  return days ? relativeDayInMonth(year, month0, days, pattern.index ?? "first") : dayNumberOfYmd(year, month0, Math.min(pattern.dayOfMonth ?? 1, daysInMonth(year, month0)));
}

function* monthlyDays(pattern: RecurrencePattern, startDay: number): Generator<number> {
  const days = pattern.type === "relativeMonthly" ? weekdaySet(pattern) : undefined;
  const start = new Date(startDay * DAY_MS);
  const firstMonth = start.getUTCFullYear() * 12 + start.getUTCMonth();
  for (let m = firstMonth; ; m += pattern.interval) {
    const d = dayInMonth(pattern, days, Math.floor(m / 12), m % 12);
    if (d !== undefined && d >= startDay) yield d;
  }
}

function* yearlyDays(pattern: RecurrencePattern, startDay: number): Generator<number> {
  const days = pattern.type === "relativeYearly" ? weekdaySet(pattern) : undefined;
  const month0 = (pattern.month ?? 1) - 1;
  for (let year = new Date(startDay * DAY_MS).getUTCFullYear(); ; year += pattern.interval) {
    const d = dayInMonth(pattern, days, year, month0);
    if (d !== undefined && d >= startDay) yield d;
  }
}

/**
 * Occurrences of the series, ascending. With a window only the overlapping ones are returned,
 * but `index` still counts from the first occurrence (numbered ranges count occurrences).
 * @throws InvalidRecurrenceError when the recurrence is incomplete.
 */
export function expandRecurrence(rec: PatternedRecurrence, opts: ExpandOptions): ExpandedOccurrence[] {
  validateRecurrence(rec);
  const { range } = rec;
  const startDay = dayNumberOf(range.startDate);
  const endDay = range.type === "endDate" && range.endDate ? dayNumberOf(range.endDate) : Number.POSITIVE_INFINITY;
  const maxCount = range.type === "numbered" ? (range.numberOfOccurrences ?? 0) : Number.POSITIVE_INFINITY;
  const limit = opts.limit ?? 5_000;
  const tod = timeOfDayMs(opts.timeOfDay);
  const from = opts.from ?? Number.NEGATIVE_INFINITY;
  const to = opts.to ?? Number.POSITIVE_INFINITY;
  // Zones are at most ±14 h from UTC; with that margin a wall time tells whether the instant
  // can be in the window without asking the zone.
  const margin = 15 * 3_600_000;
  const out: ExpandedOccurrence[] = [];
  let index = 0;
  for (const day of candidateDays(rec.pattern, startDay)) {
    if (day > endDay || index >= maxCount) break;
    const wallStartMs = day * DAY_MS + tod;
    if (wallStartMs - margin >= to) break;
    if (wallStartMs + opts.durationMs + margin > from) {
      const startMs = wallToInstant(wallStartMs, opts.zone);
      const endMs = startMs + opts.durationMs;
      const overlaps = opts.durationMs === 0 ? startMs >= from && startMs < to : startMs < to && endMs > from;
      if (overlaps) {
        out.push({ index, date: isoDateOf(day), wallStartMs, startMs, endMs });
        if (out.length >= limit) break;
      }
    }
    index++;
    if (opts.to === undefined && range.type === "noEnd" && index >= limit) break;
  }
  return out;
}
