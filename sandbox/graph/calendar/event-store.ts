import type { PatternedRecurrence } from "./expand-recurrence.js";
import { expandRecurrence } from "./expand-recurrence.js";
import type { FreeBusyStatus, ItemBody } from "./schemas.js";
import { changeKey, decodeEventId, itemId } from "./ids.js";
import { instantToWall, wallToInstant } from "./time-zones.js";

/**
 * In-memory calendars. A meeting (or plain appointment) is one `Meeting` shared by the
 * `CalendarItem`s that represent it in each mailbox: the organizer's item and one copy per
 * attendee who is in the directory. Organizer-controlled data (times, subject, recurrence,
 * exceptions, cancellations) lives on the meeting, so updates reach every copy at once;
 * personal data (response, categories, reminders, open extensions) lives on the item.
 */

export type ResponseType = "none" | "organizer" | "tentativelyAccepted" | "accepted" | "declined" | "notResponded";

export interface ResponseStatus {
  response: ResponseType;
  /** ISO date-time; Graph uses 0001-01-01T00:00:00Z for "never". */
  time: string;
}

export const NEVER = "0001-01-01T00:00:00Z";

export interface EmailAddress {
  name: string;
  address: string;
}

export interface AttendeeState {
  emailAddress: EmailAddress;
  type: "required" | "optional" | "resource";
  status: ResponseStatus;
  /** Directory object id when the address is one of ours (then the attendee has a copy). */
  userId?: string;
}

/** A point in time as the client wrote it: wall clock in a zone. */
export interface ZonedTime {
  /** Wall-clock time written as if UTC (Date.UTC of the local fields). */
  wallMs: number;
  /** IANA zone. */
  zone: string;
  /** The zone name as the client sent it (Graph echoes it in originalStartTimeZone). */
  zoneName: string;
}

/** What the organizer changed on one occurrence (the occurrence becomes an exception). */
export interface OccurrenceOverride {
  startMs?: number;
  endMs?: number;
  startZoneName?: string;
  endZoneName?: string;
  subject?: string;
  body?: ItemBody;
  location?: Record<string, unknown>;
  showAs?: FreeBusyStatus;
  /** Attendees' answers to this occurrence only, by lower-cased address. */
  attendeeStatus?: Map<string, ResponseStatus>;
  lastModifiedMs: number;
}

export interface Meeting {
  iCalUId: string;
  organizerId: string;
  organizer: { emailAddress: EmailAddress };
  subject: string;
  body: ItemBody;
  start: ZonedTime;
  end: ZonedTime;
  isAllDay: boolean;
  recurrence?: PatternedRecurrence;
  /** IANA zone the recurrence is evaluated in. */
  recurrenceZone?: string;
  attendees: AttendeeState[];
  location: Record<string, unknown>;
  locations: Record<string, unknown>[];
  importance: "low" | "normal" | "high";
  sensitivity: "normal" | "personal" | "private" | "confidential";
  /** The organizer's free/busy for the meeting; attendees see it once they accept. */
  showAs: FreeBusyStatus;
  isOnlineMeeting: boolean;
  onlineMeetingProvider: "unknown" | "skypeForBusiness" | "skypeForConsumer" | "teamsForBusiness";
  onlineMeeting?: { joinUrl: string; conferenceId?: string };
  responseRequested: boolean;
  allowNewTimeProposals: boolean;
  hideAttendees: boolean;
  /** Keyed by original start (UTC ms). */
  exceptions: Map<number, OccurrenceOverride>;
  /** Occurrences the organizer cancelled or deleted (original start, UTC ms). */
  cancelledOccurrences: Set<number>;
  /** The organizer cancelled or deleted the whole meeting. */
  isCancelled: boolean;
  /** mailboxId → item id of every copy, the organizer's included. */
  items: Map<string, string>;
}

export interface OccurrenceState {
  response?: ResponseStatus;
  /** The attendee declined or deleted this occurrence: it left their calendar. */
  removed?: boolean;
}

/** A single-value extended property (MAPI named or tagged property), e.g. an Outlook add-in's custom properties. */
export interface ExtendedProperty {
  /** As the client wrote it: "String {00020329-0000-0000-C000-000000000046} Name cecp-…". */
  id: string;
  value: string;
}

/** Graph matches extended property ids without regard to case or spacing. */
export function extendedPropertyKey(id: string): string {
  return id.trim().replace(/\s+/g, " ").toLowerCase();
}

export interface CalendarItem {
  id: string;
  seq: number;
  mailboxId: string;
  meeting: Meeting;
  isOrganizer: boolean;
  responseStatus: ResponseStatus;
  /** The attendee's own free/busy for the item (undefined: derived from the response). */
  showAs?: FreeBusyStatus;
  categories: string[];
  isReminderOn: boolean;
  reminderMinutesBeforeStart: number;
  transactionId?: string;
  createdMs: number;
  lastModifiedMs: number;
  version: number;
  /** Open extensions by extensionName. */
  extensions: Map<string, Record<string, unknown>>;
  /** Single-value extended properties by extendedPropertyKey (personal: each copy has its own). */
  extendedProperties?: Map<string, ExtendedProperty>;
  occurrences: Map<number, OccurrenceState>;
  /** For an attendee: the organizer cancelled the meeting or removed them from it. */
  cancelledForMe: boolean;
}

/** One appearance of an item on the calendar within a window. */
export interface Instance {
  item: CalendarItem;
  type: "singleInstance" | "occurrence" | "exception";
  /** Original start for occurrences and exceptions. */
  originalStartMs?: number;
  /** Local date of the original occurrence in the recurrence zone (for iCalUId). */
  originalDate?: string;
  startMs: number;
  endMs: number;
  override?: OccurrenceOverride;
  isCancelled: boolean;
}

/** UTC instant of a zoned wall time. */
export function instantOf(t: ZonedTime): number {
  return wallToInstant(t.wallMs, t.zone);
}

/** Length of each occurrence: the elapsed time between the series' start and end. */
export function durationOf(meeting: Meeting): number {
  return Math.max(0, instantOf(meeting.end) - instantOf(meeting.start));
}

export class CalendarStore {
  private readonly mailboxes = new Map<string, Map<string, CalendarItem>>();
  private readonly byTransaction = new Map<string, string>();
  /** Declined meetings by "mailboxId\nitemId" (Deleted Items). */
  private readonly declined = new Map<string, CalendarItem>();
  private seq = 0;

  /** All items of a mailbox, in creation order. */
  itemsOf(mailboxId: string): CalendarItem[] {
    return [...(this.mailboxes.get(mailboxId)?.values() ?? [])];
  }

  findItem(mailboxId: string, id: string): CalendarItem | undefined {
    const decoded = decodeEventId(id);
    if (decoded?.kind !== "item" || decoded.mailboxId !== mailboxId) return undefined;
    return this.mailboxes.get(mailboxId)?.get(id);
  }

  findByTransaction(mailboxId: string, transactionId: string): CalendarItem | undefined {
    const id = this.byTransaction.get(`${mailboxId}\n${transactionId}`);
    return id ? this.findItem(mailboxId, id) : undefined;
  }

  addItem(fields: Omit<CalendarItem, "id" | "seq" | "version">): CalendarItem {
    const seq = ++this.seq;
    const item: CalendarItem = { ...fields, id: itemId(fields.mailboxId, seq), seq, version: 1 };
    let box = this.mailboxes.get(item.mailboxId);
    if (!box) {
      box = new Map();
      this.mailboxes.set(item.mailboxId, box);
    }
    box.set(item.id, item);
    item.meeting.items.set(item.mailboxId, item.id);
    if (item.transactionId) this.byTransaction.set(`${item.mailboxId}\n${item.transactionId}`, item.id);
    return item;
  }

  removeItem(item: CalendarItem): void {
    this.mailboxes.get(item.mailboxId)?.delete(item.id);
    if (item.meeting.items.get(item.mailboxId) === item.id) item.meeting.items.delete(item.mailboxId);
    if (item.transactionId) this.byTransaction.delete(`${item.mailboxId}\n${item.transactionId}`);
  }

  /**
   * Takes a declined meeting out of the calendar but keeps it, as Outlook moves it to Deleted
   * Items: the attendee can still answer it (accepting puts it back).
   */
  moveToDeclined(item: CalendarItem): void {
    this.removeItem(item);
    this.declined.set(`${item.mailboxId}\n${item.id}`, item);
  }

  findDeclined(mailboxId: string, id: string): CalendarItem | undefined {
    return this.declined.get(`${mailboxId}\n${id}`);
  }

  /** Puts a declined meeting back on the calendar, with its id. */
  restoreDeclined(item: CalendarItem): void {
    this.declined.delete(`${item.mailboxId}\n${item.id}`);
    let box = this.mailboxes.get(item.mailboxId);
    if (!box) {
      box = new Map();
      this.mailboxes.set(item.mailboxId, box);
    }
    box.set(item.id, item);
    item.meeting.items.set(item.mailboxId, item.id);
    if (item.transactionId) this.byTransaction.set(`${item.mailboxId}\n${item.transactionId}`, item.id);
  }

  /** Every live item of a meeting (organizer first). */
  itemsOfMeeting(meeting: Meeting): CalendarItem[] {
    const out: CalendarItem[] = [];
    for (const [mailboxId, id] of meeting.items) {
      const item = this.mailboxes.get(mailboxId)?.get(id);
      if (item) out.push(item);
    }
    return out.sort((a, b) => Number(b.isOrganizer) - Number(a.isOrganizer));
  }

  touch(item: CalendarItem, nowMs: number): void {
    item.version++;
    item.lastModifiedMs = nowMs;
  }
}

export function etagOf(item: CalendarItem): string {
  return changeKey(item.seq, item.version);
}


/** Time of day ("HH:mm:ss.fff") of a wall time. */
export function timeOfDay(wallMs: number): string {
  return new Date(wallMs).toISOString().slice(11, 23);
}

/**
 * Occurrences (with exceptions applied) of a series item overlapping [from, to).
 * Occurrences the organizer cancelled are left out of the organizer's calendar and shown as
 * cancelled in attendees' calendars (Exchange keeps the cancelled copy until they remove it).
 */
export function seriesInstances(item: CalendarItem, from: number, to: number): Instance[] {
  const meeting = item.meeting;
  const rec = meeting.recurrence;
  if (!rec) return [];
  const duration = durationOf(meeting);
  const zone = meeting.recurrenceZone ?? meeting.start.zone;
  const out: Instance[] = [];
  const include = (originalStartMs: number, originalDate: string, startMs: number, endMs: number, override: OccurrenceOverride | undefined) => {
    const state = item.occurrences.get(originalStartMs);
    if (state?.removed) return;
    const cancelled = meeting.cancelledOccurrences.has(originalStartMs);
    if (cancelled && item.isOrganizer) return;
    out.push({ item, type: override ? "exception" : "occurrence", originalStartMs, originalDate, startMs, endMs, ...(override ? { override } : {}), isCancelled: cancelled || item.cancelledForMe });
  };
  const overlaps = (s: number, e: number) => (e === s ? s >= from && s < to : s < to && e > from);
  for (const occ of expandRecurrence(rec, { timeOfDay: timeOfDay(meeting.start.wallMs), zone, durationMs: duration, from, to })) {
    if (meeting.exceptions.has(occ.startMs)) continue;
    include(occ.startMs, occ.date, occ.startMs, occ.endMs, undefined);
  }
  for (const [originalStartMs, override] of meeting.exceptions) {
    const startMs = override.startMs ?? originalStartMs;
    const endMs = override.endMs ?? startMs + duration;
    if (!overlaps(startMs, endMs)) continue;
    include(originalStartMs, localDateOf(originalStartMs, zone), startMs, endMs, override);
  }
  return out;
}

/** Is `originalStartMs` an occurrence of the series (before exceptions)? Returns its local date. */
export function findOccurrenceDate(item: CalendarItem, originalStartMs: number): string | undefined {
  const meeting = item.meeting;
  if (!meeting.recurrence) return undefined;
  const duration = durationOf(meeting);
  const zone = meeting.recurrenceZone ?? meeting.start.zone;
  const found = expandRecurrence(meeting.recurrence, { timeOfDay: timeOfDay(meeting.start.wallMs), zone, durationMs: Math.max(duration, 1), from: originalStartMs, to: originalStartMs + 1 });
  return found.find((o) => o.startMs === originalStartMs)?.date;
}

function localDateOf(ms: number, zone: string): string {
  return new Date(instantToWall(ms, zone)).toISOString().slice(0, 10);
}
