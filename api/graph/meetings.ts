import type { OnlineMeeting } from "@microsoft/microsoft-graph-types";
import { z } from "zod";
import { readBatchItemOrThrow, type BatchRequest, type BatchResult } from "./batch";
import { odataQuery, odataString } from "./calendar";
import type { GraphClient } from "./types";

/**
 * Teams online meetings (platform-facts "Meeting chat"): the meeting behind a calendar event is
 * found by its join URL (`$filter=JoinWebUrl eq '…'`); its `chatInfo.threadId` is the meeting chat.
 */

const GraphOnlineMeetingSchema = z.object({
  id: z.string().min(1),
  joinWebUrl: z.string().nullish(),
  allowRecording: z.boolean().nullish(),
  allowTranscription: z.boolean().nullish(),
  chatInfo: z.object({ threadId: z.string().nullish() }).nullish(),
});

export interface OnlineMeetingInfo {
  id: string;
  joinWebUrl: string | null;
  /** The meeting chat's id (19:meeting_…@thread.v2). */
  chatId: string | null;
  allowRecording: boolean | null;
  allowTranscription: boolean | null;
}

function toInfo(m: z.output<typeof GraphOnlineMeetingSchema>): OnlineMeetingInfo {
  return { id: m.id, joinWebUrl: m.joinWebUrl ?? null, chatId: m.chatInfo?.threadId ?? null, allowRecording: m.allowRecording ?? null, allowTranscription: m.allowTranscription ?? null };
}

/** `GET /me/onlineMeetings?$filter=JoinWebUrl eq '…'` (organizer or attendee). */
export function findMeetingByJoinUrlRequest(id: string, joinWebUrl: string): BatchRequest {
  return { id, method: "GET", url: `/me/onlineMeetings${odataQuery({ $filter: `JoinWebUrl eq ${odataString(joinWebUrl)}` })}` };
}

/** The meeting, or undefined when Graph does not (yet) know the join URL. */
export function readMeetingLookup(result: BatchResult): OnlineMeetingInfo | undefined {
  const page = readBatchItemOrThrow(result, z.object({ value: z.array(GraphOnlineMeetingSchema) }), "GET /me/onlineMeetings");
  const first = page.value[0];
  return first ? toInfo(first) : undefined;
}

export async function findMeetingByJoinUrl(graph: GraphClient, joinWebUrl: string): Promise<OnlineMeetingInfo | undefined> {
  const [result] = await graph.batch([findMeetingByJoinUrlRequest("m", joinWebUrl)]);
  return result ? readMeetingLookup(result) : undefined;
}

/**
 * Recording and transcription off (organizer only). Coaching conversations are confidential:
 * nobody should be one click away from recording them.
 */
export function disableRecordingRequest(id: string, meetingId: string): BatchRequest {
  const body: OnlineMeeting = { allowRecording: false, allowTranscription: false };
  return { id, method: "PATCH", url: `/me/onlineMeetings/${encodeURIComponent(meetingId)}`, body };
}

export function readMeetingResult(result: BatchResult, what: string): OnlineMeetingInfo {
  return toInfo(readBatchItemOrThrow(result, GraphOnlineMeetingSchema, what));
}
