import windowsZonesJson from "cldr-core/supplemental/windowsZones.json" with { type: "json" };
import { z } from "zod";

/**
 * Windows ↔ IANA time zone names. Graph speaks Windows names ("W. Europe Standard Time") in
 * mailboxSettings, getSchedule and event times (and sometimes IANA names); the rest of the
 * product keeps IANA only (style.md #5), so Windows names never leave api/graph/.
 *
 * Data: CLDR `supplemental/windowsZones.json` (cldr-core 48). Territory "001" is CLDR's primary
 * (golden) zone for a Windows name; the other territories list every IANA zone a Windows name
 * covers, which is what the reverse direction needs.
 */

const WindowsZonesFile = z.object({
  supplemental: z.object({
    windowsZones: z.object({
      mapTimezones: z.array(z.object({ mapZone: z.object({ _other: z.string(), _type: z.string(), _territory: z.string() }) })),
    }),
  }),
});

const mapZones = WindowsZonesFile.parse(windowsZonesJson).supplemental.windowsZones.mapTimezones.map((m) => m.mapZone);

/**
 * CLDR keeps the first spelling a zone had ("Asia/Calcutta"); the tz database and people use the
 * current one ("Asia/Kolkata"). These are the 001 zones of windowsZones that were renamed.
 */
const CURRENT_IANA_NAME: Readonly<Record<string, string>> = {
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Europe/Kiev": "Europe/Kyiv",
  "America/Godthab": "America/Nuuk",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Indianapolis": "America/Indiana/Indianapolis",
};

/** Windows name (lower-cased, Graph is not consistent about case) → primary IANA zone. */
const primaryIanaByWindows = new Map<string, string>();
/** Windows names spelled as CLDR spells them, for results. */
const windowsNames = new Map<string, string>();
/** IANA zone (as CLDR spells it, and as this runtime's ICU canonicalises it) → Windows name. */
const windowsByIana = new Map<string, string>();

for (const zone of mapZones) {
  const key = zone._other.toLowerCase();
  windowsNames.set(key, zone._other);
  if (zone._territory === "001") primaryIanaByWindows.set(key, CURRENT_IANA_NAME[zone._type] ?? zone._type);
}
for (const zone of mapZones) {
  // "001" first so an IANA zone listed under several Windows names maps to the one it is primary for.
  for (const iana of zone._type.split(/\s+/).filter((t) => t !== "")) {
    if (zone._territory === "001" || !windowsByIana.has(iana)) windowsByIana.set(iana, zone._other);
  }
}

/**
 * The runtime's canonical spelling of an IANA zone, or undefined when the runtime does not
 * know it. ICU canonicalises to CLDR ids, which resolves aliases: "Asia/Kolkata" →
 * "Asia/Calcutta", "Europe/Kyiv" → "Europe/Kiev", "Etc/UTC" → "UTC".
 */
/** Answers so far: building an Intl.DateTimeFormat per Graph request body was a hot spot. */
const canonicalByZone = new Map<string, string | undefined>();

function canonicalIana(zone: string): string | undefined {
  if (canonicalByZone.has(zone)) return canonicalByZone.get(zone);
  let canonical: string | undefined;
  try {
    canonical = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    canonical = undefined;
  }
  // Bounded: names come from mailboxes and requests, a caller inventing names cannot grow it without end.
  if (canonicalByZone.size < 1_000) canonicalByZone.set(zone, canonical);
  return canonical;
}

function isIanaZoneName(name: string): boolean {
  // Intl also accepts offsets and abbreviations ("+05:00", "EST"); an IANA name has a region part.
  return (name.includes("/") || name === "UTC" || name === "GMT") && canonicalIana(name) !== undefined;
}

/** Graph occasionally reports UTC mailboxes as this URI instead of a Windows name. */
const GRAPH_UTC_URI = "tzone://microsoft/utc";

/**
 * The IANA zone for a time zone name as Graph sends it: a Windows name (mapped through CLDR
 * territory "001") or an IANA name (passed through unchanged). Undefined when unknown, e.g. a
 * mailbox's "Customized Time Zone".
 */
export function findIanaZone(name: string): string | undefined {
  const trimmed = name.trim();
  const key = trimmed.toLowerCase();
  if (key === GRAPH_UTC_URI) return "Etc/UTC";
  const primary = primaryIanaByWindows.get(key);
  if (primary !== undefined) return primary;
  return isIanaZoneName(trimmed) ? trimmed : undefined;
}

/** Like {@link findIanaZone}; throws a RangeError naming the zone when it is unknown. */
export function getIanaZoneOrThrow(name: string): string {
  const zone = findIanaZone(name);
  if (zone === undefined) throw new RangeError(`Unknown time zone "${name}": neither a Windows time zone (CLDR windowsZones) nor an IANA zone.`);
  return zone;
}

/**
 * The Windows name Graph expects for an IANA zone, or undefined when CLDR has no mapping.
 * Aliases resolve ("Asia/Kolkata" → "India Standard Time"); a Windows name is passed through.
 */
export function findWindowsZone(ianaZone: string): string | undefined {
  const trimmed = ianaZone.trim();
  const direct = windowsByIana.get(trimmed);
  if (direct !== undefined) return direct;
  const canonical = canonicalIana(trimmed);
  if (canonical !== undefined) {
    const viaAlias = windowsByIana.get(canonical) ?? (canonical === "UTC" ? windowsByIana.get("Etc/UTC") : undefined);
    if (viaAlias !== undefined) return viaAlias;
  }
  return windowsNames.get(trimmed.toLowerCase());
}

/** Like {@link findWindowsZone}; throws a RangeError naming the zone when it is unknown. */
export function getWindowsZoneOrThrow(ianaZone: string): string {
  const zone = findWindowsZone(ianaZone);
  if (zone === undefined) throw new RangeError(`Unknown time zone "${ianaZone}": no Windows time zone maps to it in CLDR windowsZones.`);
  return zone;
}

/** Windows (or IANA) name → IANA zone; throws a RangeError when unknown. */
export const windowsToIana = getIanaZoneOrThrow;
/** IANA zone → Windows name; throws a RangeError when unknown. */
export const ianaToWindows = getWindowsZoneOrThrow;
