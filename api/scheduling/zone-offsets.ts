import { IANAZone } from "luxon";
import { DAY_MS, MINUTE_MS } from "./local-time";

/**
 * A zone's UTC offsets over a span of time, as a sorted list of offset changes, so that
 * converting between instants and wall-clock times is integer arithmetic. Luxon (and through it
 * Intl/tzdata) is asked only while building the table.
 *
 * `offsets[k]` (minutes east of UTC) is in effect on `[transitions[k-1], transitions[k])`.
 */
export interface ZoneOffsets {
  readonly zone: string;
  readonly transitions: readonly number[];
  readonly offsets: readonly number[];
}

interface YearTable {
  startOffset: number;
  transitions: Array<{ at: number; offset: number }>;
}

/**
 * Probe spacing while scanning a year for offset changes. Every offset change in current tzdata
 * is weeks apart from the next one in the same zone (Morocco's Ramadan pause, the shortest, lasts
 * over a month), so a 7-day probe cannot step over a change and back.
 */
const PROBE_MS = 7 * DAY_MS;

/**
 * Tables per zone and calendar year. The tz rules do not change while the process runs, so the
 * cache never needs invalidating; it is bounded by zones × years actually scheduled.
 */
const yearTables = new Map<string, YearTable>();

const validity = new Map<string, boolean>();

/** Whether `zone` is an IANA zone name this runtime knows (memoised: luxon builds an Intl formatter per check). */
export function isValidTimeZone(zone: string): boolean {
  let valid = validity.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    // Bounded: unknown names are not remembered, so junk input cannot grow the map.
    if (valid) validity.set(zone, valid);
  }
  return valid;
}

function scanYear(zone: IANAZone, year: number): YearTable {
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const startOffset = zone.offset(start);
  const transitions: YearTable["transitions"] = [];
  let lo = start;
  let loOffset = startOffset;
  while (lo < end) {
    const hi = Math.min(lo + PROBE_MS, end);
    const hiOffset = zone.offset(hi);
    if (hiOffset !== loOffset) {
      // Binary search to the minute: offsets change on whole minutes.
      let a = lo;
      let b = hi;
      while (b - a > MINUTE_MS) {
        const mid = a + Math.floor((b - a) / MINUTE_MS / 2) * MINUTE_MS;
        if (zone.offset(mid) === loOffset) a = mid;
        else b = mid;
      }
      transitions.push({ at: b, offset: zone.offset(b) });
    }
    lo = hi;
    loOffset = hiOffset;
  }
  return { startOffset, transitions };
}

/**
 * The offset table of `zone` covering at least `[fromUtcMs, toUtcMs]` (whole calendar years, with
 * a day of margin either side).
 * @throws RangeError when the zone is not a known IANA zone.
 */
export function getZoneOffsets(zone: string, fromUtcMs: number, toUtcMs: number): ZoneOffsets {
  if (!isValidTimeZone(zone)) throw new RangeError(`unknown IANA time zone "${zone}"`);
  const first = new Date(fromUtcMs - DAY_MS).getUTCFullYear();
  const last = new Date(toUtcMs + DAY_MS).getUTCFullYear();
  const transitions: number[] = [];
  const offsets: number[] = [];
  let luxonZone: IANAZone | undefined;
  for (let year = first; year <= last; year++) {
    const key = `${zone}|${year}`;
    let table = yearTables.get(key);
    if (!table) {
      luxonZone ??= IANAZone.create(zone);
      table = scanYear(luxonZone, year);
      yearTables.set(key, table);
    }
    if (offsets.length === 0) offsets.push(table.startOffset);
    for (const t of table.transitions) {
      if (t.offset === offsets[offsets.length - 1]) continue;
      transitions.push(t.at);
      offsets.push(t.offset);
    }
  }
  return { zone, transitions, offsets };
}

/** UTC offset in minutes in effect at an instant. */
export function offsetAt(z: ZoneOffsets, utcMs: number): number {
  const t = z.transitions;
  // Index of the first transition after utcMs (binary search; tables hold a few entries per year).
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! <= utcMs) lo = mid + 1;
    else hi = mid;
  }
  return z.offsets[lo]!;
}

/** An instant → its wall-clock time in the zone (local ms). */
export function utcToLocal(z: ZoneOffsets, utcMs: number): number {
  return utcMs + offsetAt(z, utcMs) * MINUTE_MS;
}

/**
 * A wall-clock time in the zone → the instant. A time skipped by a spring-forward change moves
 * forward by the gap (02:30 on the day clocks jump 02:00→03:00 becomes 03:30), as Exchange and
 * luxon do; a time that happens twice at a fall-back change resolves to its first occurrence.
 */
export function localToUtc(z: ZoneOffsets, localMs: number): number {
  const before = offsetAt(z, localMs - DAY_MS);
  const after = offsetAt(z, localMs + DAY_MS);
  const early = localMs - before * MINUTE_MS;
  if (before === after) return early;
  const late = localMs - after * MINUTE_MS;
  // Both readings fall after the change only in the ordinary "after" case; otherwise the first
  // reading is right (ordinary "before", the repeated hour, and the skipped hour shifted forward).
  return offsetAt(z, late) === after && offsetAt(z, early) === after ? late : early;
}

/** Offset changes in `(fromUtcMs, toUtcMs]`. */
export function transitionsBetween(z: ZoneOffsets, fromUtcMs: number, toUtcMs: number): number[] {
  return z.transitions.filter((t) => t > fromUtcMs && t <= toUtcMs);
}
