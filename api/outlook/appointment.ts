import { z } from "zod";
import { odataQuery, odataString, openExtensionId } from "../graph/calendar";
import { toEpochMs } from "../graph/date-time";
import { findIanaZone } from "../graph/time-zones";
import type { GraphClient } from "../graph";

/**
 * The Graph side of linking an Outlook appointment: read the caller's own copy of the saved
 * appointment with the two marks that tie it to a circle, and nothing else.
 *
 * - The task pane's custom property. Office.js stores an add-in's custom properties as one JSON
 *   string in the named property `cecp-<add-in id>` of PS_PUBLIC_STRINGS ([MS-OXCEXT] 2.2.5;
 *   the add-in id of a unified-manifest app is the manifest id, lower-cased, braces removed).
 *   Graph reads it as a singleValueExtendedProperty.
 * - Our open extension on a series the API booked itself.
 *
 * Windows zone names stop here: the recurrence's zone leaves this file as an IANA name.
 */

/** The property set every Outlook add-in's custom properties live in (PS_PUBLIC_STRINGS). */
const PS_PUBLIC_STRINGS = "{00020329-0000-0000-C000-000000000046}";

/** The extended property id of an add-in's custom properties, as Graph addresses it. */
export function customPropertiesId(addInId: string): string {
  const id = addInId.trim().toLowerCase().replace(/[{}]/g, "").replace(/^urn:uuid:/, "");
  return `String ${PS_PUBLIC_STRINGS} Name cecp-${id}`;
}

const DateTimeSchema = z.object({ dateTime: z.string(), timeZone: z.string().nullish() });

const AppointmentSchema = z.object({
  id: z.string().min(1),
  iCalUId: z.string().nullish(),
  type: z.enum(["singleInstance", "occurrence", "exception", "seriesMaster"]).nullish(),
  isOrganizer: z.boolean().nullish(),
  start: DateTimeSchema,
  end: DateTimeSchema,
  originalStartTimeZone: z.string().nullish(),
  transactionId: z.string().nullish(),
  recurrence: z
    .object({
      pattern: z.object({ type: z.string(), interval: z.number().int() }),
      range: z.object({ type: z.string(), startDate: z.string(), recurrenceTimeZone: z.string().nullish() }),
    })
    .nullish(),
  isOnlineMeeting: z.boolean().nullish(),
  onlineMeetingProvider: z.string().nullish(),
  onlineMeeting: z.object({ joinUrl: z.string().nullish() }).nullish(),
  singleValueExtendedProperties: z.array(z.object({ id: z.string(), value: z.string().nullish() })).nullish(),
  extensions: z.array(z.looseObject({ id: z.string().nullish(), extensionName: z.string().nullish() })).nullish(),
});

/** The custom properties' JSON: only the circle id matters here; other add-ins' keys are ignored. */
const CustomPropertiesSchema = z.looseObject({ coachingCircleId: z.string().optional() });

export interface OutlookAppointment {
  id: string;
  iCalUId: string | null;
  isSeriesMaster: boolean;
  hasRecurrence: boolean;
  isOrganizer: boolean;
  /** Epoch ms of the series' first start. */
  start: number;
  end: number;
  /** IANA zone the recurrence is kept in (undefined when Outlook didn't say or the zone is unknown). */
  recurrenceZone: string | undefined;
  transactionId: string | null;
  joinUrl: string | null;
  /**
   * A Teams meeting (Outlook's "Teams meeting" toggle on): only then is there a meeting chat to
   * set up. Its join URL may still be on its way (Teams creates the meeting after the save).
   */
  isTeamsMeeting: boolean;
  /** Circle ids the appointment is marked with: the pane's custom property, our booking extension. */
  markedCircleIds: string[];
}

/**
 * `GET /me/events/{id}` with the custom property and our extension expanded.
 * @throws GraphRequestError (404 ErrorItemNotFound when the id is not in the caller's calendar)
 */
export async function readAppointment(graph: GraphClient, eventId: string, marks: { addInId: string | undefined; seriesExtensionName: string }): Promise<OutlookAppointment> {
  const extId = openExtensionId(marks.seriesExtensionName);
  const propId = marks.addInId ? customPropertiesId(marks.addInId) : undefined;
  const expand = [`extensions($filter=id eq ${odataString(extId)})`, ...(propId ? [`singleValueExtendedProperties($filter=id eq ${odataString(propId)})`] : [])].join(",");
  const path = `/me/events/${encodeURIComponent(eventId)}${odataQuery({
    $select: "id,iCalUId,type,isOrganizer,start,end,originalStartTimeZone,transactionId,recurrence,isOnlineMeeting,onlineMeetingProvider,onlineMeeting",
    $expand: expand,
  })}`;
  // No Prefer header: times come back in UTC, and the series' own zone is read from its recurrence.
  const e = await graph.get(path, AppointmentSchema);
  const marked: string[] = [];
  for (const p of e.singleValueExtendedProperties ?? []) {
    if (!propId || p.id.replace(/\s+/g, " ").toLowerCase() !== propId.toLowerCase() || !p.value) continue;
    const circleId = parseCustomProperties(p.value)?.coachingCircleId;
    if (circleId) marked.push(circleId);
  }
  for (const ext of e.extensions ?? []) {
    const name = ext.extensionName ?? ext.id?.replace(/^Microsoft\.OutlookServices\.OpenTypeExtension\./, "");
    const circleId = (ext as Record<string, unknown>).circleId;
    if (name === marks.seriesExtensionName && typeof circleId === "string") marked.push(circleId);
  }
  const joinUrl = e.onlineMeeting?.joinUrl ?? null;
  // Skype and third-party meetings have no Teams meeting chat; a provider left unsaid counts when Teams gave a join URL.
  const provider = e.onlineMeetingProvider ?? undefined;
  const isTeamsMeeting = e.isOnlineMeeting === true && (provider === "teamsForBusiness" || ((provider === undefined || provider === "unknown") && joinUrl !== null));
  const zoneName = e.recurrence?.range.recurrenceTimeZone ?? e.originalStartTimeZone ?? undefined;
  return {
    id: e.id,
    iCalUId: e.iCalUId ?? null,
    isSeriesMaster: e.type === "seriesMaster",
    hasRecurrence: Boolean(e.recurrence),
    isOrganizer: e.isOrganizer === true,
    start: toEpochMs(e.start),
    end: toEpochMs(e.end),
    recurrenceZone: zoneName ? findIanaZone(zoneName) : undefined,
    transactionId: e.transactionId ?? null,
    joinUrl,
    isTeamsMeeting,
    markedCircleIds: [...new Set(marked)],
  };
}

function parseCustomProperties(value: string): z.infer<typeof CustomPropertiesSchema> | undefined {
  try {
    const parsed = CustomPropertiesSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // Not JSON: not written by Office.js, so not our mark.
    return undefined;
  }
}
