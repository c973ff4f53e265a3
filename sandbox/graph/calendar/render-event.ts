import type { CalendarItem, Instance, OccurrenceOverride, ResponseStatus } from "./event-store.js";
import { NEVER, durationOf, etagOf, extendedPropertyKey, instantOf } from "./event-store.js";
import type { FreeBusyStatus } from "./schemas.js";
import { formatUtc, occurrenceICalUId, occurrenceId } from "./ids.js";
import { instantToWall, toWindowsZone } from "./time-zones.js";
import type { PatternedRecurrence } from "./expand-recurrence.js";

/** The zone returned times are expressed in (from `Prefer: outlook.timezone`, default UTC). */
export interface OutputZone {
  /** IANA zone used for the conversion. */
  zone: string;
  /** The name echoed in `timeZone` (what the client asked for). */
  name: string;
}

export const UTC_OUTPUT: OutputZone = { zone: "Etc/UTC", name: "UTC" };

/** Graph's dateTime format: local wall time with seven fractional digits, no offset. */
export function formatDateTime(ms: number, zone: string): string {
  const wall = instantToWall(ms, zone);
  const iso = new Date(wall).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}0000`;
}

export function dateTimeTimeZone(ms: number, out: OutputZone): { dateTime: string; timeZone: string } {
  return { dateTime: formatDateTime(ms, out.zone), timeZone: out.name };
}

/** First 255 characters of the body as plain text, like Graph's bodyPreview. */
export function bodyPreviewOf(content: string, contentType: "text" | "html"): string {
  const text = contentType === "html" ? content.replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]+>/g, " ").replace(/&nbsp;/g, " ").replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">") : content;
  return text.replace(/\s+/g, " ").trim().slice(0, 255);
}

/** What the item's owner shows as for this appearance. */
export function effectiveShowAs(item: CalendarItem, instance?: { isCancelled: boolean; override?: OccurrenceOverride; originalStartMs?: number }): FreeBusyStatus {
  if (instance?.isCancelled || item.cancelledForMe) return "free";
  const meetingShowAs = instance?.override?.showAs ?? item.meeting.showAs;
  if (item.isOrganizer) return meetingShowAs;
  if (item.showAs) return item.showAs;
  const response = responseOf(item, instance?.originalStartMs).response;
  // A meeting request sits in the attendee's calendar as tentative until they answer.
  if (response === "accepted") return meetingShowAs;
  if (response === "declined") return "free";
  return meetingShowAs === "free" ? "free" : "tentative";
}

export function responseOf(item: CalendarItem, originalStartMs?: number): ResponseStatus {
  if (item.isOrganizer) return { response: "organizer", time: NEVER };
  if (originalStartMs !== undefined) {
    const state = item.occurrences.get(originalStartMs);
    if (state?.response) return state.response;
  }
  return item.responseStatus;
}

function renderRecurrence(rec: PatternedRecurrence, zone: string) {
  const p = rec.pattern;
  const r = rec.range;
  return {
    pattern: {
      type: p.type,
      interval: p.interval,
      month: p.month ?? 0,
      dayOfMonth: p.dayOfMonth ?? 0,
      ...(p.daysOfWeek && p.daysOfWeek.length ? { daysOfWeek: p.daysOfWeek } : {}),
      firstDayOfWeek: p.firstDayOfWeek ?? "sunday",
      index: p.index ?? "first",
    },
    range: {
      type: r.type,
      startDate: r.startDate,
      endDate: r.type === "endDate" ? r.endDate : "0001-01-01",
      recurrenceTimeZone: r.recurrenceTimeZone ?? toWindowsZone(zone),
      numberOfOccurrences: r.type === "numbered" ? (r.numberOfOccurrences ?? 0) : 0,
    },
  };
}

export interface RenderOptions {
  out: OutputZone;
  /** Extension ids requested with $expand=extensions($filter=id eq '…'); undefined = not expanded. */
  expandExtensions?: { ids?: string[] };
  /** Extended property ids requested with $expand=singleValueExtendedProperties($filter=id eq '…'). */
  expandSingleValue?: { ids: string[] };
}

export function extensionId(name: string): string {
  return `Microsoft.OutlookServices.OpenTypeExtension.${name}`;
}

export function renderExtension(name: string, props: Record<string, unknown>) {
  return { "@odata.type": "#microsoft.graph.openTypeExtension", id: extensionId(name), extensionName: name, ...props };
}

/** A stored item: single event or series master (type from the meeting). */
export function renderItem(item: CalendarItem, opts: RenderOptions, seriesFirst?: { startMs: number; endMs: number }): Record<string, unknown> {
  const meeting = item.meeting;
  const startMs = seriesFirst?.startMs ?? instantOf(meeting.start);
  const endMs = seriesFirst?.endMs ?? (seriesFirst ? startMs + durationOf(meeting) : instantOf(meeting.end));
  return renderCommon(item, {
    id: item.id,
    type: meeting.recurrence ? "seriesMaster" : "singleInstance",
    startMs,
    endMs,
    isCancelled: item.cancelledForMe,
    iCalUId: meeting.iCalUId,
    opts,
  });
}

/** An occurrence or exception of a series (computed, or stored as an override). */
export function renderInstance(instance: Instance, opts: RenderOptions): Record<string, unknown> {
  if (instance.type === "singleInstance") return renderItem(instance.item, opts);
  const { item } = instance;
  const originalStartMs = instance.originalStartMs ?? instance.startMs;
  return renderCommon(item, {
    id: occurrenceId(item.id, originalStartMs),
    type: instance.type,
    startMs: instance.startMs,
    endMs: instance.endMs,
    isCancelled: instance.isCancelled,
    iCalUId: occurrenceICalUId(item.meeting.iCalUId, instance.originalDate ?? ""),
    seriesMasterId: item.id,
    originalStartMs,
    ...(instance.override ? { override: instance.override } : {}),
    opts,
  });
}

interface CommonArgs {
  id: string;
  type: "singleInstance" | "occurrence" | "exception" | "seriesMaster";
  startMs: number;
  endMs: number;
  isCancelled: boolean;
  iCalUId: string;
  seriesMasterId?: string;
  originalStartMs?: number;
  override?: OccurrenceOverride;
  opts: RenderOptions;
}

function renderCommon(item: CalendarItem, a: CommonArgs): Record<string, unknown> {
  const meeting = item.meeting;
  const ov = a.override;
  const out = a.opts.out;
  const body = ov?.body ?? meeting.body;
  const subject = ov?.subject ?? meeting.subject;
  const cancelled = a.isCancelled;
  const etag = etagOf(item);
  const attendees = meeting.attendees.map((att) => {
    const key = att.emailAddress.address.toLowerCase();
    const status = item.isOrganizer ? (ov?.attendeeStatus?.get(key) ?? att.status) : { response: "none", time: NEVER };
    return { type: att.type, status, emailAddress: { ...att.emailAddress } };
  });
  const instanceInfo = { isCancelled: cancelled, ...(ov ? { override: ov } : {}), ...(a.originalStartMs !== undefined ? { originalStartMs: a.originalStartMs } : {}) };
  const lastModifiedMs = Math.max(item.lastModifiedMs, ov?.lastModifiedMs ?? 0);
  const event: Record<string, unknown> = {
    "@odata.etag": `W/"${etag}"`,
    id: a.id,
    createdDateTime: new Date(item.createdMs).toISOString(),
    lastModifiedDateTime: new Date(lastModifiedMs).toISOString(),
    changeKey: etag,
    categories: [...item.categories],
    transactionId: a.type === "seriesMaster" || a.type === "singleInstance" ? (item.transactionId ?? null) : null,
    originalStartTimeZone: ov?.startZoneName ?? meeting.start.zoneName,
    originalEndTimeZone: ov?.endZoneName ?? meeting.end.zoneName,
    iCalUId: a.iCalUId,
    reminderMinutesBeforeStart: item.reminderMinutesBeforeStart,
    isReminderOn: item.isReminderOn,
    hasAttachments: false,
    subject: cancelled && !item.isOrganizer && !subject.startsWith("Canceled: ") ? `Canceled: ${subject}` : subject,
    bodyPreview: bodyPreviewOf(body.content, body.contentType),
    importance: meeting.importance,
    sensitivity: meeting.sensitivity,
    isAllDay: meeting.isAllDay,
    isCancelled: cancelled,
    isOrganizer: item.isOrganizer,
    responseRequested: meeting.responseRequested,
    seriesMasterId: a.seriesMasterId ?? null,
    showAs: effectiveShowAs(item, instanceInfo),
    type: a.type,
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(a.id)}&exvsurl=1&path=/calendar/item`,
    onlineMeetingUrl: null,
    isOnlineMeeting: meeting.isOnlineMeeting,
    onlineMeetingProvider: meeting.isOnlineMeeting ? meeting.onlineMeetingProvider : "unknown",
    allowNewTimeProposals: meeting.allowNewTimeProposals,
    isDraft: false,
    hideAttendees: meeting.hideAttendees,
    responseStatus: responseOf(item, a.originalStartMs),
    body: { contentType: body.contentType, content: body.content },
    start: dateTimeTimeZone(a.startMs, out),
    end: dateTimeTimeZone(a.endMs, out),
    location: ov?.location ?? meeting.location,
    locations: meeting.locations,
    recurrence: a.type === "seriesMaster" && meeting.recurrence ? renderRecurrence(meeting.recurrence, meeting.recurrenceZone ?? meeting.start.zone) : null,
    attendees,
    organizer: { emailAddress: { ...meeting.organizer.emailAddress } },
    onlineMeeting: meeting.isOnlineMeeting && meeting.onlineMeeting ? { joinUrl: meeting.onlineMeeting.joinUrl, ...(meeting.onlineMeeting.conferenceId ? { conferenceId: meeting.onlineMeeting.conferenceId } : {}) } : null,
  };
  if (a.originalStartMs !== undefined) {
    event.originalStart = formatUtc(a.originalStartMs);
  }
  const expand = a.opts.expandExtensions;
  if (expand) {
    // Occurrences carry the master's extended properties, as MAPI instances inherit them.
    const all = [...item.extensions].map(([name, props]) => renderExtension(name, props));
    const wanted = expand.ids ? all.filter((e) => expand.ids?.some((id) => id.toLowerCase() === e.id.toLowerCase())) : all;
    event.extensions = wanted;
  }
  const expandSingle = a.opts.expandSingleValue;
  if (expandSingle) {
    const wanted = new Set(expandSingle.ids.map(extendedPropertyKey));
    const found = [...(item.extendedProperties?.values() ?? [])].filter((p) => wanted.has(extendedPropertyKey(p.id)));
    // Graph leaves the property out when none of the requested ids is set on the item.
    if (found.length > 0) event.singleValueExtendedProperties = found.map((p) => ({ id: p.id, value: p.value }));
  }
  return event;
}
