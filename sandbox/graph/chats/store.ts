import type { SeedPerson } from "../../seed/people.js";
import { graphTimestamp } from "../ids.js";

export interface ChatInstallation {
  id: string;
  catalogAppId: string;
}

export interface ChatTab {
  id: string;
  displayName: string;
  catalogAppId: string;
  configuration: { entityId: string | null; contentUrl: string | null; websiteUrl: string | null; removeUrl: string | null };
  webUrl: string;
}

export interface ChatMessageRecord {
  id: string;
  senderId: string;
  createdDateTime: string;
  body: { contentType: "text" | "html"; content: string };
  attachments: Array<{ id: string; contentType: string; content: string | null; contentUrl: string | null; name: string | null; thumbnailUrl: string | null; teamsAppId: string | null }>;
}

export interface ChatRecord {
  id: string;
  topic: string | null;
  chatType: "meeting" | "group" | "oneOnOne";
  createdDateTime: string;
  lastUpdatedDateTime: string;
  memberIds: string[];
  meeting?: { joinWebUrl: string; organizerId: string; eventId: string };
  installedApps: ChatInstallation[];
  tabs: ChatTab[];
  messages: ChatMessageRecord[];
}

/** Teams chats in memory. Meeting chats are created with their online meeting. */
export class ChatStore {
  private readonly chats = new Map<string, ChatRecord>();

  add(chat: ChatRecord): ChatRecord {
    this.chats.set(chat.id, chat);
    return chat;
  }
  find(id: string): ChatRecord | undefined {
    return this.chats.get(id);
  }
  list(): ChatRecord[] {
    return [...this.chats.values()];
  }

  /**
   * The invitation of `eventId`'s online meeting now lists `attendeeIds`: its meeting chat gains
   * the new invitees and loses the ones no longer invited (the organiser stays), as Teams keeps a
   * meeting chat's roster in step with the invite. Members keep their order; newcomers go last.
   * No-op when the event has no meeting chat.
   */
  followMeetingAttendees(eventId: string, attendeeIds: readonly string[], at: Date): void {
    const chat = [...this.chats.values()].find((c) => c.chatType === "meeting" && c.meeting?.eventId === eventId);
    if (!chat?.meeting) return;
    const organizerId = chat.meeting.organizerId;
    const invited = new Set(attendeeIds.filter((id) => id !== organizerId));
    const next = [organizerId, ...chat.memberIds.filter((id) => id !== organizerId && invited.has(id))];
    for (const id of invited) if (!next.includes(id)) next.push(id);
    const changed = next.length !== chat.memberIds.length || next.some((id, i) => chat.memberIds[i] !== id);
    if (!changed) return;
    chat.memberIds = next;
    chat.lastUpdatedDateTime = graphTimestamp(at);
  }
}

export function memberJson(chat: ChatRecord, person: SeedPerson, tenantId: string) {
  const isOrganizer = chat.meeting?.organizerId === person.id;
  return {
    "@odata.type": "#microsoft.graph.aadUserConversationMember",
    id: Buffer.from(`${chat.id}##${person.id}`).toString("base64url"),
    roles: isOrganizer || chat.chatType !== "meeting" ? ["owner"] : [],
    displayName: person.displayName,
    visibleHistoryStartDateTime: "0001-01-01T00:00:00Z",
    userId: person.id,
    email: person.mail,
    tenantId,
  };
}
