import { DateTime } from "luxon";
import { findIanaZone } from "./time-zones";

/** Graph's `dateTimeTimeZone`: a wall-clock time ("2025-03-30T09:00:00.0000000") and the zone it is in. */
export interface GraphDateTime {
  dateTime: string;
  timeZone?: string | null;
}

/**
 * A Graph `dateTimeTimeZone` as an instant (epoch ms). The zone may be a Windows or an IANA name;
 * absent means UTC (what Graph returns without a `Prefer: outlook.timezone` header).
 * Throws a RangeError for an unknown zone or an unparseable time, naming both.
 */
export function toEpochMs(value: GraphDateTime): number {
  const zoneName = value.timeZone ?? "UTC";
  const zone = findIanaZone(zoneName);
  if (zone === undefined) throw new RangeError(`Unknown time zone "${zoneName}" in Graph dateTime ${value.dateTime}.`);
  // A trailing "Z" or offset wins over the zone, as in Graph itself.
  const parsed = DateTime.fromISO(value.dateTime, { zone, setZone: false });
  if (!parsed.isValid) throw new RangeError(`Unparseable Graph dateTime "${value.dateTime}" (${parsed.invalidExplanation ?? "invalid"}).`);
  return parsed.toMillis();
}

/** An instant as a Graph `dateTimeTimeZone` in UTC, the unambiguous form for requests. */
export function toGraphDateTimeUtc(epochMs: number): { dateTime: string; timeZone: "UTC" } {
  // Graph wants the wall-clock part without an offset; the zone travels separately.
  return { dateTime: new Date(epochMs).toISOString().replace(/Z$/, ""), timeZone: "UTC" };
}
