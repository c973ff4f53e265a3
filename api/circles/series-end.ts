import { getZoneOffsets, occurrenceDaysUntil, utcToLocal, type Cadence } from "../scheduling";
import { badRequest } from "../shared/errors";

const DAY_MS = 86_400_000;
/** The weekdays a circle can meet on (0 = Sunday), as the slot search offers them. */
const MEETING_WEEKDAYS = [1, 2, 3, 4, 5];
/** The API's limit on a circle's sessions, for counts and end dates alike. */
export const MAX_CIRCLE_SESSIONS = 52;

function dayOf(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** Tomorrow's date in `zone`, by the app's clock. */
export function tomorrowIn(zone: string, now: Date): string {
  const t = now.getTime();
  const local = utcToLocal(getZoneOffsets(zone, t - DAY_MS, t + DAY_MS), t);
  return new Date(Math.floor(local / DAY_MS) * DAY_MS + DAY_MS).toISOString().slice(0, 10);
}

/**
 * Most sessions a series that starts on or after `startOn` (on any weekday the slot search
 * offers) can have up to `endsOn` inclusive: what a circle that ends on a date can expect
 * before its first session is chosen.
 */
export function sessionsUntil(startOn: string, cadence: Cadence, endsOn: string): number {
  const first = dayOf(startOn);
  const last = dayOf(endsOn);
  let most = 0;
  for (const weekday of MEETING_WEEKDAYS) {
    const day = first + ((weekday - new Date(first).getUTCDay() + 7) % 7) * DAY_MS;
    most = Math.max(most, occurrenceDaysUntil(day, cadence, last, MAX_CIRCLE_SESSIONS + 1).length);
  }
  return most;
}

/**
 * The session count to store for a circle that ends on `endsOn` (zone `zone`), checked the way a
 * person would: the date leaves room for at least one session from tomorrow, and no more than
 * the API's 52.
 * @throws AppError bad_request naming `endsOn` and what to change.
 */
export function sessionCountForEndDate(endsOn: string, cadence: Cadence, zone: string, now: Date): number {
  const tomorrow = tomorrowIn(zone, now);
  const count = sessionsUntil(tomorrow, cadence, endsOn);
  if (count === 0) throw badRequest(`Invalid request: endsOn: ${endsOn} leaves no weekday for a session from ${tomorrow} (${zone}); choose a later date.`);
  if (count > MAX_CIRCLE_SESSIONS) throw badRequest(`Invalid request: endsOn: until ${endsOn} this cadence gives up to ${count} sessions; a circle has at most ${MAX_CIRCLE_SESSIONS}. Choose an earlier date.`);
  return count;
}
