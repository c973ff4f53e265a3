import type { RecurrenceLike, SeriesTimeLike } from "../../../../../src/host/office/appointment-item";

/**
 * Office.js's recurrence rules, for the in-memory appointment. Mirrors office.js (outlook-web-16.01:
 * `SeriesTime`, `validateRecurrenceObject`, `setRecurrence`): argument errors are thrown
 * synchronously as `Sys.ArgumentException` / `Sys.ArgumentNullException`; what only Exchange can
 * tell (a range with no occurrence, more than 999) comes back through the callback as 9035 / 9036.
 */

const WEEK_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const GROUPED_DAYS = ["weekday", "weekendDay", "day"] as const;
const WEEK_NUMBERS = ["first", "second", "third", "fourth", "last"] as const;
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] as const;
const DAY_MS = 86_400_000;
export const MAX_OCCURRENCES = 999;

/** office.js createArgumentError / createNullArgumentError / createArgumentTypeError. */
export class OfficeArgumentError extends Error {
  constructor(
    override readonly name: "Sys.ArgumentException" | "Sys.ArgumentNullException" | "Sys.ArgumentTypeException",
    detail: string,
    readonly paramName?: string,
  ) {
    super(`${name}: ${detail}${paramName ? `\nParameter name: ${paramName}` : ""}`);
  }
}
const argumentError = (param?: string, message = "Value does not fall within the expected range.") => new OfficeArgumentError("Sys.ArgumentException", message, param);
const nullError = (param: string) => new OfficeArgumentError("Sys.ArgumentNullException", "Value cannot be null.", param);
const typeError = (param: string, actual: string, expected: string) => new OfficeArgumentError("Sys.ArgumentTypeException", `Object of type '${actual}' cannot be converted to type '${expected}'.`, param);
const INVALID_DATE = "The input doesn't resolve to a valid date.";
const INVALID_TIME = "The input doesn't resolve to a valid time.";
const INVALID_PROPERTIES = "The recurrence pattern isn't valid. Please check that the specified recurrence properties align with the recurrence type.";

const isNil = (v: unknown): v is null | undefined => v === null || v === undefined;

/** Office.SeriesTime as office.js implements it (dates "YYYY-MM-DD", months 1-based inside). */
export class FakeSeriesTime implements SeriesTimeLike {
  start = { year: 0, month: 0, day: 0 };
  end = { year: 0, month: 0, day: 0 };
  startTimeMinutes = 0;
  durationMinutes = 0;

  /** Test helpers: what was set, in the adapter's terms. */
  get startDate(): string | undefined {
    return this.start.year ? formatDate(this.start) : undefined;
  }
  get endDate(): string | undefined {
    return this.end.year ? formatDate(this.end) : undefined;
  }
  get startTime(): string {
    return `${String(Math.floor(this.startTimeMinutes / 60)).padStart(2, "0")}:${String(this.startTimeMinutes % 60).padStart(2, "0")}`;
  }

  setStartDate(date: string): void {
    this.start = parseDateString(date);
  }
  setEndDate(date: string): void {
    this.end = parseDateString(date);
  }
  setStartTime(hoursOrTime: number | string, minutes?: number): void {
    if (typeof hoursOrTime === "number" && !isNil(minutes)) {
      const total = hoursOrTime * 60 + minutes;
      if (total < 0) throw argumentError(undefined, INVALID_TIME);
      this.startTimeMinutes = total;
      return;
    }
    // The string form is an ISO time with its "T": "T13:30:00.000".
    const m = /^T([0-2]\d):([0-5]\d):[0-5]\d\.\d{3}$/.exec(String(hoursOrTime));
    if (!m) throw argumentError(undefined, INVALID_TIME);
    this.startTimeMinutes = Number(m[1]) * 60 + Number(m[2]);
  }
  setDuration(minutes: number): void {
    if (!(minutes >= 0)) throw argumentError(undefined, INVALID_TIME);
    this.durationMinutes = minutes;
  }
  isValid(): boolean {
    if (!isValidDate(this.start)) return false;
    if (this.end.year && !isValidDate(this.end)) return false;
    return this.startTimeMinutes >= 0 && this.durationMinutes > 0;
  }
  isEndAfterStart(): boolean {
    return !this.end.year || Date.UTC(this.end.year, this.end.month - 1, this.end.day) >= Date.UTC(this.start.year, this.start.month - 1, this.start.day);
  }
}

function formatDate(d: { year: number; month: number; day: number }): string {
  return `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
}

function isValidDate(d: { year: number; month: number; day: number }): boolean {
  return d.year >= 1601 && d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= 31;
}

function parseDateString(date: string): { year: number; month: number; day: number } {
  if (!/^\d{4}-(?:0\d|1[0-2])-(?:[0-2]\d|3[01])$/.test(date)) throw argumentError("seriesTime", INVALID_DATE);
  const d = new Date(date);
  const parsed = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
  if (!isValidDate(parsed)) throw argumentError("seriesTime", INVALID_DATE);
  return parsed;
}

const isDay = (v: unknown, grouped: boolean) => (WEEK_DAYS as readonly unknown[]).includes(v) || (grouped && (GROUPED_DAYS as readonly unknown[]).includes(v));

/** office.js validateRecurrenceObject: throws what Office throws, before anything reaches Outlook. */
export function validateRecurrence(r: RecurrenceLike): void {
  if (isNil(r.recurrenceType)) throw nullError("recurrenceType");
  if (isNil(r.seriesTime)) throw nullError("seriesTime");
  if (!(r.seriesTime instanceof FakeSeriesTime) || !r.seriesTime.isValid()) throw argumentError("seriesTime");
  if (!r.seriesTime.isEndAfterStart()) throw argumentError("seriesTime", "The end date occurs before the start date.");
  if (!["daily", "weekday", "weekly", "monthly", "yearly"].includes(r.recurrenceType)) throw argumentError("recurrenceType");
  const p = r.recurrenceProperties;
  if (r.recurrenceType !== "weekday" && isNil(p)) throw nullError("recurrenceType");
  if (!isNil(r.recurrenceTimeZone)) {
    if (isNil(r.recurrenceTimeZone.name)) throw nullError("recurrenceTimeZone.name");
    if (typeof r.recurrenceTimeZone.name !== "string") throw typeError("recurrenceTimeZone.name", typeof r.recurrenceTimeZone.name, "string");
  }
  if (!p) return;
  const interval = () => {
    if (isNil(p.interval)) throw nullError("interval");
    if (typeof p.interval !== "number") throw typeError("interval", typeof p.interval, "number");
  };
  const dayPosition = () => {
    if (!isNil(p.dayOfMonth)) {
      if (typeof p.dayOfMonth !== "number") throw typeError("dayOfMonth", typeof p.dayOfMonth, "number");
      if (p.dayOfMonth < 1 || p.dayOfMonth > 31) throw argumentError("dayOfMonth");
    } else if (!isNil(p.dayOfWeek) && !isNil(p.weekNumber)) {
      if (typeof p.dayOfWeek !== "string") throw typeError("dayOfWeek", typeof p.dayOfWeek, "string");
      if (!isDay(p.dayOfWeek, true)) throw argumentError("dayOfWeek");
      if (typeof p.weekNumber !== "string") throw typeError("weekNumber", typeof p.weekNumber, "string");
      if (!(WEEK_NUMBERS as readonly string[]).includes(p.weekNumber)) throw argumentError("weekNumber");
    } else throw argumentError(undefined, INVALID_PROPERTIES);
  };
  switch (r.recurrenceType) {
    case "daily":
      interval();
      if (p.interval <= 0) throw argumentError("interval");
      return;
    case "weekly":
      interval();
      if (p.interval <= 0) throw argumentError("interval");
      if (!Array.isArray(p.days)) throw new OfficeArgumentError("Sys.ArgumentTypeException", "Object cannot be converted to the required type.", "days");
      if (p.days.some((d) => !isDay(d, false))) throw argumentError("days");
      if (!isNil(p.firstDayOfWeek) && !isDay(p.firstDayOfWeek, false)) throw argumentError("firstDayOfWeek");
      return;
    case "monthly":
      interval();
      dayPosition();
      return;
    case "yearly": {
      interval();
      const month = (p as { month?: unknown }).month;
      if (isNil(month)) throw nullError("month");
      if (!(MONTHS as readonly unknown[]).includes(month)) throw argumentError("month");
      dayPosition();
      return;
    }
  }
}

/**
 * The dates ("YYYY-MM-DD") Outlook would put the series on, at most `limit` of them: what
 * Exchange checks before it accepts a pattern (no occurrence → 9035, over 999 → 9036).
 * Covers the shapes the task pane sends: weekly with days, monthly with dayOfWeek + weekNumber
 * or dayOfMonth.
 */
export function occurrenceDates(r: RecurrenceLike, limit = MAX_OCCURRENCES + 1): string[] {
  const t = r.seriesTime as FakeSeriesTime;
  const first = Date.UTC(t.start.year, t.start.month - 1, t.start.day);
  const last = t.end.year ? Date.UTC(t.end.year, t.end.month - 1, t.end.day) : Number.POSITIVE_INFINITY;
  const p = r.recurrenceProperties ?? { interval: 1 };
  const out: string[] = [];
  const push = (ms: number) => {
    if (ms >= first && ms <= last && out.length < limit) out.push(new Date(ms).toISOString().slice(0, 10));
  };
  if (r.recurrenceType === "weekly") {
    const firstDay = WEEK_DAYS.indexOf(p.firstDayOfWeek ?? "sun");
    const weekStart = first - ((new Date(first).getUTCDay() - firstDay + 7) % 7) * DAY_MS;
    for (let week = weekStart; week <= last && out.length < limit; week += 7 * p.interval * DAY_MS) {
      for (let d = 0; d < 7; d++) {
        const day = week + d * DAY_MS;
        if ((p.days ?? []).includes(WEEK_DAYS[new Date(day).getUTCDay()]!)) push(day);
      }
    }
    return out;
  }
  if (r.recurrenceType === "monthly") {
    for (let k = 0; out.length < limit; k += p.interval) {
      const monthStart = Date.UTC(t.start.year, t.start.month - 1 + k, 1);
      if (monthStart > last) break;
      const day = p.dayOfMonth !== undefined ? dayOfMonth(monthStart, p.dayOfMonth) : nthWeekday(monthStart, WEEK_DAYS.indexOf(p.dayOfWeek as (typeof WEEK_DAYS)[number]), p.weekNumber ?? "first");
      push(day);
    }
    return out;
  }
  throw new Error(`The fake appointment does not expand ${r.recurrenceType} recurrences.`);
}

function dayOfMonth(monthStart: number, day: number): number {
  const d = new Date(monthStart);
  const daysInMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  return monthStart + (Math.min(day, daysInMonth) - 1) * DAY_MS;
}

function nthWeekday(monthStart: number, weekday: number, weekNumber: string): number {
  if (weekNumber === "last") {
    const d = new Date(monthStart);
    const lastDay = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0);
    return lastDay - ((new Date(lastDay).getUTCDay() - weekday + 7) % 7) * DAY_MS;
  }
  const first = monthStart + ((weekday - new Date(monthStart).getUTCDay() + 7) % 7) * DAY_MS;
  return first + WEEK_NUMBERS.indexOf(weekNumber as (typeof WEEK_NUMBERS)[number]) * 7 * DAY_MS;
}
