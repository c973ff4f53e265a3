import { z } from "zod";
import { EventSchema, odataQuery, odataString, openExtensionId, preferTimeZone, type CalendarEvent } from "../graph/calendar";
import { toEpochMs, toGraphDateTimeUtc } from "../graph/date-time";
import type { BatchRequest, BatchResult, GraphClient } from "../graph";
import { readBatchItemOrThrow } from "../graph";
import type { BlockKind, ExistingBlock, ProtectedBlock } from "./plan-blocks";

/**
 * The Graph side of protected time, for one mailbox: `/me` (delegated, the member themself) or
 * `/users/{id}` (application mode). Blocks carry an open extension
 * (`com.coachingcircles.protectedTime`: circleId, occurrenceKey, kind, memberId, seriesICalUId)
 * and are found again with `$filter=extensions/any(...)` + `$expand=extensions($filter=...)`,
 * the documented way to list items that carry an open extension. (A single-value extended
 * property would allow filtering on the circle id server-side; our blocks are few per mailbox
 * and the sandbox implements open extensions, so the open extension it is.)
 */

export const BLOCK_EXTENSION_NAME = "com.coachingcircles.protectedTime";

/** `/me` or `/users/{id}`. */
export type MailboxRoot = string;

export function mailboxRoot(userId: string | "me"): MailboxRoot {
  return userId === "me" ? "/me" : `/users/${encodeURIComponent(userId)}`;
}

const EVENT_SELECT = "id,iCalUId,type,start,end,originalStart,isCancelled,seriesMasterId,transactionId,recurrence,onlineMeeting,attendees";

/** The mailbox's copy of a meeting (organiser: the master; attendee: their own copy), by iCalUId. */
export async function findSeriesCopy(graph: GraphClient, root: MailboxRoot, iCalUId: string, timeZone: string): Promise<CalendarEvent | undefined> {
  const path = `${root}/events${odataQuery({ $filter: `iCalUId eq ${odataString(iCalUId)}`, $select: EVENT_SELECT })}`;
  const page = await graph.get(path, z.object({ value: z.array(EventSchema) }), { headers: preferTimeZone(timeZone) });
  return page.value.find((e) => e.type === "seriesMaster") ?? page.value[0];
}

/** Occurrences and exceptions of a series in [from, to), every page. */
export async function listSeriesInstances(graph: GraphClient, root: MailboxRoot, eventId: string, from: number, to: number, timeZone: string): Promise<CalendarEvent[]> {
  const query = odataQuery({ startDateTime: new Date(from).toISOString(), endDateTime: new Date(to).toISOString(), $select: EVENT_SELECT, $top: "200" });
  return graph.getAllPages(`${root}/events/${encodeURIComponent(eventId)}/instances${query}`, EventSchema, { headers: preferTimeZone(timeZone) });
}

const BlockExtensionSchema = z.looseObject({
  id: z.string().nullish(),
  extensionName: z.string().nullish(),
  circleId: z.string().min(1),
  occurrenceKey: z.string().min(1),
  kind: z.enum(["prep", "reflection"]),
  memberId: z.string().min(1),
  seriesICalUId: z.string().nullish(),
});

const BlockEventSchema = z.object({
  id: z.string().min(1),
  start: z.object({ dateTime: z.string(), timeZone: z.string().nullish() }),
  end: z.object({ dateTime: z.string(), timeZone: z.string().nullish() }),
  subject: z.string().nullish(),
  categories: z.array(z.string()).nullish(),
  showAs: z.string().nullish(),
  isCancelled: z.boolean().nullish(),
  extensions: z.array(z.looseObject({ id: z.string().nullish(), extensionName: z.string().nullish() })).nullish(),
});

export interface CalendarBlock extends ExistingBlock {
  circleId: string;
  seriesICalUId: string | null;
}

/**
 * Every block of ours in the mailbox (all circles), read back from Outlook: events carrying our
 * open extension. Events whose extension we cannot read are left alone (not ours to touch).
 */
export async function listBlocks(graph: GraphClient, root: MailboxRoot): Promise<CalendarBlock[]> {
  const extId = openExtensionId(BLOCK_EXTENSION_NAME);
  const path = `${root}/events${odataQuery({
    $filter: `extensions/any(e: e/id eq ${odataString(extId)})`,
    $expand: `extensions($filter=id eq ${odataString(extId)})`,
    $select: "id,start,end,subject,categories,showAs,isCancelled",
    $top: "100",
  })}`;
  const events = await graph.getAllPages(path, BlockEventSchema);
  const out: CalendarBlock[] = [];
  for (const e of events) {
    const raw = (e.extensions ?? []).find((x) => x.extensionName === BLOCK_EXTENSION_NAME || x.id === extId);
    const ext = BlockExtensionSchema.safeParse(raw);
    if (!ext.success || e.isCancelled) continue;
    out.push({
      eventId: e.id,
      circleId: ext.data.circleId,
      memberId: ext.data.memberId,
      occurrenceId: ext.data.occurrenceKey,
      kind: ext.data.kind,
      seriesICalUId: ext.data.seriesICalUId ?? null,
      start: new Date(toEpochMs(e.start)).toISOString(),
      end: new Date(toEpochMs(e.end)).toISOString(),
      ...(e.subject != null ? { subject: e.subject } : {}),
      ...(e.categories ? { categories: e.categories } : {}),
      ...(e.showAs ? { showAs: e.showAs } : {}),
    });
  }
  return out;
}

/** The category in the mailbox's master list (409 when it is there already). */
export function createCategoryIn(root: MailboxRoot, id: string, displayName: string, color: string): BatchRequest {
  return { id, method: "POST", url: `${root}/outlook/masterCategories`, body: { displayName, color } };
}

export function readCategoryCreated(result: BatchResult): void {
  if (result.status === 409) return;
  readBatchItemOrThrow(result, z.object({ id: z.string() }), "POST masterCategories");
}

/**
 * `POST {root}/events` for a block: busy, our category, neutral subject, no reminder, private
 * (colleagues see only "busy"), with the open extension that ties it to the series and session.
 * `transactionId` makes a retried create return the first event instead of a second one.
 */
export function createBlockRequest(id: string, root: MailboxRoot, block: ProtectedBlock, tie: { circleId: string; seriesICalUId: string | null; transactionId: string }): BatchRequest {
  return {
    id,
    method: "POST",
    url: `${root}/events`,
    body: {
      subject: block.subject,
      body: { contentType: "text", content: "" },
      start: toGraphDateTimeUtc(Date.parse(block.start)),
      end: toGraphDateTimeUtc(Date.parse(block.end)),
      showAs: block.showAs,
      categories: block.categories,
      isReminderOn: block.isReminderOn,
      sensitivity: "private",
      responseRequested: false,
      transactionId: tie.transactionId,
      extensions: [
        {
          "@odata.type": "microsoft.graph.openTypeExtension",
          extensionName: BLOCK_EXTENSION_NAME,
          circleId: tie.circleId,
          occurrenceKey: block.occurrenceId,
          kind: block.kind satisfies BlockKind,
          memberId: block.memberId,
          ...(tie.seriesICalUId ? { seriesICalUId: tie.seriesICalUId } : {}),
        },
      ],
    },
  };
}

export function updateBlockRequest(id: string, root: MailboxRoot, eventId: string, changes: Partial<Pick<ProtectedBlock, "start" | "end" | "subject" | "categories" | "showAs">>): BatchRequest {
  const body: Record<string, unknown> = {};
  if (changes.start) body.start = toGraphDateTimeUtc(Date.parse(changes.start));
  if (changes.end) body.end = toGraphDateTimeUtc(Date.parse(changes.end));
  if (changes.subject) body.subject = changes.subject;
  if (changes.categories) body.categories = changes.categories;
  if (changes.showAs) body.showAs = changes.showAs;
  return { id, method: "PATCH", url: `${root}/events/${encodeURIComponent(eventId)}`, body };
}

export function deleteBlockRequest(id: string, root: MailboxRoot, eventId: string): BatchRequest {
  return { id, method: "DELETE", url: `${root}/events/${encodeURIComponent(eventId)}` };
}

/** A created or updated block's id (the answer of POST/PATCH). */
export function readBlockWritten(result: BatchResult, what: string): string {
  return readBatchItemOrThrow(result, z.object({ id: z.string().min(1) }), what).id;
}

/** A delete that found nothing (404) is done too. */
export function readBlockDeleted(result: BatchResult): void {
  if (result.status === 404) return;
  readBatchItemOrThrow(result, z.unknown(), "DELETE block");
}
