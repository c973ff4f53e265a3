import { DateTime } from "luxon";
import type { BusyStatus, FindSlotsInput, SlotSearchMember } from "../../../../api/scheduling";

/**
 * Builders for slot-search inputs. Instants are made with luxon straight from wall-clock times
 * in a named zone, independently of the module's own offset tables, so a zone bug there shows.
 */

export const WEEKDAYS: SlotSearchMember["workingHours"]["daysOfWeek"] = ["monday", "tuesday", "wednesday", "thursday", "friday"];

/** Epoch ms of a wall-clock time ("2026-03-03T15:00") in an IANA zone. */
export function at(local: string, zone: string): number {
  const dt = DateTime.fromISO(local, { zone });
  if (!dt.isValid) throw new Error(`bad test time ${local} ${zone}`);
  return dt.toMillis();
}

/** A busy item from wall-clock times in `zone`. */
export function busy(startLocal: string, endLocal: string, zone: string, status: BusyStatus = "busy"): SlotSearchMember["busy"][number] {
  return { start: at(startLocal, zone), end: at(endLocal, zone), status };
}

export function member(
  id: string,
  timeZone: string,
  opts: { displayName?: string; hours?: [start: string, end: string]; days?: SlotSearchMember["workingHours"]["daysOfWeek"]; busy?: SlotSearchMember["busy"] } = {},
): SlotSearchMember {
  const [startTime, endTime] = opts.hours ?? ["09:00", "17:00"];
  return {
    id,
    displayName: opts.displayName ?? id[0]!.toUpperCase() + id.slice(1),
    timeZone,
    workingHours: { daysOfWeek: opts.days ?? WEEKDAYS, startTime, endTime, timeZone },
    busy: [...(opts.busy ?? [])].sort((a, b) => a.start - b.start),
  };
}

export function circle(members: SlotSearchMember[], overrides: Partial<FindSlotsInput> = {}): FindSlotsInput {
  return { members, circleTimeZone: "Europe/London", cadence: "weekly", sessionMinutes: 60, sessionCount: 6, startOn: "2026-01-05", ...overrides };
}

/** "tuesday 15:00" labels for a list of suggestions, in rank order. */
export function labels(slots: Array<{ weekday: string; localTime: string }>): string[] {
  return slots.map((s) => `${s.weekday} ${s.localTime}`);
}
