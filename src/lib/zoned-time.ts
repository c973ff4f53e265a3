import { DateTime } from "luxon";

// Every time the app shows is an instant rendered in the viewer's own zone (their mailbox zone
// from GET /api/me), never the browser's: a laptop set to another zone must not move sessions.

/** "Tue 3 Mar 2026, 15:00" in `zone`. */
export function formatDateTime(iso: string, zone: string): string {
  return inZone(iso, zone).toFormat("ccc d LLL yyyy, HH:mm");
}

/** "Tue 3 Mar" in `zone`. */
export function formatDay(iso: string, zone: string): string {
  return inZone(iso, zone).toFormat("ccc d LLL");
}

/** "15:00" in `zone`. */
export function formatTime(iso: string, zone: string): string {
  return inZone(iso, zone).toFormat("HH:mm");
}

/** "15:00–16:00" in `zone`. */
export function formatTimeRange(startIso: string, endIso: string, zone: string): string {
  return `${formatTime(startIso, zone)}–${formatTime(endIso, zone)}`;
}

/** "3 Mar 2026" for a calendar date (YYYY-MM-DD), which has no zone of its own. */
export function formatCalendarDate(date: string): string {
  const parsed = DateTime.fromISO(date, { zone: "UTC" });
  return parsed.isValid ? parsed.toFormat("d LLL yyyy") : date;
}

/** The wall clock `YYYY-MM-DDTHH:mm` of an instant in `zone` (what a datetime-local input shows). */
export function toLocalInputValue(iso: string, zone: string): string {
  return inZone(iso, zone).toFormat("yyyy-LL-dd'T'HH:mm");
}

/**
 * A wall-clock `YYYY-MM-DDTHH:mm` typed by the viewer, read in their zone, as ISO 8601 with that
 * zone's offset; undefined when it is not a real time there (e.g. inside a spring-forward gap).
 */
export function fromLocalInputValue(value: string, zone: string): string | undefined {
  const parsed = DateTime.fromISO(value, { zone });
  if (!parsed.isValid) return undefined;
  // luxon silently shifts a time inside a DST gap forward; such a time does not exist on the clock.
  if (parsed.toFormat("yyyy-LL-dd'T'HH:mm") !== value.slice(0, 16)) return undefined;
  return parsed.toISO({ suppressMilliseconds: true }) ?? undefined;
}

/** The calendar date (YYYY-MM-DD) of an instant in `zone`. */
export function toLocalDate(iso: string, zone: string): string {
  return inZone(iso, zone).toFormat("yyyy-LL-dd");
}

export function isValidTimeZone(zone: string): boolean {
  if (!zone.trim()) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Every IANA zone this browser knows (falls back to a short list on old engines). */
export function listTimeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.("timeZone") ?? [];
  return zones.length > 0 ? zones : ["UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney"];
}

function inZone(iso: string, zone: string): DateTime {
  return DateTime.fromISO(iso, { setZone: true }).setZone(zone);
}
