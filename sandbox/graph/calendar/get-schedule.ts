import type { SandboxContext } from "../../context.js";
import { GraphError } from "../errors.js";
import type { CalendarService } from "./calendar-service.js";
import { parseZonedTime } from "./calendar-service.js";
import { instantOf } from "./event-store.js";
import type { OutputZone } from "./render-event.js";
import { dateTimeTimeZone, effectiveShowAs } from "./render-event.js";
import type { FreeBusyStatus } from "./schemas.js";
import { getScheduleBodySchema } from "./schemas.js";
import { toWindowsZone } from "./time-zones.js";

/**
 * POST /calendar/getSchedule: free/busy for up to 20 people.
 * Limits as Graph enforces them (errors copied from real responses):
 * - more schedules than allowed → 400 ErrorMailboxDataArrayTooBig (Graph documents 20;
 *   Exchange has been seen to allow 100 — we hold the documented limit);
 * - a window longer than 62 days → 400 ErrorTimeIntervalTooBig ("The allowed limit = 62
 *   days", microsoftgraph/microsoft-graph-docs#19703);
 * - availabilityViewInterval outside 5–1440 or longer than the window → 400
 *   ErrorInvalidMergedFreeBusyInterval (microsoft-graph-docs#6450).
 */

export const MAX_SCHEDULES = 20;
export const MAX_WINDOW_DAYS = 62;
const DAY_MS = 86_400_000;

/** availabilityView digits, and which status wins when items overlap a slot. */
const DIGIT: Record<FreeBusyStatus, string> = { free: "0", tentative: "1", busy: "2", oof: "3", workingElsewhere: "4", unknown: "0" };
const RANK: Record<FreeBusyStatus, number> = { unknown: 0, free: 0, workingElsewhere: 1, tentative: 2, busy: 3, oof: 4 };

/** Graph takes action parameters in any casing (`Schedules`, `StartTime` …). */
function camelKeys(body: unknown): unknown {
  if (!body || typeof body !== "object" || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), v]));
}

export function getSchedule(service: CalendarService, ctx: SandboxContext, rawBody: unknown) {
  const parsed = getScheduleBodySchema.safeParse(camelKeys(rawBody));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GraphError(400, "ErrorInvalidRequest", `Invalid request body: ${issue?.path.join(".") ?? ""} ${issue?.message ?? ""}`.trim());
  }
  const body = parsed.data;
  if (body.schedules.length > MAX_SCHEDULES) {
    throw new GraphError(400, "ErrorMailboxDataArrayTooBig", `There are too many target users in the EmailAddress array. The allowed size = ${MAX_SCHEDULES}; the actual size = ${body.schedules.length}.`);
  }
  const start = parseZonedTime(body.startTime, "startTime");
  const end = parseZonedTime(body.endTime, "endTime");
  const from = instantOf(start);
  const to = instantOf(end);
  if (to <= from) throw new GraphError(400, "ErrorInvalidTimeInterval", "The time duration specified for FreeBusyViewOptions.TimeWindow is invalid.");
  const days = Math.ceil((to - from) / DAY_MS);
  if (days > MAX_WINDOW_DAYS) {
    throw new GraphError(400, "ErrorTimeIntervalTooBig", `The requested time duration specified for FreeBusyViewOptions.TimeWindow is too long. The allowed limit = ${MAX_WINDOW_DAYS} days; the actual limit = ${days} days.`);
  }
  const interval = body.availabilityViewInterval ?? 30;
  if (interval < 5 || interval > 1440 || interval * 60_000 > to - from) {
    throw new GraphError(400, "ErrorInvalidMergedFreeBusyInterval", "The specified merged free/busy interval is not valid. Specify an interval that is less than the free/busy time window and  between 5 and 1440 minutes.");
  }
  const out: OutputZone = { zone: start.zone, name: start.zoneName };
  const slotMs = interval * 60_000;
  const slots = Math.ceil((to - from) / slotMs);

  const value = body.schedules.map((scheduleId) => {
    const person = ctx.directory.find(scheduleId.trim());
    if (!person) {
      const malformed = !/^[^@\s]+@[^@\s]+$/.test(scheduleId.trim());
      return {
        "@odata.type": "#microsoft.graph.scheduleInformation",
        scheduleId,
        availabilityView: "",
        scheduleItems: [],
        error: malformed
          ? { message: `The e-mail address '${scheduleId}' is not valid.`, responseCode: "ErrorInvalidSmtpAddress" }
          : { message: `The specified mailbox could not be found: ${scheduleId}.`, responseCode: "ErrorMailRecipientNotFound" },
      };
    }
    const ranks = new Array<number>(slots).fill(-1);
    const statusAt = new Array<FreeBusyStatus>(slots).fill("free");
    const scheduleItems = [];
    for (const inst of service.calendarView(person.id, from, to)) {
      if (inst.isCancelled) continue;
      const status = effectiveShowAs(inst.item, inst);
      const meeting = inst.item.meeting;
      const isPrivate = meeting.sensitivity === "private";
      const subject = inst.override?.subject ?? meeting.subject;
      const location = String((inst.override?.location ?? meeting.location).displayName ?? "");
      scheduleItems.push({
        isPrivate,
        status,
        ...(isPrivate ? {} : { subject, location }),
        start: dateTimeTimeZone(inst.startMs, out),
        end: dateTimeTimeZone(inst.endMs, out),
      });
      const first = Math.max(0, Math.floor((inst.startMs - from) / slotMs));
      const last = Math.min(slots - 1, Math.ceil((inst.endMs - from) / slotMs) - 1);
      for (let i = first; i <= last; i++) {
        if (RANK[status] > (ranks[i] ?? -1)) {
          ranks[i] = RANK[status];
          statusAt[i] = status;
        }
      }
    }
    return {
      "@odata.type": "#microsoft.graph.scheduleInformation",
      scheduleId,
      availabilityView: statusAt.map((s) => DIGIT[s]).join(""),
      scheduleItems,
      workingHours: {
        daysOfWeek: [...person.workingHours.daysOfWeek],
        startTime: person.workingHours.startTime,
        endTime: person.workingHours.endTime,
        timeZone: { name: toWindowsZone(person.timeZone) },
      },
    };
  });
  return { value };
}
