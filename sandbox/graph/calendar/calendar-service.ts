import { randomBytes } from "node:crypto";
import type { SandboxContext } from "../../context.js";
import type { SeedPerson } from "../../seed/people.js";
import { GraphError, badRequest, forbidden, notFound } from "../errors.js";
import type { AttendeeState, CalendarItem, Instance, Meeting, OccurrenceOverride, ResponseStatus, ZonedTime } from "./event-store.js";
import { CalendarStore, NEVER, durationOf, extendedPropertyKey, findOccurrenceDate, instantOf, seriesInstances, timeOfDay } from "./event-store.js";
import type { PatternedRecurrence } from "./expand-recurrence.js";
import { InvalidRecurrenceError, expandRecurrence, validateRecurrence } from "./expand-recurrence.js";
import { decodeEventId, newICalUId, occurrenceId } from "./ids.js";
import type { DateTimeTimeZone, EventInput, ItemBody } from "./schemas.js";
import { eventInputSchema, openTypeExtensionSchema } from "./schemas.js";
import { getIanaZoneOrThrow, instantToWall } from "./time-zones.js";
import { extensionId, renderExtension } from "./render-event.js";

/**
 * Calendar use cases over the in-memory store, with Exchange's meeting semantics:
 * attendee copies, organizer-only changes, per-occurrence exceptions and cancellations.
 * Every method throws GraphError for what Graph would answer with an error.
 */

/** What an event id in a URL points at. */
export interface EventTarget {
  item: CalendarItem;
  /** Set when the id addresses one occurrence (or exception) of a series. */
  originalStartMs?: number;
  originalDate?: string;
}

export type Reply = "accepted" | "tentativelyAccepted" | "declined";

export interface CreateOptions {
  /** Seeding skips body validation, online meetings and change notifications. */
  seeding?: boolean;
  /** Overrides the creation time (seeding). */
  createdMs?: number;
}

const ATTENDEE_FIELDS = new Set(["categories", "showAs", "isReminderOn", "reminderMinutesBeforeStart", "singleValueExtendedProperties"]);
const OCCURRENCE_FIELDS = new Set(["start", "end", "subject", "body", "location", "showAs", "categories", "isReminderOn", "reminderMinutesBeforeStart"]);
/** Read-only properties Graph accepts in a PATCH body and ignores. */
const IGNORED_FIELDS = new Set(["@odata.etag", "@odata.type", "id", "createdDateTime", "lastModifiedDateTime", "changeKey", "iCalUId", "type", "seriesMasterId", "originalStart", "webLink", "isOrganizer", "organizer", "responseStatus", "bodyPreview", "isCancelled", "hasAttachments", "isDraft", "onlineMeeting", "onlineMeetingUrl", "originalStartTimeZone", "originalEndTimeZone"]);

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/** A Graph dateTimeTimeZone as a wall time in its zone. @throws GraphError 400 */
export function parseZonedTime(value: DateTimeTimeZone, what: string): ZonedTime {
  const zoneName = value.timeZone ?? "UTC";
  const zone = getIanaZoneOrThrow(zoneName);
  const m = DATE_TIME.exec(value.dateTime.trim());
  if (!m) throw badRequest(`The value '${value.dateTime}' of ${what}.dateTime is not a valid date and time.`, "ErrorInvalidRequest");
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  let wallMs = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), ms);
  if (Number.isNaN(wallMs)) throw badRequest(`The value '${value.dateTime}' of ${what}.dateTime is not a valid date and time.`, "ErrorInvalidRequest");
  const offset = m[8];
  if (offset) {
    // An explicit offset names an instant; show it as wall time in the given zone.
    const offsetMin = offset === "Z" ? 0 : (offset.startsWith("-") ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
    wallMs = instantToWall(wallMs - offsetMin * 60_000, zone);
  }
  return { wallMs, zone, zoneName };
}

/** Parses an instant given as ISO 8601 (no offset = UTC), as calendarView's parameters are. */
export function parseInstant(value: unknown, name: string): number {
  if (typeof value !== "string" || !value.trim()) {
    throw badRequest("This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.", "ErrorInvalidParameter");
  }
  const s = value.trim().replace(" ", "+");
  const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/i.test(s) ? s : `${s}Z`);
  if (Number.isNaN(ms)) throw badRequest(`The value '${value}' of parameter '${name}' is invalid.`, "ErrorInvalidParameter");
  return ms;
}

function parseOrThrow(body: unknown): EventInput {
  const parsed = eventInputSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(`Invalid value for property '${issue?.path.join(".") ?? ""}': ${issue?.message ?? "invalid"}.`, "RequestBodyRead");
  }
  return parsed.data;
}

function normalizeRecurrence(rec: NonNullable<EventInput["recurrence"]>): PatternedRecurrence {
  const out: PatternedRecurrence = {
    pattern: {
      type: rec.pattern.type,
      interval: rec.pattern.interval ?? 1,
      daysOfWeek: rec.pattern.daysOfWeek ?? null,
      firstDayOfWeek: rec.pattern.firstDayOfWeek ?? "sunday",
      dayOfMonth: rec.pattern.dayOfMonth ?? null,
      month: rec.pattern.month ?? null,
      index: rec.pattern.index ?? "first",
    },
    range: {
      type: rec.range.type,
      startDate: rec.range.startDate,
      endDate: rec.range.endDate ?? null,
      numberOfOccurrences: rec.range.numberOfOccurrences ?? null,
      recurrenceTimeZone: rec.range.recurrenceTimeZone ?? null,
    },
  };
  try {
    validateRecurrence(out);
  } catch (err) {
    if (err instanceof InvalidRecurrenceError) throw badRequest(err.message, "ErrorPropertyValidationFailure");
    throw err;
  }
  return out;
}

function normalizeBody(body: EventInput["body"], previous?: ItemBody): ItemBody {
  if (!body) return previous ?? { contentType: "html", content: "" };
  return { contentType: body.contentType ?? previous?.contentType ?? "text", content: body.content ?? "" };
}

function defaultLocation(): Record<string, unknown> {
  return { displayName: "", locationType: "default", uniqueIdType: "unknown", address: {}, coordinates: {} };
}

function normalizeLocation(loc: Record<string, unknown> | null | undefined): Record<string, unknown> {
  if (!loc) return defaultLocation();
  return { ...defaultLocation(), locationType: "default", uniqueIdType: "unknown", ...loc };
}

function addressOf(person: SeedPerson): { name: string; address: string } {
  return { name: person.displayName, address: person.mail };
}

export class CalendarService {
  readonly store: CalendarStore;
  private seedCount = 0;

  constructor(
    private readonly ctx: SandboxContext,
    store?: CalendarStore,
  ) {
    this.store = store ?? new CalendarStore();
  }

  private nowMs(): number {
    return this.ctx.now().getTime();
  }

  private personOrThrow(mailboxId: string): SeedPerson {
    const person = this.ctx.directory.find(mailboxId);
    if (!person) throw notFound(`mailbox ${mailboxId}`);
    return person;
  }

  // ------------------------------------------------------------------------------- reads

  /** @throws GraphError 404 ErrorItemNotFound */
  getTarget(mailboxId: string, id: string): EventTarget {
    const decoded = decodeEventId(id);
    if (decoded?.kind === "item") {
      const item = this.store.findItem(mailboxId, id);
      if (item) return { item };
    } else if (decoded?.kind === "occurrence") {
      const master = this.store.findItem(mailboxId, decoded.masterId);
      if (master?.meeting.recurrence) {
        const key = decoded.originalStartMs;
        const date = findOccurrenceDate(master, key);
        const state = master.occurrences.get(key);
        const cancelledForOrganizer = master.isOrganizer && master.meeting.cancelledOccurrences.has(key);
        if (date && !state?.removed && !cancelledForOrganizer) return { item: master, originalStartMs: key, originalDate: date };
      }
    }
    throw notFound(`event ${id}`);
  }

  /** The single appearance a target stands for (for rendering an occurrence by id). */
  instanceOf(target: EventTarget): Instance {
    const { item } = target;
    const meeting = item.meeting;
    if (target.originalStartMs === undefined) {
      return { item, type: "singleInstance", startMs: instantOf(meeting.start), endMs: instantOf(meeting.end), isCancelled: item.cancelledForMe };
    }
    const key = target.originalStartMs;
    const override = meeting.exceptions.get(key);
    const startMs = override?.startMs ?? key;
    const endMs = override?.endMs ?? startMs + durationOf(meeting);
    return {
      item,
      type: override ? "exception" : "occurrence",
      originalStartMs: key,
      ...(target.originalDate ? { originalDate: target.originalDate } : {}),
      startMs,
      endMs,
      ...(override ? { override } : {}),
      isCancelled: meeting.cancelledOccurrences.has(key) || item.cancelledForMe,
    };
  }

  /** First occurrence of a series (what Graph shows as the master's start/end). */
  firstOccurrence(item: CalendarItem): { startMs: number; endMs: number } | undefined {
    const meeting = item.meeting;
    if (!meeting.recurrence) return undefined;
    const [first] = expandRecurrence(meeting.recurrence, { timeOfDay: timeOfDay(meeting.start.wallMs), zone: meeting.recurrenceZone ?? meeting.start.zone, durationMs: durationOf(meeting), limit: 1 });
    return first ? { startMs: first.startMs, endMs: first.endMs } : undefined;
  }

  /** Everything on a mailbox's calendar overlapping [from, to), series expanded. */
  calendarView(mailboxId: string, from: number, to: number): Instance[] {
    const out: Instance[] = [];
    for (const item of this.store.itemsOf(mailboxId)) this.appendInstances(out, item, from, to);
    return out.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  }

  /** Occurrences and exceptions of one series in [from, to). @throws GraphError 404/400 */
  instances(mailboxId: string, id: string, from: number, to: number): Instance[] {
    const target = this.getTarget(mailboxId, id);
    if (target.originalStartMs !== undefined) throw badRequest("The instances of an occurrence cannot be listed; use the series master id.", "ErrorInvalidRequest");
    const out: Instance[] = [];
    this.appendInstances(out, target.item, from, to);
    return out.sort((a, b) => a.startMs - b.startMs);
  }

  private appendInstances(out: Instance[], item: CalendarItem, from: number, to: number): void {
    const meeting = item.meeting;
    if (meeting.recurrence) {
      for (const inst of seriesInstances(item, from, to)) out.push(inst);
      return;
    }
    const startMs = instantOf(meeting.start);
    const endMs = instantOf(meeting.end);
    const overlaps = endMs === startMs ? startMs >= from && startMs < to : startMs < to && endMs > from;
    if (overlaps) out.push({ item, type: "singleInstance", startMs, endMs, isCancelled: item.cancelledForMe });
  }

  // ------------------------------------------------------------------------------ create

  /**
   * POST /events. Returns the existing item (created: false) for a repeated transactionId.
   * @throws GraphError 400 for invalid bodies, times, zones or recurrences
   */
  createEvent(mailboxId: string, rawBody: unknown, opts: CreateOptions = {}): { item: CalendarItem; created: boolean } {
    this.ctx.validateBody("microsoft.graph.event", rawBody);
    return this.createFromInput(mailboxId, parseOrThrow(rawBody), opts);
  }

  /** createEvent for callers that already hold a typed body (the seed): no validation pass. */
  createFromInput(mailboxId: string, input: EventInput, opts: CreateOptions = {}): { item: CalendarItem; created: boolean } {
    const organizer = this.personOrThrow(mailboxId);
    if (input.transactionId) {
      const existing = this.store.findByTransaction(organizer.id, input.transactionId);
      if (existing) return { item: existing, created: false };
    }
    if (!input.start || !input.end) throw badRequest("An event needs both start and end.", "ErrorPropertyValidationFailure");
    const start = parseZonedTime(input.start, "start");
    const end = parseZonedTime(input.end, "end");
    if (instantOf(end) < instantOf(start)) throw badRequest("The end of the event is before its start.", "ErrorInvalidRequest");
    const isAllDay = input.isAllDay ?? false;
    if (isAllDay && (start.wallMs % 86_400_000 !== 0 || end.wallMs % 86_400_000 !== 0)) {
      throw badRequest("An all-day event's start and end must be at midnight.", "ErrorPropertyValidationFailure");
    }
    const recurrence = input.recurrence ? normalizeRecurrence(input.recurrence) : undefined;
    const now = this.nowMs();
    const meeting: Meeting = {
      // Seeded ids are deterministic so a restarted sandbox shows the same calendars.
      iCalUId: newICalUId(opts.seeding ? `5EED${(++this.seedCount).toString(16).padStart(12, "0")}${organizer.id.replace(/-/g, "").slice(-12)}` : randomBytes(28).toString("hex")),
      organizerId: organizer.id,
      organizer: { emailAddress: addressOf(organizer) },
      subject: input.subject ?? "",
      body: normalizeBody(input.body),
      start,
      end,
      isAllDay,
      ...(recurrence ? { recurrence, recurrenceZone: recurrence.range.recurrenceTimeZone ? getIanaZoneOrThrow(recurrence.range.recurrenceTimeZone) : start.zone } : {}),
      attendees: this.resolveAttendees(input.attendees ?? [], []),
      location: normalizeLocation(input.location),
      locations: (input.locations ?? (input.location?.displayName ? [input.location] : [])).map(normalizeLocation),
      importance: input.importance ?? "normal",
      sensitivity: input.sensitivity ?? "normal",
      showAs: input.showAs ?? "busy",
      isOnlineMeeting: false,
      onlineMeetingProvider: input.onlineMeetingProvider ?? "unknown",
      responseRequested: input.responseRequested ?? true,
      allowNewTimeProposals: input.allowNewTimeProposals ?? true,
      hideAttendees: input.hideAttendees ?? false,
      exceptions: new Map(),
      cancelledOccurrences: new Set(),
      isCancelled: false,
      items: new Map(),
    };
    const createdMs = opts.createdMs ?? now;
    const item = this.store.addItem({
      mailboxId: organizer.id,
      meeting,
      isOrganizer: true,
      responseStatus: { response: "organizer", time: NEVER },
      categories: input.categories ?? [],
      isReminderOn: input.isReminderOn ?? true,
      reminderMinutesBeforeStart: input.reminderMinutesBeforeStart ?? 15,
      ...(input.transactionId ? { transactionId: input.transactionId } : {}),
      createdMs,
      lastModifiedMs: createdMs,
      extensions: new Map(),
      occurrences: new Map(),
      cancelledForMe: false,
    });
    for (const ext of input.extensions ?? []) this.putExtension(item, ext, false);
    this.putExtendedProperties(item, input.singleValueExtendedProperties);
    if (input.isOnlineMeeting) this.attachOnlineMeeting(item, input.onlineMeetingProvider ?? "teamsForBusiness", opts.seeding ?? false);
    const copies = this.syncAttendeeCopies(meeting, createdMs);
    if (!opts.seeding) {
      this.emit(item, "created");
      for (const copy of copies) this.emit(copy, "created");
    }
    return { item, created: true };
  }

  private resolveAttendees(inputs: NonNullable<EventInput["attendees"]>, previous: AttendeeState[]): AttendeeState[] {
    const seen = new Set<string>();
    const out: AttendeeState[] = [];
    for (const a of inputs) {
      const address = (a.emailAddress.address ?? "").trim();
      if (!address) throw badRequest("An attendee needs an email address.", "ErrorInvalidRecipients");
      const key = address.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      const person = this.ctx.directory.find(address);
      const before = previous.find((p) => p.emailAddress.address.toLowerCase() === key);
      out.push({
        emailAddress: { name: a.emailAddress.name ?? person?.displayName ?? address, address: person?.mail ?? address },
        type: a.type ?? "required",
        status: before?.status ?? { response: "none", time: NEVER },
        ...(person ? { userId: person.id } : {}),
      });
    }
    return out;
  }

  /**
   * Gives every directory attendee a copy and cancels the copies of people no longer invited.
   * Returns the new copies.
   */
  private syncAttendeeCopies(meeting: Meeting, nowMs: number): CalendarItem[] {
    const created: CalendarItem[] = [];
    const invited = new Set<string>();
    for (const att of meeting.attendees) {
      if (!att.userId || att.userId === meeting.organizerId || att.type === "resource") continue;
      invited.add(att.userId);
      if (meeting.items.has(att.userId)) {
        const existing = this.store.findItem(att.userId, meeting.items.get(att.userId) ?? "");
        if (existing?.cancelledForMe) existing.cancelledForMe = false;
        continue;
      }
      created.push(
        this.store.addItem({
          mailboxId: att.userId,
          meeting,
          isOrganizer: false,
          responseStatus: { response: "notResponded", time: NEVER },
          categories: [],
          isReminderOn: true,
          reminderMinutesBeforeStart: 15,
          createdMs: nowMs,
          lastModifiedMs: nowMs,
          extensions: new Map(),
          occurrences: new Map(),
          cancelledForMe: false,
        }),
      );
    }
    for (const item of this.store.itemsOfMeeting(meeting)) {
      if (!item.isOrganizer && !invited.has(item.mailboxId) && !item.cancelledForMe) {
        item.cancelledForMe = true;
        this.store.touch(item, nowMs);
        this.emit(item, "updated");
      }
    }
    return created;
  }

  /** Directory people invited to the meeting (not the organiser, not rooms). */
  private invitedUserIds(meeting: Meeting): string[] {
    return meeting.attendees.flatMap((a) => (a.userId && a.userId !== meeting.organizerId && a.type !== "resource" ? [a.userId] : []));
  }

  private attachOnlineMeeting(item: CalendarItem, provider: Meeting["onlineMeetingProvider"], seeding: boolean): void {
    const meeting = item.meeting;
    meeting.isOnlineMeeting = true;
    meeting.onlineMeetingProvider = provider === "unknown" ? "teamsForBusiness" : provider;
    const first = this.firstOccurrence(item) ?? { startMs: instantOf(meeting.start), endMs: instantOf(meeting.end) };
    if (seeding) {
      meeting.onlineMeeting = { joinUrl: `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${item.seq}%40thread.v2/0` };
      return;
    }
    const online = this.ctx.meetings.createForEvent({
      organizerId: meeting.organizerId,
      subject: meeting.subject,
      start: new Date(first.startMs).toISOString(),
      end: new Date(first.endMs).toISOString(),
      attendeeIds: this.invitedUserIds(meeting),
      eventId: item.id,
    });
    meeting.onlineMeeting = { joinUrl: online.joinWebUrl };
  }

  // ------------------------------------------------------------------------------ update

  /** PATCH /events/{id}. @throws GraphError 400/403/404 */
  updateEvent(mailboxId: string, id: string, rawBody: unknown): EventTarget {
    this.ctx.validateBody("microsoft.graph.event", rawBody);
    const target = this.getTarget(mailboxId, id);
    const input = parseOrThrow(rawBody);
    const keys = Object.keys((rawBody ?? {}) as Record<string, unknown>).filter((k) => !IGNORED_FIELDS.has(k) && !k.includes("@odata"));
    const { item } = target;
    const now = this.nowMs();
    if (!item.isOrganizer) {
      const denied = keys.filter((k) => !ATTENDEE_FIELDS.has(k));
      if (denied.length) throw forbidden(`Only the meeting organizer can change ${denied.join(", ")}.`);
    }
    if (target.originalStartMs !== undefined) {
      this.updateOccurrence(target, input, keys, now);
      return target;
    }
    this.applyPersonal(item, input, keys);
    if (item.isOrganizer) this.updateMeeting(item, input, keys, now);
    this.store.touch(item, now);
    this.emit(item, "updated");
    return target;
  }

  private applyPersonal(item: CalendarItem, input: EventInput, keys: string[]): void {
    if (keys.includes("singleValueExtendedProperties")) this.putExtendedProperties(item, input.singleValueExtendedProperties);
    if (keys.includes("categories")) item.categories = input.categories ?? [];
    if (keys.includes("isReminderOn")) item.isReminderOn = input.isReminderOn ?? true;
    if (keys.includes("reminderMinutesBeforeStart")) item.reminderMinutesBeforeStart = input.reminderMinutesBeforeStart ?? 15;
    if (!item.isOrganizer && keys.includes("showAs")) {
      if (input.showAs) item.showAs = input.showAs;
      else delete item.showAs;
    }
  }

  private updateMeeting(item: CalendarItem, input: EventInput, keys: string[], now: number): void {
    const meeting = item.meeting;
    const has = (k: string) => keys.includes(k);
    let timesChanged = false;
    if (has("subject")) meeting.subject = input.subject ?? "";
    if (has("body")) meeting.body = normalizeBody(input.body, meeting.body);
    if (has("start") && input.start) {
      meeting.start = parseZonedTime(input.start, "start");
      timesChanged = true;
    }
    if (has("end") && input.end) {
      meeting.end = parseZonedTime(input.end, "end");
      timesChanged = true;
    }
    if (instantOf(meeting.end) < instantOf(meeting.start)) throw badRequest("The end of the event is before its start.", "ErrorInvalidRequest");
    if (has("isAllDay")) meeting.isAllDay = input.isAllDay ?? false;
    if (has("recurrence")) {
      if (input.recurrence) {
        const recurrence = normalizeRecurrence(input.recurrence);
        meeting.recurrence = recurrence;
        meeting.recurrenceZone = recurrence.range.recurrenceTimeZone ? getIanaZoneOrThrow(recurrence.range.recurrenceTimeZone) : meeting.start.zone;
      } else {
        delete meeting.recurrence;
        delete meeting.recurrenceZone;
      }
      timesChanged = true;
    } else if (timesChanged && meeting.recurrence && !meeting.recurrence.range.recurrenceTimeZone) {
      meeting.recurrenceZone = meeting.start.zone;
    }
    if (timesChanged) {
      // Outlook drops a series' exceptions when its time or pattern changes.
      meeting.exceptions.clear();
      meeting.cancelledOccurrences.clear();
      for (const copy of this.store.itemsOfMeeting(meeting)) copy.occurrences.clear();
    }
    if (has("location")) meeting.location = normalizeLocation(input.location);
    if (has("locations")) meeting.locations = (input.locations ?? []).map(normalizeLocation);
    if (has("importance")) meeting.importance = input.importance ?? "normal";
    if (has("sensitivity")) meeting.sensitivity = input.sensitivity ?? "normal";
    if (has("showAs")) meeting.showAs = input.showAs ?? "busy";
    if (has("responseRequested")) meeting.responseRequested = input.responseRequested ?? true;
    if (has("allowNewTimeProposals")) meeting.allowNewTimeProposals = input.allowNewTimeProposals ?? true;
    if (has("hideAttendees")) meeting.hideAttendees = input.hideAttendees ?? false;
    if (has("onlineMeetingProvider") && input.onlineMeetingProvider) meeting.onlineMeetingProvider = input.onlineMeetingProvider;
    if (has("isOnlineMeeting") && input.isOnlineMeeting && !meeting.onlineMeeting) this.attachOnlineMeeting(item, input.onlineMeetingProvider ?? "teamsForBusiness", false);
    else if (has("isOnlineMeeting")) meeting.isOnlineMeeting = input.isOnlineMeeting ?? false;
    let copies: CalendarItem[] = [];
    if (has("attendees")) {
      meeting.attendees = this.resolveAttendees(input.attendees ?? [], meeting.attendees);
      copies = this.syncAttendeeCopies(meeting, now);
      // Teams keeps a meeting chat's roster in step with the invitation.
      if (meeting.onlineMeeting) this.ctx.meetings.attendeesChanged?.(item.id, this.invitedUserIds(meeting));
    }
    for (const other of this.store.itemsOfMeeting(meeting)) {
      if (other === item || copies.includes(other)) continue;
      this.store.touch(other, now);
      this.emit(other, "updated");
    }
    for (const copy of copies) this.emit(copy, "created");
  }

  private updateOccurrence(target: EventTarget, input: EventInput, keys: string[], now: number): void {
    const { item } = target;
    const key = target.originalStartMs ?? 0;
    const meeting = item.meeting;
    const unsupported = keys.filter((k) => !OCCURRENCE_FIELDS.has(k));
    if (item.isOrganizer && unsupported.length) throw badRequest(`${unsupported.join(", ")} cannot be changed on a single occurrence.`, "ErrorInvalidRequest");
    if (!item.isOrganizer) {
      // Personal changes to one occurrence: kept on the series item (simplification).
      this.applyPersonal(item, input, keys);
      this.store.touch(item, now);
      this.emit(item, "updated", occurrenceId(item.id, key));
      return;
    }
    this.applyPersonal(item, input, keys);
    const override: OccurrenceOverride = meeting.exceptions.get(key) ?? { lastModifiedMs: now };
    const duration = durationOf(meeting);
    if (keys.includes("start") && input.start) {
      const start = parseZonedTime(input.start, "start");
      override.startMs = instantOf(start);
      override.startZoneName = start.zoneName;
    }
    if (keys.includes("end") && input.end) {
      const end = parseZonedTime(input.end, "end");
      override.endMs = instantOf(end);
      override.endZoneName = end.zoneName;
    } else if (override.startMs !== undefined && override.endMs === undefined) {
      override.endMs = override.startMs + duration;
    }
    if ((override.endMs ?? 0) < (override.startMs ?? key)) throw badRequest("The end of the event is before its start.", "ErrorInvalidRequest");
    if (keys.includes("subject")) override.subject = input.subject ?? "";
    if (keys.includes("body")) override.body = normalizeBody(input.body, meeting.body);
    if (keys.includes("location")) override.location = normalizeLocation(input.location);
    if (keys.includes("showAs") && input.showAs) override.showAs = input.showAs;
    override.lastModifiedMs = now;
    meeting.exceptions.set(key, override);
    for (const other of this.store.itemsOfMeeting(meeting)) {
      this.store.touch(other, now);
      this.emit(other, "updated", occurrenceId(other.id, key));
    }
  }

  // ---------------------------------------------------------------------- delete / cancel

  /** DELETE /events/{id}. An organizer's delete of a meeting cancels it for attendees. */
  deleteEvent(mailboxId: string, id: string): void {
    const target = this.getTarget(mailboxId, id);
    if (target.item.isOrganizer) this.cancelAsOrganizer(target);
    else this.removeForAttendee(target);
  }

  /** POST /events/{id}/cancel. @throws GraphError 403 when the caller is not the organizer */
  cancelEvent(mailboxId: string, id: string): void {
    const target = this.getTarget(mailboxId, id);
    if (!target.item.isOrganizer) throw forbidden("Your request can't be completed. You need to be an organizer to cancel a meeting.");
    this.cancelAsOrganizer(target);
  }

  private cancelAsOrganizer(target: EventTarget): void {
    const { item } = target;
    const meeting = item.meeting;
    const now = this.nowMs();
    if (target.originalStartMs !== undefined) {
      const key = target.originalStartMs;
      meeting.cancelledOccurrences.add(key);
      for (const other of this.store.itemsOfMeeting(meeting)) {
        this.store.touch(other, now);
        this.emit(other, other.isOrganizer ? "deleted" : "updated", occurrenceId(other.id, key));
      }
      return;
    }
    meeting.isCancelled = true;
    this.store.removeItem(item);
    this.emit(item, "deleted");
    if (meeting.onlineMeeting) this.ctx.meetings.endForEvent(item.id);
    for (const copy of this.store.itemsOfMeeting(meeting)) {
      copy.cancelledForMe = true;
      this.store.touch(copy, now);
      this.emit(copy, "updated");
    }
  }

  private removeForAttendee(target: EventTarget): void {
    const { item } = target;
    if (target.originalStartMs !== undefined) {
      item.occurrences.set(target.originalStartMs, { ...item.occurrences.get(target.originalStartMs), removed: true });
      this.store.touch(item, this.nowMs());
      this.emit(item, "deleted", occurrenceId(item.id, target.originalStartMs));
      return;
    }
    this.store.removeItem(item);
    this.emit(item, "deleted");
  }

  // ----------------------------------------------------------------------------- replies

  /**
   * POST /events/{id}/accept|tentativelyAccept|decline. The organizer's copy records the
   * answer (unless sendResponse is false); a decline takes the meeting (or occurrence) out of
   * the attendee's calendar, as Outlook moves declined meetings to Deleted Items.
   * @throws GraphError 400 when the caller organizes the meeting
   */
  respond(mailboxId: string, id: string, reply: Reply, sendResponse = true): void {
    const target = this.replyTarget(mailboxId, id, reply);
    const { item } = target;
    if (item.isOrganizer) throw badRequest("Your request can't be completed. You can't respond to a meeting you organized.", "ErrorInvalidRequest");
    if (item.cancelledForMe) throw badRequest("Your request can't be completed. The meeting was cancelled.", "ErrorInvalidRequest");
    const now = this.nowMs();
    const status: ResponseStatus = { response: reply, time: new Date(now).toISOString() };
    const meeting = item.meeting;
    const person = this.personOrThrow(mailboxId);
    const addressKey = person.mail.toLowerCase();
    const key = target.originalStartMs;
    if (key !== undefined) {
      // Accepting a declined occurrence again puts it back on the calendar.
      item.occurrences.set(key, { ...item.occurrences.get(key), response: status, removed: reply === "declined" });
      if (sendResponse) {
        const override = meeting.exceptions.get(key) ?? { lastModifiedMs: now };
        override.attendeeStatus ??= new Map();
        override.attendeeStatus.set(addressKey, status);
        meeting.exceptions.set(key, override);
      }
    } else {
      item.responseStatus = status;
      item.occurrences.forEach((s) => delete s.response);
      if (sendResponse) {
        const att = meeting.attendees.find((a) => a.emailAddress.address.toLowerCase() === addressKey);
        if (att) att.status = status;
      }
    }
    this.store.touch(item, now);
    if (reply === "declined" && key === undefined) {
      this.store.moveToDeclined(item);
      this.emit(item, "deleted");
    } else {
      this.emit(item, reply === "declined" ? "deleted" : "updated", key !== undefined ? occurrenceId(item.id, key) : undefined);
    }
    if (sendResponse) {
      for (const other of this.store.itemsOfMeeting(meeting)) {
        if (!other.isOrganizer) continue;
        this.store.touch(other, now);
        this.emit(other, "updated", key !== undefined ? occurrenceId(other.id, key) : undefined);
      }
    }
  }

  /**
   * What a reply addresses: a live event, or one the attendee declined before (Outlook keeps a
   * declined meeting in Deleted Items and a declined occurrence's request can still be answered):
   * accepting such a one puts it back on the calendar.
   * @throws GraphError 404 ErrorItemNotFound
   */
  private replyTarget(mailboxId: string, id: string, reply: Reply): EventTarget {
    try {
      return this.getTarget(mailboxId, id);
    } catch (err) {
      if (reply === "declined") throw err;
      const decoded = decodeEventId(id);
      if (decoded?.kind === "item") {
        const item = this.store.findDeclined(mailboxId, id);
        // Back only if no newer copy arrived meanwhile (the organiser re-sent the meeting).
        if (item && !item.meeting.isCancelled && !item.meeting.items.has(mailboxId)) {
          this.store.restoreDeclined(item);
          return { item };
        }
      } else if (decoded?.kind === "occurrence") {
        const master = this.store.findItem(mailboxId, decoded.masterId);
        const key = decoded.originalStartMs;
        const state = master?.occurrences.get(key);
        const date = master ? findOccurrenceDate(master, key) : undefined;
        if (master && date && state?.removed && state.response?.response === "declined" && !master.meeting.cancelledOccurrences.has(key)) {
          return { item: master, originalStartMs: key, originalDate: date };
        }
      }
      throw err;
    }
  }

  // -------------------------------------------------------------------------- extensions

  /** POST /events/{id}/extensions. @throws GraphError 409 when the name exists */
  addExtension(mailboxId: string, id: string, rawBody: unknown): Record<string, unknown> {
    const target = this.getTarget(mailboxId, id);
    const parsed = openTypeExtensionSchema.safeParse(rawBody);
    if (!parsed.success) throw badRequest("An open extension needs extensionName.", "ErrorInvalidRequest");
    const ext = this.putExtension(target.item, parsed.data, false);
    this.store.touch(target.item, this.nowMs());
    this.emit(target.item, "updated");
    return ext;
  }

  private putExtension(item: CalendarItem, ext: { extensionName: string; "@odata.type"?: string | undefined; [k: string]: unknown }, replace: boolean): Record<string, unknown> {
    const type = ext["@odata.type"];
    if (type && !/^#?microsoft\.graph\.openTypeExtension$/i.test(type)) throw badRequest(`The extension type '${type}' is not supported.`, "ErrorInvalidRequest");
    if (!replace && item.extensions.has(ext.extensionName)) throw new GraphError(409, "NameAlreadyExists", `An extension named '${ext.extensionName}' already exists on this item.`);
    const props: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(ext)) if (k !== "extensionName" && k !== "id" && !k.startsWith("@odata")) props[k] = v;
    item.extensions.set(ext.extensionName, props);
    return renderExtension(ext.extensionName, props);
  }

  /** Creates or replaces the given extended properties (Graph's PATCH leaves the others alone). */
  private putExtendedProperties(item: CalendarItem, props: EventInput["singleValueExtendedProperties"]): void {
    if (!props?.length) return;
    item.extendedProperties ??= new Map();
    for (const p of props) item.extendedProperties.set(extendedPropertyKey(p.id), { id: p.id.trim(), value: p.value });
  }

  /** @throws GraphError 404 */
  getExtension(mailboxId: string, id: string, extId: string): Record<string, unknown> {
    const { item } = this.getTarget(mailboxId, id);
    const name = this.extensionNameOrThrow(item, extId);
    return renderExtension(name, item.extensions.get(name) ?? {});
  }

  listExtensions(mailboxId: string, id: string): Record<string, unknown>[] {
    const { item } = this.getTarget(mailboxId, id);
    return [...item.extensions].map(([name, props]) => renderExtension(name, props));
  }

  /** PATCH replaces the extension's properties, as Graph does for open extensions. */
  updateExtension(mailboxId: string, id: string, extId: string, rawBody: unknown): void {
    const { item } = this.getTarget(mailboxId, id);
    const name = this.extensionNameOrThrow(item, extId);
    const body = (rawBody && typeof rawBody === "object" ? rawBody : {}) as Record<string, unknown>;
    this.putExtension(item, { ...body, extensionName: name }, true);
    this.store.touch(item, this.nowMs());
    this.emit(item, "updated");
  }

  deleteExtension(mailboxId: string, id: string, extId: string): void {
    const { item } = this.getTarget(mailboxId, id);
    item.extensions.delete(this.extensionNameOrThrow(item, extId));
    this.store.touch(item, this.nowMs());
    this.emit(item, "updated");
  }

  private extensionNameOrThrow(item: CalendarItem, extId: string): string {
    for (const name of item.extensions.keys()) {
      if (extensionId(name).toLowerCase() === extId.toLowerCase() || name.toLowerCase() === extId.toLowerCase()) return name;
    }
    throw notFound(`extension ${extId}`);
  }

  private emit(item: CalendarItem, changeType: "created" | "updated" | "deleted", id?: string): void {
    this.ctx.emitChange({ userId: item.mailboxId, resource: "events", id: id ?? item.id, changeType });
  }
}
