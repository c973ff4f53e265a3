import { type IntervalSet, firstEndingAfter, intersect, mergeIntervals } from "./intervals";
import { DAY_MS, DAY_NAMES, MINUTE_MS, parseLocalDate, parseTimeOfDay, weekdayOf } from "./local-time";
import { occurrenceDays } from "./occurrences";
import type { FindSlotsInput, SlotSearchMember } from "./slot-search-types";
import { type ZoneOffsets, getZoneOffsets, localToUtc, offsetAt, utcToLocal } from "./zone-offsets";

/**
 * Everything the slot search precomputes once per request, so that scoring candidates is
 * integer arithmetic over sorted arrays (no date library, no parsing, no allocation per check).
 */

/** How far outside someone's hours a session sits stops mattering after 12 h (it is night either way). */
export const MAX_GAP_MINUTES = 720;
const MAX_GAP_MS = MAX_GAP_MINUTES * MINUTE_MS;

export interface PreparedMember {
  source: SlotSearchMember;
  /** Busy and out-of-office time, merged. */
  hard: IntervalSet;
  /** Tentative time, merged (a session over both counts as busy). */
  tentative: IntervalSet;
  workZone: ZoneOffsets;
  ownZone: ZoneOffsets;
  /** Indexed 0 = Sunday, in the working-hours zone. */
  workDays: boolean[];
  /** Minutes after local midnight; `workEnd` > `workStart` (hours past midnight run into the next day). */
  workStart: number;
  workEnd: number;
  /** Working hours as UTC intervals over the whole search horizon (merged). */
  work: IntervalSet;
}

export interface SearchContext {
  circleZoneName: string;
  circleZone: ZoneOffsets;
  members: PreparedMember[];
  sessionMinutes: number;
  sessionMs: number;
  /** Most sessions any weekday's series has (they differ only when the series ends on a date). */
  sessionCount: number;
  startOnDay: number;
  /** Local midnight of the last day (circle zone) when the series ends on a date. */
  endsOnDay?: number;
  cadence: FindSlotsInput["cadence"];
  /** Candidate start times, minutes after local midnight in the circle's zone, ascending. */
  startMinutes: number[];
  /**
   * Single suggestions start within [usualFrom, usualTo] (minutes, circle zone: the usual day,
   * 07:00 to 21:00 minus the session by default) unless they fit everyone's hours. Starts outside
   * it are scored only when the whole day is searched, for rotations.
   */
  usualFrom: number;
  usualTo: number;
  stepMinutes: number;
  maxResults: number;
  names: Map<string, string>;
}

/**
 * Local midnights (circle zone) of the series that meets on `weekday` (0 = Sunday), from its
 * first date on or after startOn; for a series that ends on a date, only those on or before it
 * (possibly none).
 */
export function seriesDays(ctx: Pick<SearchContext, "startOnDay" | "cadence" | "sessionCount" | "endsOnDay">, weekday: number): number[] {
  const first = ctx.startOnDay + ((weekday - weekdayOf(ctx.startOnDay) + 7) % 7) * DAY_MS;
  const days = occurrenceDays(first, ctx.cadence, ctx.sessionCount);
  const last = ctx.endsOnDay;
  return last === undefined ? days : days.filter((day) => day <= last);
}

/**
 * Splits getSchedule items into merged busy (busy + oof) and tentative sets, skipping those
 * outside the horizon; `workingElsewhere` is free. getSchedule returns items in start order, so
 * this is normally one pass that merges as it goes; unsorted input falls back to a sort.
 */
function splitBusy(busy: SlotSearchMember["busy"], from: number, to: number): { hard: IntervalSet; tentative: IntervalSet } {
  const hardStarts: number[] = [];
  const hardEnds: number[] = [];
  const tentStarts: number[] = [];
  const tentEnds: number[] = [];
  let lastHard = -Infinity;
  let lastTent = -Infinity;
  for (const item of busy) {
    const { start, end, status } = item;
    if (end <= from || start >= to || !(end > start)) continue;
    const hard = status === "busy" || status === "oof";
    if (!hard && status !== "tentative") continue;
    const starts = hard ? hardStarts : tentStarts;
    const ends = hard ? hardEnds : tentEnds;
    if (start < (hard ? lastHard : lastTent)) {
      const keep = (b: SlotSearchMember["busy"][number]) => b.status === "busy" || b.status === "oof";
      const inRange = busy.filter((b) => b.end > from && b.start < to);
      return { hard: mergeIntervals(inRange.filter(keep)), tentative: mergeIntervals(inRange.filter((b) => b.status === "tentative")) };
    }
    if (hard) lastHard = start;
    else lastTent = start;
    const n = ends.length;
    if (n > 0 && start <= ends[n - 1]!) {
      if (end > ends[n - 1]!) ends[n - 1] = end;
    } else {
      starts.push(start);
      ends.push(end);
    }
  }
  return { hard: { starts: hardStarts, ends: hardEnds }, tentative: { starts: tentStarts, ends: tentEnds } };
}

/** The usual day for sessions in the circle's zone, when the caller does not set one. */
const DEFAULT_EARLIEST = "07:00";
const DEFAULT_LATEST = "21:00";

/**
 * Whether, on some weekday of the first week, a session of `sessionMs` fits inside everyone's
 * working hours between `earliest` and `latest` (minutes, circle zone).
 */
function sharedHoursWithin(members: PreparedMember[], circleZone: ZoneOffsets, startOnDay: number, earliest: number, latest: number, sessionMs: number): boolean {
  for (let weekday = 1; weekday <= 5; weekday++) {
    const day = startOnDay + ((weekday - weekdayOf(startOnDay) + 7) % 7) * DAY_MS;
    let shared: IntervalSet = { starts: [localToUtc(circleZone, day + earliest * MINUTE_MS)], ends: [localToUtc(circleZone, day + latest * MINUTE_MS)] };
    for (const m of members) shared = intersect(shared, m.work);
    if (shared.starts.some((start, i) => shared.ends[i]! - start >= sessionMs)) return true;
  }
  return false;
}

/**
 * The candidate day is `options.earliest`–`options.latest` in the circle's zone; by default
 * 07:00–21:00 in 15-minute steps, widened to the whole day in 30-minute steps (unless the step
 * is given) when no session fits everyone's hours within it.
 * @throws RangeError for malformed dates/times, unknown zones, or counts below 1.
 */
export function prepareSearch(input: FindSlotsInput): SearchContext {
  const options = input.options ?? {};
  let earliest = parseTimeOfDay(options.earliest ?? DEFAULT_EARLIEST);
  let latest = parseTimeOfDay(options.latest ?? DEFAULT_LATEST);
  let stepMinutes = options.stepMinutes ?? 15;
  const maxResults = options.maxResults ?? 5;
  if (!Number.isInteger(input.sessionCount) || input.sessionCount < 1) throw new RangeError(`sessionCount must be a whole number ≥ 1, got ${input.sessionCount}`);
  if (!Number.isInteger(input.sessionMinutes) || input.sessionMinutes < 1) throw new RangeError(`sessionMinutes must be a whole number ≥ 1, got ${input.sessionMinutes}`);
  if (!Number.isInteger(stepMinutes) || stepMinutes < 1) throw new RangeError(`stepMinutes must be a whole number ≥ 1, got ${stepMinutes}`);
  const startOnDay = parseLocalDate(input.startOn);
  const endsOnDay = input.endsOn === undefined ? undefined : parseLocalDate(input.endsOn);

  // The horizon: every session of every weekday's series, plus margin for zones across the date line.
  let lastDay = startOnDay;
  let sessionCount = 0;
  for (let w = 0; w < 7; w++) {
    const days = seriesDays({ startOnDay, cadence: input.cadence, sessionCount: input.sessionCount, endsOnDay }, w);
    if (days.length > 0) lastDay = Math.max(lastDay, days[days.length - 1]!);
    sessionCount = Math.max(sessionCount, days.length);
  }
  const fromUtc = startOnDay - 2 * DAY_MS;
  const toUtc = lastDay + 3 * DAY_MS;
  const zones = new Map<string, ZoneOffsets>();
  const zone = (name: string): ZoneOffsets => {
    let z = zones.get(name);
    if (!z) {
      z = getZoneOffsets(name, fromUtc, toUtc);
      zones.set(name, z);
    }
    return z;
  };

  const members = input.members.map((m): PreparedMember => {
    const workStart = parseTimeOfDay(m.workingHours.startTime);
    let workEnd = parseTimeOfDay(m.workingHours.endTime);
    if (workEnd <= workStart) workEnd += 24 * 60;
    const { hard, tentative } = splitBusy(m.busy, fromUtc, toUtc);
    const workZone = zone(m.workingHours.timeZone);
    const workDays = DAY_NAMES.map((d) => m.workingHours.daysOfWeek.includes(d));
    return {
      source: m,
      hard,
      tentative,
      workZone,
      ownZone: zone(m.timeZone),
      workDays,
      workStart,
      workEnd,
      work: workWindows(workZone, workDays, workStart, workEnd, fromUtc, toUtc),
    };
  });

  const circleZone = zone(input.circleTimeZone);
  const sessionMs = input.sessionMinutes * MINUTE_MS;
  // Single suggestions start inside the usual day; see SearchContext.usualFrom.
  const usualFrom = earliest;
  const usualTo = latest - input.sessionMinutes;
  if (options.earliest === undefined && options.latest === undefined && !sharedHoursWithin(members, circleZone, startOnDay, earliest, latest, sessionMs)) {
    // No session fits everyone's hours inside the usual day: score the whole day, or the slot
    // that suits the far side of the circle (Seattle for a Bengaluru circle) is never considered
    // and no fair rotation can be offered. Night hours still weigh as burden for whoever has them.
    // Half-hour steps keep the work of the wider search where the usual day's would be.
    earliest = 0;
    latest = 24 * 60;
    stepMinutes = options.stepMinutes ?? 30;
  }

  const startMinutes: number[] = [];
  for (let t = Math.ceil(earliest / stepMinutes) * stepMinutes; t + input.sessionMinutes <= latest; t += stepMinutes) startMinutes.push(t);

  return {
    circleZoneName: input.circleTimeZone,
    circleZone,
    members,
    sessionMinutes: input.sessionMinutes,
    sessionMs,
    sessionCount,
    startOnDay,
    ...(endsOnDay !== undefined ? { endsOnDay } : {}),
    cadence: input.cadence,
    startMinutes,
    usualFrom,
    usualTo,
    stepMinutes,
    maxResults,
    names: new Map(input.members.map((m) => [m.id, m.displayName])),
  };
}

/**
 * Whether a zone keeps one offset from two days before to three days after `dayLocalMs` — wide
 * enough to hold the day's sessions in any zone plus the working hours measured around them.
 */
export function isSteadyAround(z: ZoneOffsets, dayLocalMs: number): boolean {
  return offsetAt(z, dayLocalMs - 2 * DAY_MS) === offsetAt(z, dayLocalMs + 3 * DAY_MS);
}

/**
 * UTC starts of every candidate start time on one date (circle zone). Returns true when they
 * form an even grid (no offset change that day), which lets callers work in grid indices.
 */
export function fillStarts(ctx: SearchContext, dayLocalMs: number, out: Float64Array): boolean {
  const z = ctx.circleZone;
  const minutes = ctx.startMinutes;
  if (isSteadyAround(z, dayLocalMs)) {
    const base = dayLocalMs - offsetAt(z, dayLocalMs) * MINUTE_MS;
    for (let t = 0; t < minutes.length; t++) out[t] = base + minutes[t]! * MINUTE_MS;
    return true;
  }
  for (let t = 0; t < minutes.length; t++) out[t] = localToUtc(z, dayLocalMs + minutes[t]! * MINUTE_MS);
  return false;
}

/**
 * A member's working windows as UTC intervals over `[fromUtc, toUtc]` (whole local days around
 * it, so hours past midnight and the gap to the nearest working day are measured correctly).
 * Built once per search: a day's window is one subtraction away from UTC except near an offset
 * change, where it is converted on its own.
 */
function workWindows(workZone: ZoneOffsets, workDays: readonly boolean[], workStart: number, workEnd: number, fromUtc: number, toUtc: number): IntervalSet {
  const firstDay = Math.floor(utcToLocal(workZone, fromUtc) / DAY_MS) * DAY_MS - 2 * DAY_MS;
  const lastDay = Math.floor(utcToLocal(workZone, toUtc) / DAY_MS) * DAY_MS + 2 * DAY_MS;
  const starts: number[] = [];
  const ends: number[] = [];
  for (let day = firstDay; day <= lastDay; day += DAY_MS) {
    if (!workDays[weekdayOf(day)]) continue;
    const localStart = day + workStart * MINUTE_MS;
    const localEnd = day + workEnd * MINUTE_MS;
    const steady = isSteadyAround(workZone, day);
    const offset = steady ? offsetAt(workZone, day) * MINUTE_MS : 0;
    const start = steady ? localStart - offset : localToUtc(workZone, localStart);
    const end = steady ? localEnd - offset : localToUtc(workZone, localEnd);
    const n = ends.length;
    if (n > 0 && start <= ends[n - 1]!) ends[n - 1] = Math.max(ends[n - 1]!, end);
    else {
      starts.push(start);
      ends.push(end);
    }
  }
  return { starts, ends };
}

export interface OutsideMeasure {
  /** Minutes of the session outside working hours. */
  outside: number;
  /** Minutes between the session and the nearest working hours when it lies wholly outside them (capped at 12 h). */
  gap: number;
  /** Whether it sits before the working day (else after it). */
  early: boolean;
  /** Whether no working hours touch it. */
  wholly: boolean;
}

/** How far `[s, e)` lies outside a member's working windows (PreparedMember.work). O(log n). */
export function measureOutside(windows: IntervalSet, s: number, e: number, out: OutsideMeasure): OutsideMeasure {
  return measureFrom(windows, firstEndingAfter(windows, s), s, e, out);
}

/**
 * measureOutside for many sessions of one length (a date's candidate starts, normally
 * ascending): one sweep over the windows instead of a search per start. Writes, per start, the
 * minutes outside and the burden (minutes outside plus the gap; 0 when inside). Returns whether
 * any start is outside.
 */
export function measureOutsideMany(windows: IntervalSet, starts: Float64Array, durationMs: number, outside: Int32Array, burden: Int32Array): boolean {
  const ends = windows.ends;
  const n = ends.length;
  const measure: OutsideMeasure = { outside: 0, gap: 0, early: false, wholly: false };
  let first = 0;
  let previous = Infinity;
  let any = false;
  for (let t = 0; t < starts.length; t++) {
    const s = starts[t]!;
    if (s < previous) first = firstEndingAfter(windows, s);
    else while (first < n && ends[first]! <= s) first++;
    previous = s;
    measureFrom(windows, first, s, s + durationMs, measure);
    outside[t] = measure.outside;
    burden[t] = measure.outside > 0 ? measure.outside + measure.gap : 0;
    if (measure.outside > 0) any = true;
  }
  return any;
}

/** measureOutside, given `first` = the index of the first window that ends after s. */
function measureFrom(windows: IntervalSet, first: number, s: number, e: number, out: OutsideMeasure): OutsideMeasure {
  const ws = windows.starts;
  const we = windows.ends;
  // Windows before `first` end at or before s; the rest are in start order.
  const prevEnd = first > 0 ? we[first - 1]! : -Infinity;
  let covered = 0;
  let nextStart = Infinity;
  for (let q = first; q < ws.length; q++) {
    const a = ws[q]!;
    if (a >= e) {
      if (a < nextStart) nextStart = a;
      break;
    }
    covered += Math.min(e, we[q]!) - Math.max(s, a);
    if (a > s && a < nextStart) nextStart = a;
  }
  const duration = e - s;
  out.outside = Math.round((duration - covered) / MINUTE_MS);
  out.wholly = covered === 0;
  if (covered === 0) {
    const sinceEnd = s - prevEnd;
    const untilStart = nextStart - e;
    out.gap = Math.round(Math.min(MAX_GAP_MS, sinceEnd, untilStart) / MINUTE_MS);
    // 00:30 is "late" after a day that ended at 17:00, "early" before one that starts at 06:00.
    out.early = untilStart <= sinceEnd;
  } else {
    out.gap = 0;
    out.early = nextStart < e && nextStart > s;
  }
  return out;
}
