import type { SeedPerson } from "../../seed/people.js";

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
