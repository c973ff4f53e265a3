import { IANAZone } from "luxon";
import windowsZonesJson from "cldr-core/supplemental/windowsZones.json" with { type: "json" };
import { GraphError } from "../errors.js";

/**
 * Time-zone names as Exchange takes them: Windows names ("GMT Standard Time") and IANA names
 * ("Europe/London"), mapped with CLDR's windowsZones (the table Exchange's own mapping follows).
 * Internally everything is IANA; Windows names only appear in what Graph would return.
 */

interface MapZone {
  mapZone: { _other: string; _type: string; _territory: string };
}

const mapZones = (windowsZonesJson as unknown as { supplemental: { windowsZones: { mapTimezones: MapZone[] } } }).supplemental.windowsZones.mapTimezones;

/**
 * CLDR keeps some legacy ids as canonical (it names India "Asia/Calcutta"); callers send the
 * modern IANA names, so both spellings must resolve.
 */
const LEGACY_TO_MODERN: Record<string, string> = {
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Asia/Rangoon": "Asia/Yangon",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "America/Godthab": "America/Nuuk",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "America/Louisville": "America/Kentucky/Louisville",
  "Europe/Kiev": "Europe/Kyiv",
  "Africa/Asmera": "Africa/Asmara",
  "Pacific/Truk": "Pacific/Chuuk",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Enderbury": "Pacific/Kanton",
};

const windowsToIana = new Map<string, string>();
const ianaToWindows = new Map<string, string>();
for (const { mapZone } of mapZones) {
  const windows = mapZone._other;
  const zones = mapZone._type.split(" ");
  if (mapZone._territory === "001") {
    const primary = zones[0] ?? "Etc/UTC";
    windowsToIana.set(windows.toLowerCase(), LEGACY_TO_MODERN[primary] ?? primary);
  }
  for (const zone of zones) {
    if (!ianaToWindows.has(zone)) ianaToWindows.set(zone, windows);
    const modern = LEGACY_TO_MODERN[zone];
    if (modern && !ianaToWindows.has(modern)) ianaToWindows.set(modern, windows);
  }
}
ianaToWindows.set("UTC", "UTC");
windowsToIana.set("utc", "Etc/UTC");

const resolved = new Map<string, string | undefined>();

/** IANA zone for a Windows or IANA name; undefined when neither. */
export function findIanaZone(name: string): string | undefined {
  // Validating an IANA name builds an Intl.DateTimeFormat (~0.3 ms); names repeat, so memoise.
  if (resolved.has(name)) return resolved.get(name);
  const zone = resolveZone(name);
  if (resolved.size < 10_000) resolved.set(name, zone);
  return zone;
}

function resolveZone(name: string): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return undefined;
  const fromWindows = windowsToIana.get(trimmed.toLowerCase());
  if (fromWindows) return fromWindows;
  if (/^(utc|gmt|etc\/utc|etc\/gmt|z)$/i.test(trimmed)) return "Etc/UTC";
  if (IANAZone.isValidZone(trimmed)) return LEGACY_TO_MODERN[trimmed] ?? trimmed;
  return undefined;
}

/**
 * Like findIanaZone but answers as Graph does for a zone it cannot use.
 * @throws GraphError 400 TimeZoneNotSupportedException
 */
export function getIanaZoneOrThrow(name: string | null | undefined): string {
  const zone = name == null ? undefined : findIanaZone(name);
  if (!zone) {
    throw new GraphError(400, "TimeZoneNotSupportedException", `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${name ?? ""}'.`);
  }
  return zone;
}

/** The Windows name Exchange reports for an IANA zone ("UTC" when CLDR has none). */
export function toWindowsZone(iana: string): string {
  return ianaToWindows.get(iana) ?? ianaToWindows.get(LEGACY_TO_MODERN[iana] ?? "") ?? (iana === "Etc/UTC" ? "UTC" : iana);
}

// ---------------------------------------------------------------------------------------------
// Offsets. luxon's IANAZone.offset costs ~14 µs (Intl formatting) and calendar views convert
// thousands of times, so offsets are memoised per UTC day: two lookups tell whether the day
// has a transition, and a binary search (to the minute) finds it when it does.

interface DayOffsets {
  before: number;
  after: number;
  /** First instant (ms) with `after`; +∞ when the day has no transition. */
  switchMs: number;
}

const DAY_MS = 86_400_000;
const dayCaches = new Map<string, Map<number, DayOffsets>>();

function dayOffsets(zone: string, day: number): DayOffsets {
  let cache = dayCaches.get(zone);
  if (!cache) {
    cache = new Map();
    dayCaches.set(zone, cache);
  }
  let entry = cache.get(day);
  if (!entry) {
    const z = IANAZone.create(zone);
    const start = day * DAY_MS;
    const before = cache.get(day - 1)?.after ?? z.offset(start);
    const after = z.offset(start + DAY_MS);
    let switchMs = Number.POSITIVE_INFINITY;
    if (before !== after) {
      let lo = start; // offset(lo) === before
      let hi = start + DAY_MS; // offset(hi) === after
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (z.offset(mid) === before) lo = mid;
        else hi = mid;
      }
      switchMs = hi;
    }
    entry = { before, after, switchMs };
    cache.set(day, entry);
  }
  return entry;
}

/** Offset of `zone` from UTC in minutes at the instant `ms`. */
export function offsetMinutes(zone: string, ms: number): number {
  if (zone === "Etc/UTC") return 0;
  const d = dayOffsets(zone, Math.floor(ms / DAY_MS));
  return ms >= d.switchMs ? d.after : d.before;
}

/**
 * The instant of a wall-clock time in `zone`. `wallMs` is the wall time written as if it were
 * UTC (Date.UTC(y, m, d, h, mi)). Resolves DST edges as Exchange does: a time inside the
 * spring-forward gap moves forward by the gap (01:30 London on the switch day → 02:30 BST);
 * an ambiguous time in the autumn overlap takes its first occurrence (the daylight one).
 */
export function wallToInstant(wallMs: number, zone: string): number {
  const before = offsetMinutes(zone, wallMs - 14 * 3_600_000);
  const after = offsetMinutes(zone, wallMs + 14 * 3_600_000);
  if (before === after) {
    const guess = wallMs - before * 60_000;
    const actual = offsetMinutes(zone, guess);
    if (actual === before) return guess;
    // Two transitions within a day (rare); resolve against the offset actually found.
    return resolve(wallMs, zone, before, actual);
  }
  return resolve(wallMs, zone, before, after);
}

function resolve(wallMs: number, zone: string, offsetBefore: number, offsetAfter: number): number {
  const valid = [wallMs - offsetBefore * 60_000, wallMs - offsetAfter * 60_000]
    .filter((instant) => offsetMinutes(zone, instant) * 60_000 === wallMs - instant)
    .sort((a, b) => a - b);
  const first = valid[0];
  if (first !== undefined) return first;
  // In the gap: read the wall time with the offset in force before the transition, which
  // lands the same distance after the transition (shift forward by the gap).
  return wallMs - offsetBefore * 60_000;
}

/** Wall time (as-if-UTC ms) of an instant in `zone`. */
export function instantToWall(ms: number, zone: string): number {
  return ms + offsetMinutes(zone, ms) * 60_000;
}
