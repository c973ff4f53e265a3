import type { DateTimeTimeZone } from "@microsoft/microsoft-graph-types";
import { z } from "zod";
import { readBatchItemOrThrow, type BatchRequest } from "./batch";
import { toEpochMs, toGraphDateTimeUtc } from "./date-time";
import { GraphWorkingHoursSchema, toWorkingHours, type WorkingHours } from "./schemas";
import type { GraphClient } from "./types";

/**
 * Free/busy for many people over a long horizon via `getSchedule`
 * (https://learn.microsoft.com/graph/api/calendar-getschedule): at most 20 schedules per call and
 * a window shorter than 62 days, so the horizon is cut into windows and people into groups of 20,
 * and all those calls travel in $batch (20 per batch).
 */

export const MAX_SCHEDULES_PER_CALL = 20;
/** getSchedule refuses windows of 62 days or more. */
export const MAX_SCHEDULE_WINDOW_MS = 61 * 24 * 60 * 60 * 1000;

export type BusyStatus = "tentative" | "busy" | "oof" | "workingElsewhere" | "unknown";
const BUSY_STATUSES: ReadonlySet<string> = new Set<BusyStatus>(["tentative", "busy", "oof", "workingElsewhere", "unknown"]);

/** Half-open [start, end) in epoch ms. */
export interface BusyInterval {
  start: number;
  end: number;
  status: BusyStatus;
}

export interface PersonSchedule {
  /** As requested (email / UPN). */
  scheduleId: string;
  /** Sorted by start; everything but "free". */
  busy: BusyInterval[];
  /** Null when Graph sent none or in a zone we cannot map. */
  workingHours: WorkingHours | null;
  /** Graph could not read this person's calendar (unknown address, no mailbox): treat as unknown, not free. */
  error?: { code: string; message: string };
}

export interface ScheduleQuery {
  /** Email addresses / UPNs. */
  schedules: readonly string[];
  /** Horizon [start, end) in epoch ms. */
  start: number;
  end: number;
  /** `availabilityViewInterval`, 5–1440 minutes. Default 30. */
  intervalMinutes?: number;
  /** Whose calendar endpoint asks: "me" (default, delegated) or a user id (app-only). */
  mailbox?: string;
}

/** The getSchedule request body (checked against Graph's published types; they stay in this file). */
interface GetScheduleBody {
  schedules: string[];
  startTime: DateTimeTimeZone;
  endTime: DateTimeTimeZone;
  availabilityViewInterval: number;
}

const GraphDateTimeSchema = z.object({ dateTime: z.string(), timeZone: z.string().nullish() });

const GetScheduleResponseSchema = z.object({
  value: z.array(
    z.object({
      scheduleId: z.string(),
      scheduleItems: z.array(z.object({ status: z.string(), start: GraphDateTimeSchema, end: GraphDateTimeSchema })).nullish(),
      workingHours: GraphWorkingHoursSchema.nullish(),
      error: z.object({ message: z.string().nullish(), responseCode: z.string().nullish() }).nullish(),
    }),
  ),
});

/** Cuts [start, end) into consecutive windows shorter than 62 days. */
export function splitScheduleWindows(start: number, end: number): Array<{ start: number; end: number }> {
  const windows: Array<{ start: number; end: number }> = [];
  for (let s = start; s < end; s += MAX_SCHEDULE_WINDOW_MS) windows.push({ start: s, end: Math.min(end, s + MAX_SCHEDULE_WINDOW_MS) });
  return windows;
}

/**
 * Busy intervals and working hours per person, in the order of `query.schedules`.
 * Throws RangeError for an invalid query and GraphRequestError when a call fails (including one
 * still throttled after the retries): a partial answer would make slot search lie.
 */
export async function getSchedules(graph: GraphClient, query: ScheduleQuery): Promise<PersonSchedule[]> {
  const interval = query.intervalMinutes ?? 30;
  if (!Number.isFinite(query.start) || !Number.isFinite(query.end) || query.start >= query.end) {
    throw new RangeError(`getSchedules needs start < end (got ${query.start} … ${query.end}).`);
  }
  if (!Number.isInteger(interval) || interval < 5 || interval > 1440) throw new RangeError(`intervalMinutes must be 5–1440 (got ${interval}).`);
  if (query.schedules.length === 0) return [];

  const mailbox = query.mailbox ?? "me";
  const url = mailbox === "me" ? "/me/calendar/getSchedule" : `/users/${encodeURIComponent(mailbox)}/calendar/getSchedule`;
  const groups: string[][] = [];
  for (let i = 0; i < query.schedules.length; i += MAX_SCHEDULES_PER_CALL) groups.push(query.schedules.slice(i, i + MAX_SCHEDULES_PER_CALL));

  const requests: BatchRequest[] = [];
  const requestGroups = new Map<string, string[]>();
  splitScheduleWindows(query.start, query.end).forEach((window, w) => {
    groups.forEach((group, g) => {
      const id = `w${w}-g${g}`;
      requestGroups.set(id, group);
      const body: GetScheduleBody = { schedules: group, startTime: toGraphDateTimeUtc(window.start), endTime: toGraphDateTimeUtc(window.end), availabilityViewInterval: interval };
      requests.push({
        id,
        method: "POST",
        url,
        // Returned times in UTC: no Windows zone to interpret on the way back.
        headers: { Prefer: 'outlook.timezone="UTC"' },
        body,
      });
    });
  });

  // getSchedule is a read, so repeating the batch after a network error is safe.
  const results = await graph.batch(requests, { idempotent: true });

  const people = new Map<string, PersonSchedule & { seen: Set<string> }>();
  for (const id of query.schedules) {
    const key = id.toLowerCase();
    if (!people.has(key)) people.set(key, { scheduleId: id, busy: [], workingHours: null, seen: new Set() });
  }
  for (const result of results) {
    const group = requestGroups.get(result.id) ?? [];
    const body = readBatchItemOrThrow(result, GetScheduleResponseSchema, `POST ${url} (${result.id})`);
    body.value.forEach((info, index) => {
      const person = people.get(info.scheduleId.toLowerCase()) ?? people.get((group[index] ?? "").toLowerCase());
      if (person === undefined) return;
      if (info.error) {
        person.error = { code: info.error.responseCode ?? "error", message: info.error.message ?? "Graph could not read this schedule." };
      }
      if (info.workingHours && person.workingHours === null) person.workingHours = toWorkingHours(info.workingHours) ?? null;
      for (const item of info.scheduleItems ?? []) {
        if (item.status === "free") continue;
        const status = (BUSY_STATUSES.has(item.status) ? item.status : "unknown") as BusyStatus;
        const start = Math.max(query.start, toEpochMs(item.start));
        const end = Math.min(query.end, toEpochMs(item.end));
        if (start >= end) continue;
        // An item spanning a window boundary is reported by both windows.
        const dedupe = `${start}|${end}|${status}`;
        if (person.seen.has(dedupe)) continue;
        person.seen.add(dedupe);
        person.busy.push({ start, end, status });
      }
    });
  }
  return query.schedules.map((id) => {
    const person = people.get(id.toLowerCase());
    if (person === undefined) throw new Error(`unreachable: ${id} not tracked`);
    const { seen: _seen, ...schedule } = person;
    return { ...schedule, busy: [...schedule.busy].sort((a, b) => a.start - b.start || a.end - b.end) };
  });
}
