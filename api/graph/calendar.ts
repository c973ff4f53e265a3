import type { Attendee, Event, OpenTypeExtension, OutlookCategory, PatternedRecurrence as GraphRecurrence } from "@microsoft/microsoft-graph-types";
import { DateTime } from "luxon";
import { z } from "zod";
import type { PatternedRecurrence } from "../scheduling/recurrence";
import { readBatchItemOrThrow, type BatchRequest, type BatchResult } from "./batch";
import { toEpochMs } from "./date-time";
import { GraphRequestError } from "./errors";
import { getWindowsZoneOrThrow } from "./time-zones";
import type { GraphClient } from "./types";

/**
 * Calendar operations the booking module needs (platform-facts.md "Graph calendar"), as typed
 * requests over GraphClient. Request bodies are typed with Graph's own types and stay here;
 * callers get {@link CalendarEvent} with epoch-ms times and IANA zones only.
 */

/** OData query string: `$`-options kept readable, values percent-encoded. */
export function odataQuery(options: Record<string, string | undefined>): string {
  const parts = Object.entries(options)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  return parts.length > 0 ? `?${parts.join("&")}` : "";
}

/** An OData string literal: single quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `Prefer: outlook.timezone` for an IANA zone, so event times come back in it (Windows name on the wire). */
export function preferTimeZone(ianaZone: string): Record<string, string> {
  return { Prefer: `outlook.timezone="${getWindowsZoneOrThrow(ianaZone)}"` };
}

const GraphDateTimeSchema = z.object({ dateTime: z.string(), timeZone: z.string().nullish() });

const RecurrenceSchema = z.object({
  pattern: z.object({
    type: z.string(),
    interval: z.number().int(),
    daysOfWeek: z.array(z.string()).nullish(),
    index: z.string().nullish(),
  }),
  range: z.object({
    type: z.string(),
    startDate: z.string(),
    endDate: z.string().nullish(),
    numberOfOccurrences: z.number().int().nullish(),
    recurrenceTimeZone: z.string().nullish(),
  }),
});

/** The event fields we read (style.md #3). */
const GraphEventSchema = z.object({
  id: z.string().min(1),
  iCalUId: z.string().nullish(),
  type: z.enum(["singleInstance", "occurrence", "exception", "seriesMaster"]).nullish(),
  start: GraphDateTimeSchema,
  end: GraphDateTimeSchema,
  originalStart: z.string().nullish(),
  isCancelled: z.boolean().nullish(),
  seriesMasterId: z.string().nullish(),
  transactionId: z.string().nullish(),
  recurrence: RecurrenceSchema.nullish(),
  onlineMeeting: z.object({ joinUrl: z.string().nullish() }).nullish(),
  attendees: z.array(z.object({ emailAddress: z.object({ address: z.string().nullish(), name: z.string().nullish() }).nullish(), type: z.string().nullish() })).nullish(),
  extensions: z.array(z.looseObject({ id: z.string().nullish(), extensionName: z.string().nullish() })).nullish(),
});
type GraphEvent = z.output<typeof GraphEventSchema>;

export interface CalendarEvent {
  id: string;
  iCalUId: string | null;
  type: "singleInstance" | "occurrence" | "exception" | "seriesMaster" | null;
  /** Epoch ms. */
  start: number;
  end: number;
  /** Epoch ms of the occurrence's slot in the pattern (occurrences and exceptions). */
  originalStart: number | null;
  isCancelled: boolean;
  seriesMasterId: string | null;
  transactionId: string | null;
  joinUrl: string | null;
  recurrence: z.output<typeof RecurrenceSchema> | null;
  attendees: Array<{ address: string; name: string | null }>;
  /** Properties of open extensions, keyed by extension name. */
  extensions: Record<string, Record<string, unknown>>;
}

function toCalendarEvent(e: GraphEvent): CalendarEvent {
  const extensions: Record<string, Record<string, unknown>> = {};
  for (const ext of e.extensions ?? []) {
    const name = ext.extensionName ?? ext.id?.replace(/^Microsoft\.OutlookServices\.OpenTypeExtension\./, "");
    if (name) extensions[name] = ext;
  }
  return {
    id: e.id,
    iCalUId: e.iCalUId ?? null,
    type: e.type ?? null,
    start: toEpochMs(e.start),
    end: toEpochMs(e.end),
    originalStart: e.originalStart ? Date.parse(e.originalStart) : null,
    isCancelled: e.isCancelled ?? false,
    seriesMasterId: e.seriesMasterId ?? null,
    transactionId: e.transactionId ?? null,
    joinUrl: e.onlineMeeting?.joinUrl ?? null,
    recurrence: e.recurrence ?? null,
    attendees: (e.attendees ?? []).flatMap((a) => (a.emailAddress?.address ? [{ address: a.emailAddress.address, name: a.emailAddress.name ?? null }] : [])),
    extensions,
  };
}

export const EventSchema = GraphEventSchema.transform(toCalendarEvent);
const EventPageSchema = z.object({ value: z.array(GraphEventSchema) });

/** Open extension id as Graph reports it for an extension name. */
export function openExtensionId(extensionName: string): string {
  return `Microsoft.OutlookServices.OpenTypeExtension.${extensionName}`;
}

const EVENT_SELECT = "id,iCalUId,type,start,end,originalStart,isCancelled,seriesMasterId,transactionId,recurrence,onlineMeeting,attendees";

// -------------------------------------------------------------------------------- categories

/** `POST /me/outlook/masterCategories`; read the answer with {@link readCategoryResult} (409 = exists). */
export function createCategoryRequest(id: string, displayName: string, color: string): BatchRequest {
  const body: OutlookCategory = { displayName, color: color as OutlookCategory["color"] };
  return { id, method: "POST", url: "/me/outlook/masterCategories", body };
}

/** True when the category exists now (created or already there). Throws for any other failure. */
export function readCategoryResult(result: BatchResult): true {
  if (result.status === 409) return true;
  readBatchItemOrThrow(result, z.object({ id: z.string() }), "POST /me/outlook/masterCategories");
  return true;
}

// ------------------------------------------------------------------------------------ series

export interface SeriesEventSpec {
  subject: string;
  /** Already-escaped HTML (api/graph/html.ts). */
  bodyHtml: string;
  /** The first session's wall clock in `timeZone`: "YYYY-MM-DD" and "HH:mm". */
  startDate: string;
  startTime: string;
  durationMinutes: number;
  /** IANA zone of the series. */
  timeZone: string;
  recurrence: PatternedRecurrence;
  attendees: ReadonlyArray<{ address: string; name: string }>;
  categories: readonly string[];
  showAs: "busy" | "free" | "tentative";
  /** Graph dedupes creates with the same transactionId (platform-facts). */
  transactionId: string;
  extension: { name: string; properties: Record<string, string> };
}

function wallTimes(spec: Pick<SeriesEventSpec, "startDate" | "startTime" | "durationMinutes" | "timeZone">): { start: string; end: string } {
  const start = DateTime.fromISO(`${spec.startDate}T${spec.startTime}`, { zone: spec.timeZone });
  if (!start.isValid) throw new RangeError(`Invalid series start ${spec.startDate} ${spec.startTime} in ${spec.timeZone}.`);
  const end = start.plus({ minutes: spec.durationMinutes });
  const fmt = "yyyy-MM-dd'T'HH:mm:ss";
  return { start: start.toFormat(fmt), end: end.toFormat(fmt) };
}

function toGraphRecurrence(r: PatternedRecurrence): GraphRecurrence {
  return {
    pattern: {
      type: r.pattern.type,
      interval: r.pattern.interval,
      daysOfWeek: r.pattern.daysOfWeek,
      firstDayOfWeek: r.pattern.firstDayOfWeek,
      ...(r.pattern.index ? { index: r.pattern.index } : {}),
    },
    range:
      r.range.type === "endDate"
        ? { type: "endDate", startDate: r.range.startDate, endDate: r.range.endDate, recurrenceTimeZone: getWindowsZoneOrThrow(r.range.recurrenceTimeZone) }
        : { type: "numbered", startDate: r.range.startDate, numberOfOccurrences: r.range.numberOfOccurrences, recurrenceTimeZone: getWindowsZoneOrThrow(r.range.recurrenceTimeZone) },
  };
}

/** The recurring Teams meeting as Graph wants it (platform-facts "Recurring Teams meeting"). */
export function seriesEventBody(spec: SeriesEventSpec): Event {
  const zone = getWindowsZoneOrThrow(spec.timeZone);
  const times = wallTimes(spec);
  const attendees: Attendee[] = spec.attendees.map((a) => ({ type: "required", emailAddress: { address: a.address, name: a.name } }));
  const extension: OpenTypeExtension = { "@odata.type": "microsoft.graph.openTypeExtension", extensionName: spec.extension.name, ...spec.extension.properties } as OpenTypeExtension;
  return {
    subject: spec.subject,
    body: { contentType: "html", content: spec.bodyHtml },
    start: { dateTime: times.start, timeZone: zone },
    end: { dateTime: times.end, timeZone: zone },
    recurrence: toGraphRecurrence(spec.recurrence),
    attendees,
    isOnlineMeeting: true,
    onlineMeetingProvider: "teamsForBusiness",
    showAs: spec.showAs,
    categories: [...spec.categories],
    transactionId: spec.transactionId,
    extensions: [extension],
  };
}

/** `POST /me/events` for the series; the answer is the created (or, same transactionId, the existing) master. */
export function createSeriesRequest(id: string, spec: SeriesEventSpec): BatchRequest {
  return { id, method: "POST", url: "/me/events", body: seriesEventBody(spec), headers: preferTimeZone(spec.timeZone) };
}

export function readEventResult(result: BatchResult, what: string): CalendarEvent {
  return readBatchItemOrThrow(result, EventSchema, what);
}

/**
 * Series masters in the caller's calendar carrying our open extension for `circleId` (or our
 * transactionId): how a retry finds the series a lost response created.
 */
export async function findSeriesByExtension(graph: GraphClient, opts: { extensionName: string; property: string; value: string; transactionId?: string }): Promise<CalendarEvent[]> {
  const extId = openExtensionId(opts.extensionName);
  const path = `/me/events${odataQuery({
    $filter: `extensions/any(e: e/id eq ${odataString(extId)})`,
    $expand: `extensions($filter=id eq ${odataString(extId)})`,
    $select: EVENT_SELECT,
    $top: "50",
  })}`;
  const page = await graph.get(path, EventPageSchema);
  return page.value.map(toCalendarEvent).filter((e) => e.type === "seriesMaster" && (e.extensions[opts.extensionName]?.[opts.property] === opts.value || (opts.transactionId !== undefined && e.transactionId === opts.transactionId)));
}

/** `GET /me/events/{id}` with times in `timeZone`. Throws GraphRequestError (404 ErrorItemNotFound when gone). */
export async function getEvent(graph: GraphClient, id: string, timeZone: string): Promise<CalendarEvent> {
  return graph.get(`/me/events/${encodeURIComponent(id)}${odataQuery({ $select: EVENT_SELECT })}`, EventSchema, { headers: preferTimeZone(timeZone) });
}

export function getEventRequest(requestId: string, eventId: string, timeZone: string): BatchRequest {
  return { id: requestId, method: "GET", url: `/me/events/${encodeURIComponent(eventId)}${odataQuery({ $select: EVENT_SELECT })}`, headers: preferTimeZone(timeZone) };
}

/** Occurrences and exceptions of a series in [from, to), every page. */
export function instancesRequest(requestId: string, eventId: string, from: number, to: number, timeZone: string): BatchRequest {
  const query = odataQuery({ startDateTime: new Date(from).toISOString(), endDateTime: new Date(to).toISOString(), $select: EVENT_SELECT, $top: "200" });
  return { id: requestId, method: "GET", url: `/me/events/${encodeURIComponent(eventId)}/instances${query}`, headers: preferTimeZone(timeZone) };
}

export async function listInstances(graph: GraphClient, eventId: string, from: number, to: number, timeZone: string): Promise<CalendarEvent[]> {
  const r = instancesRequest("i", eventId, from, to, timeZone);
  return graph.getAllPages(r.url, EventSchema, { headers: r.headers ?? {} });
}

/** The page of an instances batch item (a series has ≤ 52 sessions: one page of 200 holds it). */
export function readInstancesResult(result: BatchResult): CalendarEvent[] {
  const page = readBatchItemOrThrow(result, z.object({ value: z.array(GraphEventSchema), "@odata.nextLink": z.string().optional() }), "GET /me/events/{id}/instances");
  if (page["@odata.nextLink"]) throw new GraphRequestError({ status: 502, code: "graph_paging_limit", message: "A series has more instances than one page; read them with listInstances." });
  return page.value.map(toCalendarEvent);
}

/** The caller's own copy of a meeting, found by its iCalUId (attendee copies have their own ids). */
export async function findEventByICalUId(graph: GraphClient, iCalUId: string, timeZone: string): Promise<CalendarEvent | undefined> {
  const path = `/me/events${odataQuery({ $filter: `iCalUId eq ${odataString(iCalUId)}`, $select: EVENT_SELECT })}`;
  const page = await graph.get(path, EventPageSchema, { headers: preferTimeZone(timeZone) });
  const found = page.value.map(toCalendarEvent);
  return found.find((e) => e.type === "seriesMaster") ?? found[0];
}

/** `POST /me/events/{id}/cancel`: the organiser cancels a series or one occurrence, with a message to attendees. */
export async function cancelEvent(graph: GraphClient, id: string, comment: string): Promise<void> {
  await graph.post(`/me/events/${encodeURIComponent(id)}/cancel`, { comment });
}

/** Moves one occurrence (it becomes an exception); times are wall clock in `timeZone`. */
export async function moveOccurrence(graph: GraphClient, occurrenceId: string, opts: { start: number; end: number; timeZone: string }): Promise<CalendarEvent> {
  const zone = getWindowsZoneOrThrow(opts.timeZone);
  const fmt = (ms: number) => DateTime.fromMillis(ms, { zone: opts.timeZone }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
  const body: Event = { start: { dateTime: fmt(opts.start), timeZone: zone }, end: { dateTime: fmt(opts.end), timeZone: zone } };
  return graph.patch(`/me/events/${encodeURIComponent(occurrenceId)}`, body, EventSchema, { headers: preferTimeZone(opts.timeZone) });
}

/**
 * The PATCH that moves one occurrence (it becomes an exception), for a `$batch`; times are wall
 * clock in `timeZone`. Read the answer with {@link readEventResult}.
 */
export function moveOccurrenceRequest(requestId: string, occurrenceId: string, opts: { start: number; end: number; timeZone: string }): BatchRequest {
  const zone = getWindowsZoneOrThrow(opts.timeZone);
  const fmt = (ms: number) => DateTime.fromMillis(ms, { zone: opts.timeZone }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
  const body: Event = { start: { dateTime: fmt(opts.start), timeZone: zone }, end: { dateTime: fmt(opts.end), timeZone: zone } };
  return { id: requestId, method: "PATCH", url: `/me/events/${encodeURIComponent(occurrenceId)}`, body, headers: preferTimeZone(opts.timeZone) };
}

/** Replaces the attendee list of a meeting (Exchange sends updates / cancellations accordingly). */
export async function updateAttendees(graph: GraphClient, id: string, attendees: ReadonlyArray<{ address: string; name: string }>, mailbox = "me"): Promise<void> {
  const body: Event = { attendees: attendees.map((a) => ({ type: "required", emailAddress: { address: a.address, name: a.name } })) };
  const root = mailbox === "me" ? "/me" : `/users/${encodeURIComponent(mailbox)}`;
  await graph.patch(`${root}/events/${encodeURIComponent(id)}`, body);
}

/**
 * Changes a series' time and pattern in place (PATCH start/end/recurrence on the master). Exchange
 * keeps the meeting (and its Teams join link and chat) but drops the series' exceptions.
 */
export async function rescheduleSeries(graph: GraphClient, id: string, spec: Pick<SeriesEventSpec, "startDate" | "startTime" | "durationMinutes" | "timeZone" | "recurrence">): Promise<CalendarEvent> {
  const zone = getWindowsZoneOrThrow(spec.timeZone);
  const times = wallTimes(spec);
  const body: Event = { start: { dateTime: times.start, timeZone: zone }, end: { dateTime: times.end, timeZone: zone }, recurrence: toGraphRecurrence(spec.recurrence) };
  return graph.patch(`/me/events/${encodeURIComponent(id)}`, body, EventSchema, { headers: preferTimeZone(spec.timeZone) });
}

/** Ends a series after `lastDate` (YYYY-MM-DD in the series' zone): PATCH the recurrence range to an end date. */
export async function endSeriesOn(graph: GraphClient, master: CalendarEvent, lastDate: string, timeZone: string): Promise<void> {
  const r = master.recurrence;
  if (!r) throw new RangeError(`Event ${master.id} is not a series.`);
  const recurrence: GraphRecurrence = {
    pattern: {
      type: r.pattern.type as NonNullable<GraphRecurrence["pattern"]>["type"],
      interval: r.pattern.interval,
      ...(r.pattern.daysOfWeek ? { daysOfWeek: r.pattern.daysOfWeek as NonNullable<NonNullable<GraphRecurrence["pattern"]>["daysOfWeek"]> } : {}),
      ...(r.pattern.index ? { index: r.pattern.index as NonNullable<NonNullable<GraphRecurrence["pattern"]>["index"]> } : {}),
    },
    range: { type: "endDate", startDate: r.range.startDate, endDate: lastDate, recurrenceTimeZone: getWindowsZoneOrThrow(timeZone) },
  };
  const body: Event = { recurrence };
  await graph.patch(`/me/events/${encodeURIComponent(master.id)}`, body);
}
