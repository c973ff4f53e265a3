import { DateTime } from "luxon";
import type { CallerIdentity } from "../auth/identity";
import { SERIES_EXTENSION_NAME, type LinkedSeries } from "../booking";
import { findSeriesRow, insertSeriesRow, restartSeriesRow, updateSeriesRow } from "../booking/repository";
import { loadCircleForMember } from "../circles/access";
import type { SeriesPort } from "../circles/ports";
import type { CircleDetail } from "../circles/schemas";
import { getCircle } from "../circles/service";
import { findMeetingByJoinUrl, isGraphRequestError, type GraphFactory } from "../graph";
import { AppError, badRequest, conflict, forbidden } from "../shared/errors";
import type { Logger } from "../shared/logger";
import type { CircleSeriesRow, Db } from "../storage";
import { readAppointment, type OutlookAppointment } from "./appointment";
import type { LinkOutlookAppointmentResult } from "./schemas";

export interface OutlookLinkDeps {
  db: Db;
  graph: GraphFactory;
  clock: () => Date;
  /** Booking's view of the series: getCircle reads the linked series back from Outlook through it. */
  series: SeriesPort;
  /** Our Outlook add-in's id (the manifest id): names the custom property the task pane writes. */
  addInId: string | undefined;
  /** The caller linked a series (booking keeps organisers' sign-ins; protected time re-syncs). */
  onLinked?: (caller: CallerIdentity, circleId: string) => Promise<void>;
  /**
   * Queues (or finds) the job that sets up a linked Teams meeting's chat — recording off, our app
   * and tab, the welcome — and answers its id (booking's setUpLinkedSeries).
   */
  setUpMeetingChat?: (caller: CallerIdentity, circleId: string, series: LinkedSeries) => Promise<string>;
  logger?: Logger;
}

/** Said when the linked appointment has no Teams meeting: nothing fails, but there is no chat to set up. */
export const NOT_A_TEAMS_MEETING_MESSAGE =
  "This appointment isn't a Teams meeting, so Coaching Circles can't set up its meeting chat (recording and transcription off, the circle's tab, a welcome message). The circle works as it is: members have the sessions in Outlook. To get the chat set up, turn on “Teams meeting” on the appointment in Outlook, save it, and link it again.";

/**
 * Links an appointment the organiser made in Outlook (task pane: "Make this a coaching session",
 * then saved) to its circle as the circle's series: the same circle_series row a booking writes,
 * so the circle page, member changes and protected time treat it like a booked series.
 *
 * Nothing is taken on trust: the caller must organise the circle; the appointment is read from
 * their own calendar, must be a recurring series they organise, and must carry this circle's id
 * (the pane's custom property, or the open extension of a series the API booked).
 *
 * @throws AppError not_found when the caller is not a member of the circle (or the appointment is
 *   not in their calendar); conflict when the circle already has another series, or the
 *   appointment belongs to another circle; forbidden when the caller doesn't organise the circle
 *   or the meeting; bad_request when it isn't recurring or isn't marked for this circle.
 */
export async function linkOutlookAppointment(deps: OutlookLinkDeps, caller: CallerIdentity, circleId: string, eventId: string): Promise<LinkOutlookAppointmentResult> {
  const record = await loadCircleForMember(deps.db, caller, circleId);
  // As with booking (api/booking): the series is the circle organiser's to make and change.
  if (record.circle.organizer_id !== caller.userId) throw forbidden("Only the circle's organiser can make an appointment its series. Ask them to link it from their Outlook.");
  const current = await findSeriesRow(deps.db, circleId);
  if (current && current.status !== "cancelled" && current.event_id !== eventId) throw alreadyBooked(current);

  const appointment = await readOwnAppointment(deps, caller, eventId);
  checkAppointment(appointment, circleId);
  // Linking again (a retry after a lost answer, or after turning the Teams meeting on) keeps the link and its one chat job.
  if (current && current.status !== "cancelled" && current.event_id === appointment.id) return relink(deps, caller, circleId, appointment, current);
  if (current && current.status !== "cancelled") throw alreadyBooked(current);

  // The recurrence keeps its sessions at a wall-clock time in its own zone; without one, Outlook used the mailbox zone.
  const zone = appointment.recurrenceZone ?? (await deps.graph.forUser(caller).getMailboxSettings()).timeZone;
  const meeting = appointment.joinUrl ? await findMeetingByJoinUrl(deps.graph.forUser(caller), appointment.joinUrl) : undefined;
  const now = deps.clock().toISOString();
  const generation = (current?.generation ?? 0) + 1;
  const row = {
    event_id: appointment.id,
    ical_uid: appointment.iCalUId,
    organizer_id: caller.userId,
    online_meeting_id: meeting?.id ?? null,
    join_web_url: appointment.joinUrl,
    chat_id: meeting?.chatId ?? null,
    time_zone: zone,
    first_start: DateTime.fromMillis(appointment.start, { zone }).toISO({ suppressMilliseconds: true }) ?? new Date(appointment.start).toISOString(),
    // Outlook made this series, not a booking: there is no transactionId of ours to repeat.
    transaction_id: appointment.transactionId ?? `outlook:${appointment.iCalUId ?? appointment.id}`,
    status: "booked",
    job_id: null,
    // A rotation (alternating slots) is booked by the API; an Outlook series keeps one slot.
    rotation: null,
    generation,
    updated_at: now,
  };
  // The series row is the lock, as in booking: of two concurrent links (or a link and a booking) one wins.
  const won = current ? await restartSeriesRow(deps.db, circleId, current.generation, row) : await insertSeriesRow(deps.db, { circle_id: circleId, created_at: now, ...row });
  if (!won) {
    const winner = await findSeriesRow(deps.db, circleId);
    if (winner?.event_id !== appointment.id) throw alreadyBooked(winner);
    return relink(deps, caller, circleId, appointment, winner);
  }
  try {
    await deps.onLinked?.(caller, circleId);
  } catch (err) {
    // The link stands; protected time catches up at its next sync.
    deps.logger?.warn({ err, circleId }, "after linking an Outlook series, the follow-up work failed");
  }
  return answer(deps, caller, circleId, appointment, { ...row, circle_id: circleId, created_at: now });
}

/** The appointment is the circle's series already: the Teams meeting may have been turned on since. */
async function relink(deps: OutlookLinkDeps, caller: CallerIdentity, circleId: string, appointment: OutlookAppointment, row: CircleSeriesRow): Promise<LinkOutlookAppointmentResult> {
  if (appointment.joinUrl && appointment.joinUrl !== row.join_web_url) {
    await updateSeriesRow(deps.db, circleId, row.generation, { join_web_url: appointment.joinUrl, updated_at: deps.clock().toISOString() });
  }
  return answer(deps, caller, circleId, appointment, row);
}

/**
 * The linked circle as Outlook has it, with the meeting chat's job (queued once per linked
 * series) — or, for an appointment without a Teams meeting, why there is no chat to set up.
 */
async function answer(deps: OutlookLinkDeps, caller: CallerIdentity, circleId: string, appointment: OutlookAppointment, row: CircleSeriesRow): Promise<LinkOutlookAppointmentResult> {
  let chat: Pick<LinkOutlookAppointmentResult, "jobId" | "warning"> = {};
  if (!appointment.isTeamsMeeting) chat = { warning: { code: "not_teams_meeting", message: NOT_A_TEAMS_MEETING_MESSAGE } };
  else if (deps.setUpMeetingChat) {
    const series: LinkedSeries = {
      eventId: appointment.id,
      iCalUId: appointment.iCalUId,
      joinUrl: appointment.joinUrl,
      generation: row.generation,
      transactionId: row.transaction_id,
      timeZone: row.time_zone,
      firstStart: row.first_start,
    };
    chat = { jobId: await deps.setUpMeetingChat(caller, circleId, series) };
  }
  const circle: CircleDetail = await getCircle(circleDeps(deps), caller, circleId);
  return { ...circle, ...chat };
}

function circleDeps(deps: OutlookLinkDeps) {
  return { db: deps.db, graph: deps.graph, clock: deps.clock, series: deps.series };
}

function alreadyBooked(row: CircleSeriesRow | undefined): AppError {
  if (row?.status === "booking") return conflict("This circle's series is being booked right now. Wait for the booking to finish, then open the circle instead of linking this appointment.");
  return conflict("This circle already has a series in Outlook. Open the circle to see it; to use this appointment instead, cancel the circle's series first, then link again.");
}

async function readOwnAppointment(deps: OutlookLinkDeps, caller: CallerIdentity, eventId: string): Promise<OutlookAppointment> {
  try {
    return await readAppointment(deps.graph.forUser(caller), eventId, { addInId: deps.addInId, seriesExtensionName: SERIES_EXTENSION_NAME });
  } catch (err) {
    // Graph answers 404 for an id outside the caller's own calendar, and 400 for a malformed one.
    if (isGraphRequestError(err) && err.status === 404) {
      throw new AppError("not_found", "The appointment isn't in your Outlook calendar (yet). Save it in Outlook, wait a moment for it to sync, and link it again.");
    }
    if (isGraphRequestError(err) && err.status === 400) throw badRequest("That isn't the id of an Outlook appointment. Link the appointment from the Coaching Circles pane in Outlook.");
    throw err;
  }
}

function checkAppointment(a: OutlookAppointment, circleId: string): void {
  if (!a.isOrganizer) throw forbidden("Only the person who organises this meeting can make it a circle's series. Ask the organiser to link it.");
  const others = a.markedCircleIds.filter((id) => id !== circleId);
  if (!a.markedCircleIds.includes(circleId)) {
    if (others.length > 0) throw conflict("This appointment is already a session of another circle. Make a new appointment for this circle.");
    throw badRequest("This appointment isn't marked for this circle. In Outlook, open it, choose “Make this a coaching session” for the circle, save, and link again.");
  }
  if (!a.isSeriesMaster || !a.hasRecurrence) throw badRequest("This appointment doesn't repeat. Make it recurring in Outlook (the Coaching Circles pane sets the circle's cadence), save, and link again.");
}
