import { getZoneOffsets } from "../scheduling";

/**
 * Working hours as a UTC week: 672 slots of 15 minutes, slot 0 = Monday 00:00 UTC. Fifteen
 * minutes is the finest grain real zones need (Asia/Kathmandu is +05:45, Pacific/Chatham +12:45).
 * The week wraps: Sunday 23:45 UTC is followed by Monday 00:00, so a Sydney–Tokyo team working
 * across midnight UTC is one run, not two.
 */
export const SLOT_MINUTES = 15;
export const SLOTS_PER_DAY = (24 * 60) / SLOT_MINUTES;
export const SLOTS_PER_WEEK = 7 * SLOTS_PER_DAY;

/** 1 where the person (or everyone in a group) is within working hours, 0 elsewhere. */
export type WeekMask = Uint8Array;

export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Working hours in the person's own zone (mailboxSettings.workingHours, converted to IANA upstream). */
export interface LocalWorkingHours {
  daysOfWeek: readonly Weekday[];
  /** "HH:mm", local. */
  startTime: string;
  /** "HH:mm", local; at or before startTime means the shift crosses midnight. */
  endTime: string;
}

export const DEFAULT_WORKING_HOURS: LocalWorkingHours = {
  daysOfWeek: ["monday", "tuesday", "wednesday", "thursday", "friday"],
  startTime: "09:00",
  endTime: "17:00",
};

const DAY_MS = 24 * 60 * 60 * 1000;

function minutesOf(hhmm: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!match) throw new RangeError(`"${hhmm}" is not an HH:mm time`);
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (minutes > 24 * 60) throw new RangeError(`"${hhmm}" is not an HH:mm time`);
  return minutes;
}

/**
 * Every UTC offset the zone uses during `[fromMs, toMs)`: the standard offset and, where the zone
 * observes daylight saving, the daylight one (sometimes more, e.g. a zone that changed its rules).
 * @throws RangeError for an unknown zone.
 */
export function offsetsDuring(zone: string, fromMs: number, toMs: number): number[] {
  const table = getZoneOffsets(zone, fromMs, toMs);
  const found = new Set<number>();
  for (let k = 0; k < table.offsets.length; k++) {
    const begins = k === 0 ? -Infinity : table.transitions[k - 1]!;
    const ends = k === table.transitions.length ? Infinity : table.transitions[k]!;
    if (begins < toMs && ends > fromMs) found.add(table.offsets[k]!);
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * The UTC slots in which the person is at work whatever daylight saving does during the year
 * from `fromMs`: the intersection of their working week under each offset their zone uses.
 * Circles meet for months, so a time that only works in winter is not shared time.
 *
 * Working hours are rounded inwards to whole slots (09:10–17:00 counts from 09:15).
 * @throws RangeError for an unknown zone or a malformed time.
 */
export function yearRoundWorkingWeek(zone: string, hours: LocalWorkingHours, fromMs: number): WeekMask {
  const offsets = offsetsDuring(zone, fromMs, fromMs + 365 * DAY_MS);
  const startSlot = Math.ceil(minutesOf(hours.startTime) / SLOT_MINUTES);
  const endMinutes = minutesOf(hours.endTime);
  let endSlot = Math.floor(endMinutes / SLOT_MINUTES);
  if (endSlot <= startSlot) endSlot += SLOTS_PER_DAY;
  const days = new Set(hours.daysOfWeek.map((d) => WEEKDAYS.indexOf(d)));

  const result = new Uint8Array(SLOTS_PER_WEEK).fill(1);
  for (const offset of offsets) {
    const mask = new Uint8Array(SLOTS_PER_WEEK);
    const shift = offset / SLOT_MINUTES; // local = UTC + offset, so UTC slot = local slot - shift
    for (const day of days) {
      if (day < 0) continue;
      for (let local = day * SLOTS_PER_DAY + startSlot; local < day * SLOTS_PER_DAY + endSlot; local++) {
        mask[mod(local - shift, SLOTS_PER_WEEK)] = 1;
      }
    }
    for (let s = 0; s < SLOTS_PER_WEEK; s++) result[s]! &= mask[s]!;
  }
  return result;
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}

/** Slots free in both masks. */
export function intersectWeeks(a: WeekMask, b: WeekMask): WeekMask {
  const out = new Uint8Array(SLOTS_PER_WEEK);
  for (let s = 0; s < SLOTS_PER_WEEK; s++) out[s] = a[s]! & b[s]!;
  return out;
}

/**
 * `out[s] = 1` when the `length` slots from `s` (wrapping round the week) are all set: the
 * places a meeting of that length could start.
 */
export function windowStarts(mask: WeekMask, length: number): Uint8Array {
  const out = new Uint8Array(SLOTS_PER_WEEK);
  if (length <= 0) return out.fill(1);
  // run[s] = consecutive set slots starting at s, computed backwards over two laps so runs wrap.
  let run = 0;
  const runs = new Int32Array(SLOTS_PER_WEEK);
  for (let i = 2 * SLOTS_PER_WEEK - 1; i >= 0; i--) {
    const s = i % SLOTS_PER_WEEK;
    run = mask[s] ? Math.min(run + 1, SLOTS_PER_WEEK) : 0;
    if (i < SLOTS_PER_WEEK) runs[s] = run;
  }
  for (let s = 0; s < SLOTS_PER_WEEK; s++) out[s] = runs[s]! >= length ? 1 : 0;
  return out;
}

/** Whether the mask holds `length` consecutive slots anywhere in the week. */
export function hasRun(mask: WeekMask, length: number): boolean {
  return longestRun(mask).length >= length;
}

/** The longest run of set slots (wrapping), as its first slot and length; length 0 when empty. */
export function longestRun(mask: WeekMask): { start: number; length: number } {
  let best = { start: 0, length: 0 };
  let allSet = true;
  for (let s = 0; s < SLOTS_PER_WEEK; s++) if (!mask[s]) allSet = false;
  if (allSet) return { start: 0, length: SLOTS_PER_WEEK };
  // Start scanning just after an unset slot so a run crossing Sunday→Monday is seen whole.
  let origin = 0;
  while (mask[origin]) origin++;
  let runStart = -1;
  for (let i = 1; i <= SLOTS_PER_WEEK; i++) {
    const s = (origin + i) % SLOTS_PER_WEEK;
    if (mask[s] && i < SLOTS_PER_WEEK) {
      if (runStart < 0) runStart = s;
    } else if (runStart >= 0) {
      const length = mod(s - runStart, SLOTS_PER_WEEK);
      if (length > best.length) best = { start: runStart, length };
      runStart = -1;
    }
  }
  return best;
}

/** Set slots in the mask, in minutes. */
export function sharedMinutes(mask: WeekMask): number {
  let n = 0;
  for (let s = 0; s < SLOTS_PER_WEEK; s++) n += mask[s]!;
  return n * SLOT_MINUTES;
}

/** "HH:mm" of a slot's time of day (UTC). */
export function slotClock(slot: number): string {
  const minutes = (mod(slot, SLOTS_PER_DAY) * SLOT_MINUTES) % (24 * 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/**
 * UTC weekdays on which the whole time-of-day range `[startSlot, startSlot + length)` (taken
 * from one day's run) is set, so an explanation can say "13:00–15:00 UTC, Mon–Fri".
 */
export function daysWithRange(mask: WeekMask, startSlot: number, length: number): Weekday[] {
  const timeOfDay = mod(startSlot, SLOTS_PER_DAY);
  const days: Weekday[] = [];
  for (let day = 0; day < 7; day++) {
    let all = true;
    for (let i = 0; i < length && all; i++) if (!mask[mod(day * SLOTS_PER_DAY + timeOfDay + i, SLOTS_PER_WEEK)]) all = false;
    if (all) days.push(WEEKDAYS[day]!);
  }
  return days;
}
