import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import { z } from "zod";
import type { CallerIdentity } from "../auth/identity";
import { loadCircleForMember, type CircleRecord } from "../circles/access";
import { findUsableFormat } from "../circles/formats/service";
import { scaleSegments } from "../circles/formats";
import type { BookingView, CircleSeriesView, SeriesOccurrenceView, SeriesPort } from "../circles/ports";
import type { CircleDetail } from "../circles/schemas";
import { getCircle } from "../circles/service";
import {
  cancelEvent,
  endSeriesOn,
  findEventByICalUId,
  getEventRequest,
  instancesRequest,
  isGraphRequestError,
  listInstances,
  moveOccurrence,
  readEventResult,
  readInstancesResult,
  rescheduleSeries,
  updateAttendees,
  type CalendarEvent,
  type GraphFactory,
} from "../graph";
import { escapeHtml, renderAgendaHtml } from "../graph/html";
import { findJob, insertJob, listJobSteps } from "../jobs";
import { computeOccurrences, isValidTimeZone, toPatternedRecurrence, type Cadence, type SeriesEnd } from "../scheduling";
import { badRequest, conflict, forbidden, notFound } from "../shared/errors";
import type { Logger } from "../shared/logger";
import type { CircleSeriesRow, Db } from "../storage";
import { BOOKING_JOB_TYPE, LINKED_SERIES_STEPS, bookingSteps } from "./book-series-job";
import type { CallerCredentials } from "./credentials";
import { claimSeriesJob, findSeriesRow, insertSeriesRow, restartSeriesRow, setSessionCount, updateSeriesRow } from "./repository";
import { planRotationMoves } from "./rotation";
import { BookingPayloadSchema, RotationMovesSchema, type BookingPayload, type BookSeriesBody, type JobView, type RotationMove } from "./schemas";
import { classifyOccurrences, expectedStarts, isoInZone, markAlternates } from "./series-view";

export interface BookingServiceDeps {
  db: Db;
  graph: GraphFactory;
  clock: () => Date;
  credentials: CallerCredentials;
  /** Where the app is served: the meeting tab points at `${publicBaseUrl}/sidepanel`. */
  publicBaseUrl: string;
  /** Our Teams app's manifest id. */
  teamsAppId: string;
  /** Called after a job is queued (the runner looks at once instead of at its next poll). */
  onEnqueued?: () => void;
  /** After a session or the series moved, was skipped or cancelled (protected time re-syncs). */
  onSeriesChanged?: (tenantId: string, circleId: string) => Promise<void>;
  logger?: Logger;
}

/** A series the organiser made in Outlook and linked to the circle (its circle_series row). */
export interface LinkedSeries {
  eventId: string;
  iCalUId: string | null;
  joinUrl: string | null;
  generation: number;
  transactionId: string;
  timeZone: string;
  firstStart: string;
}

const CADENCES: readonly Cadence[] = ["weekly", "biweekly", "every4weeks", "monthly"];
const DAY_MS = 86_400_000;

/** The series' transactionId: stable per circle and booking generation, so Graph dedupes a retried create. */
export function seriesTransactionId(circleId: string, generation: number): string {
  return `coaching-circles:${circleId}:${generation}`;
}

function parseCharter(text: string): string[] {
  try {
    const parsed = z.array(z.string()).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

function cadenceOfCircle(record: CircleRecord): Cadence {
  const c = record.circle.cadence;
  return (CADENCES as readonly string[]).includes(c) ? (c as Cadence) : "weekly";
}

/** A start as wall clock in `zone`. @throws AppError bad_request */
function localStart(startIso: string, zone: string): { date: string; time: string; ms: number } {
  if (!isValidTimeZone(zone)) throw badRequest(`Invalid request: timeZone: "${zone}" is not an IANA time zone.`);
  const dt = DateTime.fromISO(startIso, { setZone: true });
  if (!dt.isValid) throw badRequest(`Invalid request: start: "${startIso}" is not an ISO 8601 date-time.`);
  const local = dt.setZone(zone);
  return { date: local.toFormat("yyyy-MM-dd"), time: local.toFormat("HH:mm"), ms: dt.toMillis() };
}

/** How the circle's series ends: on its date (circles.ends_on) or after its number of sessions. */
function seriesEndOf(record: CircleRecord): SeriesEnd {
  return record.circle.ends_on ? { endsOn: record.circle.ends_on } : { sessionCount: record.circle.session_count };
}

/** The moves a rotation booking made (circle_series.rotation); empty for a one-slot series or an unreadable value. */
function storedRotation(text: string | null): RotationMove[] {
  if (!text) return [];
  try {
    const parsed = RotationMovesSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

function jobStatusOf(status: string): BookingView["status"] {
  return status === "queued" || status === "running" || status === "succeeded" ? status : "failed";
}

/**
 * Booking and changing a circle's series (issue #3 parts 4–5), and booking's side of the
 * circles module's SeriesPort. Every method throws AppError not_found for non-members;
 * changes to the series are the organiser's (forbidden for other members).
 */
export function createBookingService(deps: BookingServiceDeps) {
  const circlesDeps = () => ({ db: deps.db, graph: deps.graph, clock: deps.clock, series: port });

  async function detail(caller: CallerIdentity, circleId: string): Promise<CircleDetail> {
    return getCircle(circlesDeps(), caller, circleId);
  }

  // ----------------------------------------------------------------------------- reading

  /** Master + instances as the caller's own calendar has them (organiser: one $batch). */
  async function readSeries(row: CircleSeriesRow, record: CircleRecord, caller: CallerIdentity): Promise<{ master: CalendarEvent; occurrences: SeriesOccurrenceView[] } | undefined> {
    if (!row.event_id) return undefined;
    const graph = deps.graph.forUser(caller);
    const zone = row.time_zone;
    // Slots are at most ~5 weeks apart (monthly); moved sessions stay near their slot.
    const first = Date.parse(row.first_start);
    const from = first - 35 * DAY_MS;
    // A series that ends on a date may have more sessions than the count stored before booking.
    const endsOn = record.circle.ends_on ? Date.parse(`${record.circle.ends_on}T00:00:00Z`) + 3 * DAY_MS : 0;
    const to = Math.max(first + (record.circle.session_count + 2) * 35 * DAY_MS, endsOn);
    let master: CalendarEvent;
    let instances: CalendarEvent[];
    try {
      if (caller.userId === row.organizer_id) {
        const [m, i] = await graph.batch([getEventRequest("master", row.event_id, zone), instancesRequest("instances", row.event_id, from, to, zone)]);
        master = readEventResult(m!, "GET /me/events/{id}");
        instances = readInstancesResult(i!);
      } else {
        // Attendees have their own copy, with its own id: find it by the meeting's iCalUId.
        const copy = row.ical_uid ? await findEventByICalUId(graph, row.ical_uid, zone) : undefined;
        if (!copy) return undefined;
        master = copy;
        instances = await listInstances(graph, copy.id, from, to, zone);
      }
    } catch (err) {
      // Deleted in Outlook: the circle is not booked any more (read back, don't assume).
      if (isGraphRequestError(err) && err.status === 404) return undefined;
      throw err;
    }
    return { master, occurrences: markAlternates(classifyOccurrences(master, instances, zone), storedRotation(row.rotation)) };
  }

  const port: SeriesPort = {
    async read(record, caller) {
      const row = await findSeriesRow(deps.db, record.circle.id);
      if (!row || row.status === "cancelled" || !row.event_id) return undefined;
      if (caller.userId === row.organizer_id) deps.credentials.remember(caller);
      const read = await readSeries(row, record, caller);
      const view: CircleSeriesView = { eventId: row.event_id, joinWebUrl: row.join_web_url, chatId: row.chat_id, occurrences: read?.occurrences ?? [] };
      return view;
    },
    async latestBooking(record) {
      const row = await findSeriesRow(deps.db, record.circle.id);
      if (!row?.job_id) return undefined;
      const job = await findJob(deps.db, row.job_id);
      return job ? { jobId: job.id, status: jobStatusOf(job.status) } : undefined;
    },
    async membersChanged(record, caller) {
      const row = await findSeriesRow(deps.db, record.circle.id);
      if (!row?.event_id || row.status === "cancelled") return;
      const attendees = record.members.filter((m) => m.user_id !== row.organizer_id).map((m) => ({ address: m.upn, name: m.display_name }));
      // Only the organiser can change a meeting's attendees: as them when we can, else app-only.
      const organizer = caller.userId === row.organizer_id ? caller : deps.credentials.find(caller.tenantId, row.organizer_id);
      try {
        if (organizer) await updateAttendees(deps.graph.forUser(organizer), row.event_id, attendees);
        else await updateAttendees(deps.graph.forApp(caller.tenantId), row.event_id, attendees, row.organizer_id);
      } catch (err) {
        if (organizer) throw err;
        // The membership change stands; the organiser's next change brings the attendees in line.
        deps.logger?.warn({ err, circleId: record.circle.id }, "could not update the series' attendees without the organiser");
      }
    },
  };

  // ------------------------------------------------------------------------------ booking

  async function queueBooking(
    caller: CallerIdentity,
    record: CircleRecord,
    opts: { start: { date: string; time: string; ms: number }; timeZone: string; end: SeriesEnd; rotation?: RotationMove[]; previous?: CircleSeriesRow },
  ): Promise<string> {
    const { circle } = record;
    const format = await findUsableFormat({ db: deps.db }, caller, circle.format_id);
    if (!format) throw badRequest(`The circle's format "${circle.format_id}" no longer exists; choose another format first.`);
    const segments = scaleSegments(format, circle.session_minutes);
    const charter = parseCharter(circle.charter);
    const generation = (opts.previous?.generation ?? 0) + 1;
    const transactionId = seriesTransactionId(circle.id, generation);
    const recurrence = toPatternedRecurrence({ start: { date: opts.start.date, time: opts.start.time, timeZone: opts.timeZone }, cadence: cadenceOfCircle(record), ...opts.end });
    const rotation = opts.rotation && opts.rotation.length > 0 ? opts.rotation : undefined;
    const firstStart = isoInZone(opts.start.ms, opts.timeZone);
    const jobId = randomUUID();
    const now = deps.clock();
    const payload: BookingPayload = {
      circleId: circle.id,
      tenantId: caller.tenantId,
      organizer: { userId: caller.userId, upn: caller.userPrincipalName, displayName: caller.displayName },
      generation,
      transactionId,
      timeZone: opts.timeZone,
      firstStart,
      event: {
        // Neutral by default: subjects show on shared calendars and free/busy views.
        subject: record.members.length === 2 ? "Coaching pair" : "Coaching circle",
        bodyHtml: renderAgendaHtml({ circleName: circle.name, purpose: circle.purpose, charter, segments, note: "Notes stay in Coaching Circles: open the side panel in the meeting." }),
        startDate: opts.start.date,
        startTime: opts.start.time,
        durationMinutes: circle.session_minutes,
        recurrence,
      },
      ...(rotation ? { rotation: { moves: rotation } } : {}),
      ...meetingChatPayload(circle),
    };
    const row = {
      event_id: null,
      ical_uid: null,
      organizer_id: caller.userId,
      online_meeting_id: null,
      join_web_url: null,
      chat_id: null,
      time_zone: opts.timeZone,
      first_start: firstStart,
      transaction_id: transactionId,
      status: "booking",
      job_id: jobId,
      generation,
      rotation: rotation ? JSON.stringify(rotation) : null,
      updated_at: now.toISOString(),
    };
    // The series row is the lock: of two concurrent bookings only one inserts (or restarts) it.
    const won = opts.previous
      ? await restartSeriesRow(deps.db, circle.id, opts.previous.generation, row)
      : await insertSeriesRow(deps.db, { circle_id: circle.id, created_at: now.toISOString(), ...row });
    if (!won) {
      const current = await findSeriesRow(deps.db, circle.id);
      if (current?.job_id) return current.job_id;
      throw conflict("The circle's booking changed at the same moment; try again.");
    }
    await insertJob(deps.db, { id: jobId, type: BOOKING_JOB_TYPE, payload, steps: bookingSteps({ rotation: rotation !== undefined }), now });
    deps.onEnqueued?.();
    return jobId;
  }

  /** What the chat steps post and pin, the same for a booked series and a linked one. */
  function meetingChatPayload(circle: CircleRecord["circle"]): Pick<BookingPayload, "welcomeHtml" | "welcomeMarker" | "tab" | "teamsAppId"> {
    const welcomeMarker = "Coaching Circles is ready for this meeting";
    return {
      welcomeHtml: `<p><strong>${welcomeMarker}.</strong></p><p>Welcome to ${escapeHtml(circle.name)}. Open the <em>Coaching circle</em> tab (or the side panel during the meeting) for the agenda, roles and your commitments.</p>`,
      welcomeMarker,
      tab: { displayName: "Coaching circle", entityId: circle.id, contentUrl: `${deps.publicBaseUrl}/sidepanel?circleId=${encodeURIComponent(circle.id)}`, websiteUrl: `${deps.publicBaseUrl}/tab?circleId=${encodeURIComponent(circle.id)}` },
      teamsAppId: deps.teamsAppId,
    };
  }

  /** A failed job of the circle is queued again: it resumes at its failed step (done steps stay done). */
  async function requeueIfFailed(jobId: string): Promise<void> {
    const job = await findJob(deps.db, jobId);
    if (job?.status !== "failed") return;
    const now = deps.clock().toISOString();
    await deps.db.updateTable("jobs").set({ status: "queued", run_after: now, error: null, attempts: 0, updated_at: now }).where("id", "=", job.id).where("status", "=", "failed").execute();
    deps.onEnqueued?.();
  }

  async function organizerRecord(caller: CallerIdentity, circleId: string): Promise<CircleRecord> {
    const record = await loadCircleForMember(deps.db, caller, circleId);
    if (record.circle.organizer_id !== caller.userId) throw forbidden("Only the circle's organiser can book or change its series.");
    deps.credentials.remember(caller);
    return record;
  }

  /** The booked series of a circle, organiser view. @throws conflict while booking, not_found when not booked. */
  async function bookedSeries(caller: CallerIdentity, record: CircleRecord) {
    const row = await findSeriesRow(deps.db, record.circle.id);
    if (!row || row.status === "cancelled") throw notFound("The circle's series");
    if (row.status === "booking" || !row.event_id) throw conflict("The series is still being booked; wait until booking has finished.");
    if (row.organizer_id !== caller.userId) throw forbidden("Only the person who booked the series can change it.");
    const read = await readSeries(row, record, caller);
    if (!read) throw notFound("The circle's series");
    return { row, ...read };
  }

  /**
   * The sessions a rotation booking moves, checked against the series it books.
   * @throws AppError bad_request when the rotation does not belong to this start or series.
   */
  function rotationMoves(body: BookSeriesBody, start: { ms: number }, sessions: ReturnType<typeof computeOccurrences>, record: CircleRecord): RotationMove[] {
    const starts = body.rotation?.starts ?? [];
    if (Date.parse(starts[0] ?? "") !== start.ms) throw badRequest("Invalid request: rotation.starts: the first slot must be the series' start (rotation.starts[0] = start).");
    const alternates = starts.slice(1).map((iso) => localStart(iso, body.timeZone));
    let previous = start.ms;
    for (const alternate of alternates) {
      if (alternate.ms <= previous) throw badRequest("Invalid request: rotation.starts: list the slots in the order the rotation gives them (each later than the one before).");
      previous = alternate.ms;
    }
    try {
      return planRotationMoves({
        base: sessions,
        alternates: alternates.map((a) => ({ date: a.date, time: a.time, timeZone: body.timeZone })),
        cadence: cadenceOfCircle(record),
        sessionMinutes: record.circle.session_minutes,
        ...(record.circle.ends_on ? { endsOn: record.circle.ends_on } : {}),
      });
    } catch (err) {
      if (err instanceof RangeError) throw badRequest(`Invalid request: rotation: ${err.message}`);
      throw err;
    }
  }

  async function insertLinkedJob(caller: CallerIdentity, record: CircleRecord, jobId: string, linked: LinkedSeries): Promise<void> {
    const { circle } = record;
    const payload: BookingPayload = {
      circleId: circle.id,
      tenantId: caller.tenantId,
      organizer: { userId: caller.userId, upn: caller.userPrincipalName, displayName: caller.displayName },
      generation: linked.generation,
      // Unused (nothing is created), kept so every booking payload names its series the same way.
      transactionId: linked.transactionId,
      timeZone: linked.timeZone,
      firstStart: linked.firstStart,
      linked: { eventId: linked.eventId, iCalUId: linked.iCalUId, joinUrl: linked.joinUrl },
      ...meetingChatPayload(circle),
    };
    try {
      await insertJob(deps.db, { id: jobId, type: BOOKING_JOB_TYPE, payload, steps: LINKED_SERIES_STEPS, now: deps.clock() });
    } catch (err) {
      // Two retries of a half-finished link both wrote the claimed job: one is enough.
      if (!(await findJob(deps.db, jobId))) throw err;
      return;
    }
    deps.onEnqueued?.();
  }

  function occurrenceOrThrow(occurrences: readonly SeriesOccurrenceView[], occurrenceId: string): SeriesOccurrenceView {
    const occ = occurrences.find((o) => o.id === occurrenceId);
    if (!occ) throw notFound("The session");
    return occ;
  }

  return {
    port,

    /**
     * Queues the booking job (202). Booking a circle that is booked or booking returns that
     * booking's job — a failed one is queued again to resume at its failed step — never a
     * second series.
     * @throws AppError not_found (non-member), forbidden (not the organiser), bad_request.
     */
    async bookSeries(caller: CallerIdentity, circleId: string, body: BookSeriesBody): Promise<string> {
      const record = await organizerRecord(caller, circleId);
      const start = localStart(body.start, body.timeZone);
      const existing = await findSeriesRow(deps.db, circleId);
      if (existing && existing.status !== "cancelled" && existing.job_id) {
        await requeueIfFailed(existing.job_id);
        return existing.job_id;
      }
      // A series linked from Outlook without a Teams meeting has no job: it is booked all the same.
      if (existing && existing.status !== "cancelled" && existing.event_id) {
        throw conflict("This circle already has a series in Outlook. Open the circle to see it; to book another time, cancel the circle's series first.");
      }
      if (start.ms < deps.clock().getTime()) throw badRequest("Invalid request: start: the first session must be in the future.");
      const end = seriesEndOf(record);
      const sessions = computeOccurrences({ start: { date: start.date, time: start.time, timeZone: body.timeZone }, cadence: cadenceOfCircle(record), sessionMinutes: record.circle.session_minutes, ...end });
      if (sessions.length === 0) throw badRequest(`Invalid request: start: the circle ends on ${record.circle.ends_on}; choose a first session on or before that date.`);
      const rotation = body.rotation ? rotationMoves(body, start, sessions, record) : undefined;
      const jobId = await queueBooking(caller, record, { start, timeZone: body.timeZone, end, ...(rotation ? { rotation } : {}), ...(existing ? { previous: existing } : {}) });
      // Until now a circle that ends on a date had an estimate; from here on, the booked series' count.
      if (record.circle.ends_on && record.circle.session_count !== sessions.length) await setSessionCount(deps.db, record.circle.id, sessions.length);
      return jobId;
    },

    /**
     * After an appointment made in Outlook became the circle's series (api/outlook): queues the
     * booking job in "linked" mode — category and series recorded as done with the appointment's
     * ids, then the meeting chat (recording off, app, tab, welcome) — and answers its id. Once per
     * linked series: linking again answers the same job (a failed one is queued again to resume).
     * The series row is the lock, as in booking: of two concurrent links one claims the job.
     * @throws AppError conflict when the circle's series is no longer this appointment.
     */
    async setUpLinkedSeries(caller: CallerIdentity, circleId: string, linked: LinkedSeries): Promise<string> {
      const record = await organizerRecord(caller, circleId);
      const row = await findSeriesRow(deps.db, circleId);
      if (!row || row.status === "cancelled" || row.event_id !== linked.eventId || row.generation !== linked.generation) {
        throw conflict("The circle's series changed while it was being linked. Open the circle to see its series.");
      }
      if (row.job_id) {
        if (await findJob(deps.db, row.job_id)) {
          await requeueIfFailed(row.job_id);
          return row.job_id;
        }
        // Claimed, but the process stopped before the job was written: write it now.
        await insertLinkedJob(caller, record, row.job_id, linked);
        return row.job_id;
      }
      const jobId = randomUUID();
      if (await claimSeriesJob(deps.db, circleId, linked.generation, jobId)) {
        await insertLinkedJob(caller, record, jobId, linked);
        return jobId;
      }
      const winner = await findSeriesRow(deps.db, circleId);
      if (winner?.job_id && winner.event_id === linked.eventId) return winner.job_id;
      throw conflict("The circle's series changed while it was being linked. Open the circle to see its series.");
    },

    /** @throws AppError not_found unless the caller created the job or is a member of its circle. */
    async getJob(caller: CallerIdentity, jobId: string): Promise<JobView> {
      const job = await findJob(deps.db, jobId);
      if (!job || job.type !== BOOKING_JOB_TYPE) throw notFound("The job");
      const payload = BookingPayloadSchema.safeParse(JSON.parse(job.payload));
      if (!payload.success || payload.data.tenantId !== caller.tenantId) throw notFound("The job");
      if (payload.data.organizer.userId === caller.userId) deps.credentials.remember(caller);
      else await loadCircleForMember(deps.db, caller, payload.data.circleId);
      const steps = await listJobSteps(deps.db, job.id);
      const status = jobStatusOf(job.status);
      let error: JobView["error"];
      if (status === "failed" && job.error) {
        const parsed = z.object({ code: z.string(), message: z.string() }).safeParse(JSON.parse(job.error));
        error = parsed.success ? parsed.data : { code: "internal", message: "The booking failed." };
      }
      return {
        id: job.id,
        status,
        progress: { done: steps.filter((s) => s.status === "done").length, total: job.progress_total ?? steps.length },
        steps: steps.map((s) => ({ name: s.name, label: s.label, status: (["pending", "running", "done", "failed"].includes(s.status) ? s.status : "pending") as JobView["steps"][number]["status"] })),
        ...(error ? { error } : {}),
      };
    },

    /** Cancels one session (attendees get the message). */
    async skipOccurrence(caller: CallerIdentity, circleId: string, occurrenceId: string, message: string | undefined): Promise<CircleDetail> {
      const record = await organizerRecord(caller, circleId);
      const series = await bookedSeries(caller, record);
      const occ = occurrenceOrThrow(series.occurrences, occurrenceId);
      if (occ.status !== "cancelled") await cancelEvent(deps.graph.forUser(caller), occ.id, message ?? "This coaching session is skipped.");
      await deps.onSeriesChanged?.(caller.tenantId, circleId);
      return detail(caller, circleId);
    },

    /** Moves one session (it keeps its length). */
    async moveOccurrence(caller: CallerIdentity, circleId: string, occurrenceId: string, startIso: string): Promise<CircleDetail> {
      const record = await organizerRecord(caller, circleId);
      const series = await bookedSeries(caller, record);
      const occ = occurrenceOrThrow(series.occurrences, occurrenceId);
      if (occ.status === "cancelled") throw conflict("A skipped session cannot be moved.");
      const start = localStart(startIso, series.row.time_zone).ms;
      await moveOccurrence(deps.graph.forUser(caller), occ.id, { start, end: start + record.circle.session_minutes * 60_000, timeZone: series.row.time_zone });
      await deps.onSeriesChanged?.(caller.tenantId, circleId);
      return detail(caller, circleId);
    },

    /**
     * Moves every session from `fromDate` on to the new time.
     *
     * Graph-correct choice: when no session of the series lies before `fromDate`, the master is
     * PATCHed in place (new start and recurrence): the Teams meeting, its join link, chat, app and
     * tab stay. Otherwise the series is split, as Outlook's own "change this and following" does:
     * the current series ends the day before `fromDate` (recurrence range → endDate) and a new
     * series is booked from `fromDate` for the remaining sessions. PATCHing the recurrence of the
     * whole series instead would rewrite sessions that already happened, and Exchange drops every
     * exception (moved and skipped sessions) of a series whose pattern changes.
     */
    async moveSeries(caller: CallerIdentity, circleId: string, fromDate: string, startIso: string): Promise<CircleDetail> {
      const record = await organizerRecord(caller, circleId);
      const series = await bookedSeries(caller, record);
      const zone = series.row.time_zone;
      const start = localStart(startIso, zone);
      if (start.date < fromDate) throw badRequest("Invalid request: start: the new time must be on or after fromDate.");
      const slots = expectedStarts(series.master, zone, series.master.end - series.master.start);
      const dateOf = (ms: number) => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd");
      const remaining = slots.filter((s) => dateOf(s) >= fromDate).length;
      if (remaining === 0) throw badRequest("Invalid request: fromDate: the series has no sessions on or after that date.");
      const graph = deps.graph.forUser(caller);
      // A circle that ends on a date keeps its end date; otherwise the sessions left keep their number.
      const end: SeriesEnd = record.circle.ends_on ? { endsOn: record.circle.ends_on } : { sessionCount: remaining };
      if ("endsOn" in end && start.date > end.endsOn) throw badRequest(`Invalid request: start: the circle ends on ${end.endsOn}; choose a time on or before that date.`);
      const recurrence = toPatternedRecurrence({ start: { date: start.date, time: start.time, timeZone: zone }, cadence: cadenceOfCircle(record), ...end });
      if (slots.every((s) => dateOf(s) >= fromDate)) {
        const moved = await rescheduleSeries(graph, series.master.id, { startDate: start.date, startTime: start.time, durationMinutes: record.circle.session_minutes, timeZone: zone, recurrence });
        await updateSeriesRow(deps.db, circleId, series.row.generation, { first_start: isoInZone(moved.start, zone), updated_at: deps.clock().toISOString() });
        await deps.onSeriesChanged?.(caller.tenantId, circleId);
        return detail(caller, circleId);
      }
      const lastDay = DateTime.fromISO(fromDate, { zone }).minus({ days: 1 }).toFormat("yyyy-MM-dd");
      await endSeriesOn(graph, series.master, lastDay, zone);
      await queueBooking(caller, record, { start, timeZone: zone, end, previous: series.row });
      await deps.onSeriesChanged?.(caller.tenantId, circleId);
      return detail(caller, circleId);
    },

    /** Cancels the whole series with a message to attendees. */
    async cancelSeries(caller: CallerIdentity, circleId: string, message: string | undefined): Promise<CircleDetail> {
      await organizerRecord(caller, circleId);
      const row = await findSeriesRow(deps.db, circleId);
      if (!row || row.status === "cancelled") throw notFound("The circle's series");
      if (row.status === "booking" || !row.event_id) throw conflict("The series is still being booked; wait until booking has finished.");
      if (row.organizer_id !== caller.userId) throw forbidden("Only the person who booked the series can cancel it.");
      try {
        await cancelEvent(deps.graph.forUser(caller), row.event_id, message ?? "This coaching circle's sessions are cancelled.");
      } catch (err) {
        // Already gone from Outlook: the cancellation stands.
        if (!(isGraphRequestError(err) && err.status === 404)) throw err;
      }
      await updateSeriesRow(deps.db, circleId, row.generation, { status: "cancelled", updated_at: deps.clock().toISOString() });
      await deps.onSeriesChanged?.(caller.tenantId, circleId);
      return detail(caller, circleId);
    },
  };
}

export type BookingService = ReturnType<typeof createBookingService>;
