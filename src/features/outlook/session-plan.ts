import { DateTime } from "luxon";
import type { SeriesPattern } from "../../host";
import type { CircleDetail, Format } from "../../lib/api-schemas";
import { scaleSegments } from "../../lib/scale-segments";
// The same escaped invitation body the API writes when it books (one renderer, no drift).
import { renderAgendaHtml } from "../../../api/graph/html";
// The same monthly rule the API books and reads back with ("second Tuesday"; a fifth weekday is "last").
import { formatLocalDate, parseLocalDate } from "../../../api/scheduling/local-time";
import { monthlyPosition, occurrenceDays } from "../../../api/scheduling/occurrences";

/** The Outlook category a coaching session carries (also on members' protected time). */
export const COACHING_CATEGORY = "Coaching (protected)";
/** Custom property that ties the appointment to its circle. */
export const CIRCLE_ID_PROPERTY = "coachingCircleId";
export const FORMAT_ID_PROPERTY = "coachingFormatId";
/** Subjects show on free/busy, so they never name the circle or its topic. */
export const NEUTRAL_SUBJECT = "Coaching circle";

const WEEKS: Record<Exclude<CircleDetail["cadence"], "monthly">, number> = { weekly: 1, biweekly: 2, every4weeks: 4 };
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
/** Office's day names indexed like Date.getUTCDay (Sunday first), as api/scheduling counts weekdays. */
const DAYS_FROM_SUNDAY = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

export interface SessionPlan {
  subjectIfEmpty: string;
  recurrence: SeriesPattern;
  /** Something the organiser should know about the recurrence (a start late in the month). */
  recurrenceNote?: string;
  attendees: Array<{ displayName: string; emailAddress: string }>;
  agendaHtml: string;
  category: string;
  properties: Record<string, string>;
}

/** Invitations get forwarded: say where the confidential part lives instead of carrying it. */
const INVITATION_NOTE = "Notes, questions and commitments stay in Coaching Circles, visible to members only.";

/**
 * What "Make this a coaching session" does to the draft, worked out before anything is touched.
 * The recurrence is written in the organiser's mailbox zone (Outlook's default recurrence zone,
 * so no Windows zone name is needed here): the first session is the appointment's own start.
 */
export function planSession(input: {
  circle: CircleDetail;
  format: Format | undefined;
  appointmentStart: Date;
  organizerUpn: string | undefined;
  organizerTimeZone: string;
}): SessionPlan {
  const { circle, format } = input;
  const start = DateTime.fromJSDate(input.appointmentStart).setZone(input.organizerTimeZone);
  const { recurrence, recurrenceNote } = recurrenceFor(circle, start);
  const organizer = input.organizerUpn?.toLowerCase();
  const attendees = circle.members
    .filter((m) => m.upn.toLowerCase() !== organizer)
    .map((m) => ({ displayName: m.displayName, emailAddress: m.upn }));
  const segments = format ? scaleSegments(format.segments, circle.sessionMinutes) : [];
  return {
    subjectIfEmpty: NEUTRAL_SUBJECT,
    recurrence,
    recurrenceNote,
    attendees,
    agendaHtml: renderAgendaHtml({ circleName: circle.name, purpose: circle.purpose, charter: circle.charter, segments, note: INVITATION_NOTE }),
    category: COACHING_CATEGORY,
    properties: { [CIRCLE_ID_PROPERTY]: circle.id, ...(format ? { [FORMAT_ID_PROPERTY]: format.id } : {}) },
  };
}

/**
 * The series for the circle's cadence, starting at the appointment's own start (wall clock in the
 * organiser's zone). Monthly is "the nth weekday of the month", exactly as the API books it, so a
 * series made here reads back on the circle page like one booked there.
 */
function recurrenceFor(circle: CircleDetail, start: DateTime): { recurrence: SeriesPattern; recurrenceNote?: string } {
  const base = { startDate: start.toFormat("yyyy-LL-dd"), startTime: start.toFormat("HH:mm"), durationMinutes: circle.sessionMinutes };
  if (circle.cadence === "monthly") {
    const firstDay = parseLocalDate(base.startDate);
    const { index, weekday } = monthlyPosition(firstDay);
    const days = occurrenceDays(firstDay, "monthly", circle.sessionCount);
    const recurrence: SeriesPattern = { ...base, type: "monthly", interval: 1, dayOfWeek: DAYS_FROM_SUNDAY[weekday]!, weekNumber: index, endDate: formatLocalDate(days[days.length - 1]!) };
    // A fifth weekday doesn't exist in most months: the series keeps to the last one instead.
    const recurrenceNote = start.day > 28 ? `This appointment is on a fifth ${start.toFormat("cccc")}, so the sessions fall on the last ${start.toFormat("cccc")} of each month.` : undefined;
    return recurrenceNote ? { recurrence, recurrenceNote } : { recurrence };
  }
  const weeks = WEEKS[circle.cadence];
  const last = start.plus({ weeks: weeks * (circle.sessionCount - 1) });
  return { recurrence: { ...base, type: "weekly", interval: weeks, days: [DAYS[start.weekday - 1]!], endDate: last.toFormat("yyyy-LL-dd") } };
}
