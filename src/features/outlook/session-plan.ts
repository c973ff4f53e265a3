import { DateTime } from "luxon";
import type { SeriesPattern } from "../../host";
import type { CircleDetail, Format } from "../../lib/api-schemas";
import { scaleSegments } from "../../lib/scale-segments";
// The same escaped invitation body the API writes when it books (one renderer, no drift).
import { renderAgendaHtml } from "../../../api/graph/html";

/** The Outlook category a coaching session carries (also on members' protected time). */
export const COACHING_CATEGORY = "Coaching (protected)";
/** Custom property that ties the appointment to its circle. */
export const CIRCLE_ID_PROPERTY = "coachingCircleId";
export const FORMAT_ID_PROPERTY = "coachingFormatId";
/** Subjects show on free/busy, so they never name the circle or its topic. */
export const NEUTRAL_SUBJECT = "Coaching circle";

const WEEKS: Record<Exclude<CircleDetail["cadence"], "monthly">, number> = { weekly: 1, biweekly: 2, every4weeks: 4 };
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

export interface SessionPlan {
  subjectIfEmpty: string;
  /** Undefined when Outlook's task pane can't express the cadence (see `recurrenceNote`). */
  recurrence?: SeriesPattern;
  recurrenceNote?: string;
  attendees: Array<{ displayName: string; emailAddress: string }>;
  agendaHtml: string;
  category: string;
  properties: Record<string, string>;
}

/**
 * What "Make this a coaching session" does to the draft, worked out before anything is touched.
 * The recurrence is written in the organiser's mailbox zone (Outlook's default recurrence zone,
 * so no Windows zone name is needed here): the first session is the appointment's own start.
 */
/** Invitations get forwarded: say where the confidential part lives instead of carrying it. */
const INVITATION_NOTE = "Notes, questions and commitments stay in Coaching Circles, visible to members only.";

export function planSession(input: {
  circle: CircleDetail;
  format: Format | undefined;
  appointmentStart: Date;
  organizerUpn: string | undefined;
  organizerTimeZone: string;
}): SessionPlan {
  const { circle, format } = input;
  const start = DateTime.fromJSDate(input.appointmentStart).setZone(input.organizerTimeZone);
  let recurrence: SeriesPattern | undefined;
  let recurrenceNote: string | undefined;
  if (circle.cadence === "monthly") {
    // Office's recurrence for "the second Tuesday of each month" needs dayOfWeek + weekNumber,
    // which the host adapter (SeriesPattern) does not carry yet.
    recurrenceNote = "Monthly sessions: set the recurrence (for example, the second Tuesday of every month) in Outlook's Make Recurring.";
  } else {
    const weeks = WEEKS[circle.cadence];
    const last = start.plus({ weeks: weeks * (circle.sessionCount - 1) });
    recurrence = {
      type: "weekly",
      interval: weeks,
      days: [DAYS[start.weekday - 1]!],
      startDate: start.toFormat("yyyy-LL-dd"),
      endDate: last.toFormat("yyyy-LL-dd"),
      startTime: start.toFormat("HH:mm"),
      durationMinutes: circle.sessionMinutes,
    };
  }
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
