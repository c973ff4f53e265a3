import { randomBytes, randomUUID } from "node:crypto";
import type { SandboxContext } from "../../context.js";
import { graphTimestamp } from "../ids.js";
import type { ChatStore } from "../chats/store.js";

export interface AttendanceRecord {
  userId: string;
  durationSeconds: number;
  /** When they joined, seconds after the meeting started (default 0). */
  joinOffsetSeconds: number;
}

/** One meeting session's report: Teams makes one each time a meeting (or an occurrence of a series) ends. */
export interface AttendanceReport {
  id: string;
  start: string;
  end: string;
  attendees: AttendanceRecord[];
}

export interface AttendanceInput {
  start: string;
  end: string;
  attendees: ReadonlyArray<{ userId: string; durationSeconds?: number; joinOffsetSeconds?: number }>;
}

export interface OnlineMeetingRecord {
  id: string;
  threadId: string;
  joinWebUrl: string;
  organizerId: string;
  attendeeIds: string[];
  subject: string;
  startDateTime: string;
  endDateTime: string;
  eventId: string;
  creationDateTime: string;
  joinMeetingId: string;
  passcode: string;
  ended: boolean;
  allowRecording: boolean;
  allowTranscription: boolean;
  recordAutomatically: boolean;
  reports: AttendanceReport[];
}

/** Lower-case %xx escapes, like the joinWebUrl Teams generates ("19%3ameeting_…%40thread.v2"). */
function teamsEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())
    .replace(/[{}]/g, (c) => (c === "{" ? "%7b" : "%7d"));
}

/** Join URLs match whatever their escaping and case (decoded, lower-cased). */
function normalizeJoinUrl(url: string): string {
  try {
    return decodeURIComponent(url).toLowerCase();
  } catch {
    return url.toLowerCase();
  }
}

/** Online meetings owned by the core; the calendar module creates them through ctx.meetings. */
export class OnlineMeetingStore {
  private readonly meetings = new Map<string, OnlineMeetingRecord>();
  private readonly byEvent = new Map<string, string>();
  /** Meeting id by normalised join URL: the booking looks every new meeting up by its URL. */
  private readonly byJoinUrl = new Map<string, string>();

  constructor(
    private readonly deps: { tenantId: string; now: () => Date; chats: ChatStore; isUser: (id: string) => boolean },
  ) {}

  createForEvent(input: Parameters<SandboxContext["meetings"]["createForEvent"]>[0]): OnlineMeetingRecord {
    const existing = this.byEvent.get(input.eventId);
    if (existing) return this.meetings.get(existing)!;
    // Thread ids look like 19:meeting_<base64 of a GUID>@thread.v2.
    const threadId = `19:meeting_${Buffer.from(randomUUID()).toString("base64").replace(/=+$/, "").replace(/[+/]/g, "A")}@thread.v2`;
    const id = Buffer.from(`1*${input.organizerId}*0**${threadId}`).toString("base64url");
    const context = `{"Tid":"${this.deps.tenantId}","Oid":"${input.organizerId}"}`;
    const joinWebUrl = `https://teams.microsoft.com/l/meetup-join/${teamsEncode(threadId)}/0?context=${teamsEncode(context)}`;
    const attendeeIds = [...new Set(input.attendeeIds.filter((a) => a !== input.organizerId && this.deps.isUser(a)))];
    const now = graphTimestamp(this.deps.now());
    const meeting: OnlineMeetingRecord = {
      id,
      threadId,
      joinWebUrl,
      organizerId: input.organizerId,
      attendeeIds,
      subject: input.subject,
      startDateTime: input.start,
      endDateTime: input.end,
      eventId: input.eventId,
      creationDateTime: now,
      joinMeetingId: String(100_000_000_000 + (randomBytes(4).readUInt32BE() % 899_999_999_999)),
      passcode: randomBytes(4).toString("base64url").slice(0, 6),
      ended: false,
      allowRecording: true,
      allowTranscription: true,
      recordAutomatically: false,
      reports: [],
    };
    this.meetings.set(id, meeting);
    this.byEvent.set(input.eventId, id);
    const urlKey = normalizeJoinUrl(joinWebUrl);
    if (!this.byJoinUrl.has(urlKey)) this.byJoinUrl.set(urlKey, id);
    this.deps.chats.add({
      id: threadId,
      topic: input.subject,
      chatType: "meeting",
      createdDateTime: now,
      lastUpdatedDateTime: now,
      memberIds: [input.organizerId, ...attendeeIds],
      meeting: { joinWebUrl, organizerId: input.organizerId, eventId: input.eventId },
      installedApps: [],
      tabs: [],
      messages: [],
    });
    return meeting;
  }

  endForEvent(eventId: string): void {
    const id = this.byEvent.get(eventId);
    const meeting = id ? this.meetings.get(id) : undefined;
    if (meeting) meeting.ended = true;
  }

  find(id: string): OnlineMeetingRecord | undefined {
    return this.meetings.get(id);
  }

  /** By meeting id, join URL or the calendar event it was created for (control endpoints accept any). */
  resolve(key: string): OnlineMeetingRecord | undefined {
    const byEvent = this.byEvent.get(key);
    return this.meetings.get(key) ?? (byEvent ? this.meetings.get(byEvent) : undefined) ?? (key.startsWith("https://") ? this.findByJoinWebUrl(key) : undefined);
  }

  /**
   * Adds the attendance report of one meeting session (what Teams generates when it ends).
   * `userId`s must already be directory object ids; a person listed twice is merged into one
   * record with two intervals, as Teams does for someone who left and came back.
   * @throws RangeError when the times are not a positive span or an interval falls outside it.
   */
  recordAttendance(meeting: OnlineMeetingRecord, input: AttendanceInput): AttendanceReport {
    const start = Date.parse(input.start);
    const end = Date.parse(input.end);
    if (!(end > start)) throw new RangeError("end must be after start");
    const length = Math.round((end - start) / 1000);
    const attendees: AttendanceRecord[] = input.attendees.map((a) => {
      const joinOffsetSeconds = a.joinOffsetSeconds ?? 0;
      const durationSeconds = a.durationSeconds ?? length - joinOffsetSeconds;
      if (joinOffsetSeconds < 0 || durationSeconds < 0 || joinOffsetSeconds + durationSeconds > length) throw new RangeError(`attendance of ${a.userId} falls outside the meeting (${length} s long)`);
      return { userId: a.userId, durationSeconds, joinOffsetSeconds };
    });
    const report: AttendanceReport = { id: randomUUID(), start: new Date(start).toISOString(), end: new Date(end).toISOString(), attendees };
    meeting.reports.push(report);
    return report;
  }

  findByJoinWebUrl(url: string): OnlineMeetingRecord | undefined {
    const id = this.byJoinUrl.get(normalizeJoinUrl(url));
    return id === undefined ? undefined : this.meetings.get(id);
  }

  list(): OnlineMeetingRecord[] {
    return [...this.meetings.values()];
  }
}
