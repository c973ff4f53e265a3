/**
 * Wall-clock helpers. A "local ms" is a wall-clock date-time encoded as if it were UTC
 * (Date.UTC(y, m, d, h, min)); it carries no zone by itself — zone-offsets.ts turns it into an
 * instant. Working on integers keeps the slot search free of date libraries in its inner loop.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** Graph's dayOfWeek names, indexed like Date#getUTCDay (0 = Sunday). */
export const DAY_NAMES = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;
export type DayName = (typeof DAY_NAMES)[number];
const SHORT_DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
export const SHORT_MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Graph sends working hours as "08:00:00.0000000"; people type "08:00".
const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/** "2026-03-03" → local ms of that day's midnight. @throws RangeError on a malformed or impossible date. */
export function parseLocalDate(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`expected a date as YYYY-MM-DD, got "${date}"`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    throw new RangeError(`"${date}" is not a calendar date`);
  }
  return ms;
}

/** "09:30" (or "09:30:00.0000000") → minutes after midnight; "24:00" is allowed as an end of day. @throws RangeError */
export function parseTimeOfDay(time: string): number {
  const m = TIME_RE.exec(time);
  const h = Number(m?.[1]);
  const min = Number(m?.[2]);
  if (!m || min > 59 || h > 24 || (h === 24 && (min > 0 || Number(m[3] ?? 0) > 0))) {
    throw new RangeError(`expected a time as HH:mm, got "${time}"`);
  }
  return h * 60 + min;
}

/** Day number (days since 1970-01-01) of a local ms. */
export function dayNumber(localMs: number): number {
  return Math.floor(localMs / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday, for a local ms. */
export function weekdayOf(localMs: number): number {
  // 1970-01-01 was a Thursday (4).
  return (((dayNumber(localMs) + 4) % 7) + 7) % 7;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Local ms → "YYYY-MM-DD". */
export function formatLocalDate(localMs: number): string {
  const d = new Date(localMs);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** Local ms → "HH:mm". */
export function formatTimeOfDay(localMs: number): string {
  const minutes = Math.floor((((localMs % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS);
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/** Minutes after midnight → "HH:mm". */
export function formatMinutes(minutes: number): string {
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/** Local ms → "3 Mar" (English, for explanations). */
export function formatShortDate(localMs: number): string {
  const d = new Date(localMs);
  return `${d.getUTCDate()} ${SHORT_MONTH_NAMES[d.getUTCMonth()]}`;
}

/** Local ms → "Tue". */
export function formatShortWeekday(localMs: number): string {
  return SHORT_DAY_NAMES[weekdayOf(localMs)]!;
}

/** Short English name of a Graph day name ("tuesday" → "Tue"). */
export function shortDayName(day: DayName): string {
  return SHORT_DAY_NAMES[DAY_NAMES.indexOf(day)]!;
}

/** An instant and the zone offset in effect → ISO 8601 with that offset, e.g. "2026-03-03T15:00:00+00:00". */
export function formatIsoWithOffset(utcMs: number, offsetMinutes: number): string {
  const local = utcMs + offsetMinutes * MINUTE_MS;
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const d = new Date(local);
  return `${formatLocalDate(local)}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** "Europe/London" → "London", "America/Los_Angeles" → "Los Angeles": how people name a zone in a sentence. */
export function zoneLabel(zone: string): string {
  const last = zone.split("/").pop() ?? zone;
  return last.replace(/_/g, " ");
}
