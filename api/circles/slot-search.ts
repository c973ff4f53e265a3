import type { CallerIdentity } from "../auth/identity";
import { getSchedules, type PersonSchedule } from "../graph";
import { badRequest } from "../shared/errors";
import { FindSlotsInputSchema, findSlots, occurrenceDays, occurrenceDaysUntil, type BusyStatus, type Cadence, type FindSlotsInput, type SlotSuggestion } from "../scheduling";
import type { CircleMemberRow } from "../storage";
import { loadCircleForMember } from "./access";
import { findKnownUserZones, updateMemberZones } from "./repository";
import type { SlotSearchResult, SlotView } from "./schemas";
import { sessionsUntil, tomorrowIn } from "./series-end";
import type { CirclesDeps } from "./service";

/** Kept here too: callers and tests know it as the slot search's "default first day". */
export { tomorrowIn };

const DAY_MS = 86_400_000;
const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"] as const;
/** What we assume when Graph has no working hours for someone (and say so in the explanation). */
const ASSUMED_HOURS = { startTime: "09:00", endTime: "17:00" };

/** "2026-03-03" → local ms of that day's midnight (the date is already validated). */
function localDay(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/**
 * The instants free/busy must cover: every session of every weekday's series that starts on or
 * after `startOn` (findSlots considers each weekday's first date on or after it) — up to
 * `endsOn` for a circle that ends on a date — with a day of margin either side for zones up to
 * ±14 h and the session length.
 */
export function seriesHorizon(startOn: string, cadence: Cadence, sessionCount: number, endsOn?: string): { start: number; end: number } {
  const first = localDay(startOn);
  let last = first;
  for (let offset = 0; offset < 7; offset++) {
    const days = endsOn === undefined ? occurrenceDays(first + offset * DAY_MS, cadence, sessionCount) : occurrenceDaysUntil(first + offset * DAY_MS, cadence, localDay(endsOn), sessionCount);
    if (days.length > 0) last = Math.max(last, days[days.length - 1]!);
  }
  return { start: first - DAY_MS, end: last + 2 * DAY_MS };
}

/** getSchedule's statuses → the slot search's ("unknown" weighs like tentative: it may or may not clash). */
function toBusyStatus(status: PersonSchedule["busy"][number]["status"]): BusyStatus {
  return status === "unknown" ? "tentative" : status;
}

interface MemberInfo {
  row: CircleMemberRow;
  displayName: string;
  timeZone: string;
}

function present(slot: SlotSuggestion, byId: ReadonlyMap<string, MemberInfo>, notes: string[]): SlotView {
  const upnOf = (id: string) => byId.get(id)?.row.upn ?? id;
  return {
    start: slot.start,
    timeZone: slot.timeZone,
    weekday: slot.weekday,
    localTime: slot.localTime,
    conflicts: slot.conflicts.map((c) => ({ date: c.date, members: c.memberIds.map(upnOf) })),
    outsideWorkingHours: slot.outsideWorkingHours.map(upnOf),
    explanation: [slot.explanation, ...notes].join(" · "),
    memberTimes: slot.perMember.map((v) => {
      const info = byId.get(v.memberId);
      return {
        upn: upnOf(v.memberId),
        displayName: info?.displayName ?? v.memberId,
        timeZone: info?.timeZone ?? slot.timeZone,
        localTime: v.localTime,
        shifts: v.localTimeChanges.map((c) => ({ after: c.after, localTime: c.localTime })),
      };
    }),
  };
}

/**
 * The best recurring slots for a circle (feature 2, "find time that is fair"): free/busy and
 * working hours of every current member over the whole series horizon (getSchedule in < 62-day
 * windows, ≤ 20 people a call, in $batch), scored over all sessions by findSlots. Up to 5 slots,
 * and a rotation when no slot is within everyone's hours.
 * @throws AppError not_found for non-members; GraphRequestError when Graph fails (a partial
 * answer would make the ranking lie).
 */
export async function searchSlots(deps: CirclesDeps, caller: CallerIdentity, circleId: string, body: { startOn?: string }): Promise<SlotSearchResult> {
  const { circle, members } = await loadCircleForMember(deps.db, caller, circleId);
  const cadence = circle.cadence as Cadence;
  const startOn = body.startOn ?? tomorrowIn(circle.time_zone, deps.clock());
  const endsOn = circle.ends_on ?? undefined;
  if (endsOn !== undefined && startOn > endsOn) throw badRequest(`Invalid request: startOn: the circle ends on ${endsOn}; choose an earliest first session on or before that date.`);
  // With an end date, the stored count is only an estimate: every session until the date counts.
  const sessionCount = endsOn !== undefined ? Math.max(1, sessionsUntil(startOn, cadence, endsOn)) : circle.session_count;
  const horizon = seriesHorizon(startOn, cadence, sessionCount, endsOn);

  const graph = deps.graph.forUser(caller);
  const [schedules, knownZones] = await Promise.all([
    getSchedules(graph, { schedules: members.map((m) => m.upn), start: horizon.start, end: horizon.end }),
    findKnownUserZones(deps.db, caller.tenantId, members.map((m) => m.user_id)),
  ]);

  const notes: string[] = [];
  const learned = new Map<string, string>();
  const byId = new Map<string, MemberInfo>();
  const inputMembers: FindSlotsInput["members"] = members.map((row, i) => {
    const schedule = schedules[i]!;
    const displayName = row.display_name || row.upn;
    // The mailbox zone (recorded when they opened the app) is what their calendar shows; the
    // working-hours zone is the next best thing Graph tells us about other people.
    const timeZone = knownZones.get(row.user_id) ?? schedule.workingHours?.timeZone ?? row.time_zone ?? circle.time_zone;
    if (timeZone !== row.time_zone) learned.set(row.user_id, timeZone);
    byId.set(row.user_id, { row, displayName, timeZone });
    if (schedule.error) notes.push(`${displayName}'s calendar could not be read (${schedule.error.code}), so their conflicts are unknown`);
    else if (!schedule.workingHours) notes.push(`${displayName}'s working hours are unknown (assumed ${ASSUMED_HOURS.startTime}–${ASSUMED_HOURS.endTime} weekdays)`);
    return {
      id: row.user_id,
      displayName,
      timeZone,
      workingHours: schedule.workingHours ?? { daysOfWeek: [...WEEKDAYS], ...ASSUMED_HOURS, timeZone },
      busy: schedule.busy.map((b) => ({ start: b.start, end: b.end, status: toBusyStatus(b.status) })),
    };
  });

  // The boundary check the slot search itself skips (slot-search-types.ts): Graph's data, mapped.
  const input = FindSlotsInputSchema.parse({
    members: inputMembers,
    circleTimeZone: circle.time_zone,
    cadence,
    sessionMinutes: circle.session_minutes,
    sessionCount,
    ...(endsOn !== undefined ? { endsOn } : {}),
    startOn,
    options: { maxResults: 5 },
  });
  const result = findSlots(input);
  if (learned.size > 0) await updateMemberZones(deps.db, circle.id, learned);

  return {
    slots: result.slots.slice(0, 5).map((s) => present(s, byId, notes)),
    ...(result.rotation
      ? {
          rotation: {
            explanation: [result.rotation.explanation, ...notes].join(" · "),
            slots: result.rotation.slots.map((s) => present(s, byId, [])),
            burden: result.rotation.burdenByMember.map((b) => ({
              upn: byId.get(b.memberId)?.row.upn ?? b.memberId,
              outsideSessions: b.outsideSessions,
              earlySessions: b.earlySessions,
              lateSessions: b.lateSessions,
              dayOffSessions: b.dayOffSessions,
            })),
          },
        }
      : {}),
  };
}
