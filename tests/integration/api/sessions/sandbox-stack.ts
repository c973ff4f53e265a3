import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { createApp } from "../../../../api/app";
import { createGraphTokenProvider } from "../../../../api/auth/graph-tokens";
import { createTokenVerifier } from "../../../../api/auth/verify-token";
import { loadConfig } from "../../../../api/config";
import { createGraphFactory } from "../../../../api/graph";
import { createLogger } from "../../../../api/shared/logger";
import { toDbBool, type Db } from "../../../../api/storage";
import { SANDBOX_TENANT_ID } from "../../../../sandbox/seed/people";
import type { startSandbox } from "../../../../sandbox/server";

export type RunningSandbox = Awaited<ReturnType<typeof startSandbox>>;

export interface DemoPerson {
  id: string;
  upn: string;
  displayName: string;
}

/** The API over `db`, in sandbox mode against a running sandbox (real tokens, real Graph stand-in). */
export async function startApiOver(db: Db, sandboxUrl: string, clock: () => Date): Promise<{ url: string; close(): Promise<void> }> {
  const config = loadConfig({ SANDBOX_URL: sandboxUrl, LOG_LEVEL: "silent" });
  const graph = createGraphFactory({ baseUrl: config.graphBaseUrl, tokens: createGraphTokenProvider({ config }) });
  const app = createApp({ config, db, graph, tokenVerifier: createTokenVerifier({ config: config.auth }), logger: createLogger({ level: "silent" }), clock, distDir: "/nonexistent/dist" });
  const server: Server = app.listen(0);
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function demoPeople(sandboxUrl: string): Promise<DemoPerson[]> {
  const res = await fetch(`${sandboxUrl}/identity/users`);
  const body = (await res.json()) as { value: Array<{ id: string; userPrincipalName: string; displayName: string }> };
  return body.value.map((u) => ({ id: u.id, upn: u.userPrincipalName, displayName: u.displayName }));
}

/** A token from the sandbox's identity endpoint: for our API by default, or for Graph. */
export async function sandboxToken(sandboxUrl: string, upn: string, audience?: string): Promise<string> {
  const res = await fetch(`${sandboxUrl}/identity/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ upn, ...(audience ? { audience } : {}) }) });
  if (!res.ok) throw new Error(`token for ${upn}: ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export async function graphCall<T>(sandboxUrl: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${sandboxUrl}/v1.0${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Books an online meeting in the sandbox as `organizer` and returns its chat thread id. */
export async function createMeetingChat(sandboxUrl: string, organizer: DemoPerson, attendees: DemoPerson[], firstStart: { date: string; time: string }): Promise<{ chatId: string; joinUrl: string }> {
  const token = await sandboxToken(sandboxUrl, organizer.upn, "https://graph.microsoft.com");
  const [h, m] = firstStart.time.split(":").map(Number) as [number, number];
  const end = `${String(h + 1).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
  const created = await graphCall<{ onlineMeeting: { joinUrl: string } }>(sandboxUrl, token, "POST", "/me/events", {
    subject: "Coaching circle",
    start: { dateTime: `${firstStart.date}T${firstStart.time}:00`, timeZone: "UTC" },
    end: { dateTime: `${firstStart.date}T${end}:00`, timeZone: "UTC" },
    recurrence: { pattern: { type: "weekly", interval: 2, daysOfWeek: ["monday"], firstDayOfWeek: "monday" }, range: { type: "numbered", startDate: firstStart.date, numberOfOccurrences: 6 } },
    attendees: attendees.map((a) => ({ emailAddress: { address: a.upn }, type: "required" })),
    isOnlineMeeting: true,
    onlineMeetingProvider: "teamsForBusiness",
    transactionId: randomUUID(),
  });
  if (created.status !== 201) throw new Error(`event: ${created.status} ${JSON.stringify(created.body)}`);
  const joinUrl = created.body.onlineMeeting.joinUrl;
  const meetings = await graphCall<{ value: Array<{ chatInfo: { threadId: string } }> }>(sandboxUrl, token, "GET", `/me/onlineMeetings?$filter=${encodeURIComponent(`JoinWebUrl eq '${joinUrl}'`)}`);
  return { chatId: meetings.body.value[0]!.chatInfo.threadId, joinUrl };
}

/** A circle with members (join order = array order) and, when given, its booked series in that chat. */
export async function seedCircle(
  db: Db,
  input: { name: string; members: DemoPerson[]; chatId?: string; firstStart?: string; formatId?: string; charter?: string[] },
): Promise<string> {
  const id = randomUUID();
  const at = (i: number) => new Date(Date.UTC(2030, 0, 1, 0, i)).toISOString();
  await db
    .insertInto("circles")
    .values({
      id,
      tenant_id: SANDBOX_TENANT_ID,
      name: input.name,
      purpose: "Grow as new leads",
      charter: JSON.stringify(input.charter ?? ["What is said here stays here."]),
      format_id: input.formatId ?? "coaching-circle",
      cadence: "biweekly",
      session_minutes: 60,
      session_count: 6,
      time_zone: "Europe/London",
      rotate_roles: toDbBool(true),
      organizer_id: input.members[0]!.id,
      created_at: at(0),
      updated_at: at(0),
    })
    .execute();
  for (const [i, m] of input.members.entries()) {
    await db
      .insertInto("circle_members")
      .values({ circle_id: id, user_id: m.id, upn: m.upn, display_name: m.displayName, role: i === 0 ? "organizer" : "member", joined_at: at(i), left_at: null })
      .execute();
  }
  if (input.chatId) {
    await db
      .insertInto("circle_series")
      .values({
        circle_id: id,
        event_id: `evt-${id}`,
        ical_uid: `uid-${id}`,
        organizer_id: input.members[0]!.id,
        online_meeting_id: null,
        join_web_url: null,
        chat_id: input.chatId,
        time_zone: "Europe/London",
        first_start: input.firstStart ?? "2030-03-04T10:00:00+00:00",
        transaction_id: randomUUID(),
        status: "booked",
        job_id: null,
        created_at: at(0),
        updated_at: at(0),
      })
      .execute();
  }
  return id;
}

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/**
 * A minimal EventSource over fetch: collects events and waits for one matching a predicate.
 * (Node has no EventSource; this reads the same wire format.)
 */
export async function openEventStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: controller.signal });
  const events: SseEvent[] = [];
  const waiters: Array<{ match: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }> = [];
  let buffer = "";
  const pump = async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    try {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event: SseEvent = { data: "" };
          let hasData = false;
          for (const line of frame.split("\n")) {
            if (line.startsWith("id: ")) event.id = line.slice(4);
            else if (line.startsWith("event: ")) event.event = line.slice(7);
            else if (line.startsWith("data: ")) {
              event.data += line.slice(6);
              hasData = true;
            }
          }
          if (!hasData) continue;
          events.push(event);
          for (const w of [...waiters]) {
            if (w.match(event)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(event);
            }
          }
        }
      }
    } catch {
      // aborted
    }
  };
  void pump();
  return {
    status: res.status,
    contentType: res.headers.get("content-type"),
    events,
    /** Resolves with the first event (already received or future) that matches. */
    waitFor(match: (e: SseEvent) => boolean): Promise<SseEvent> {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
    close: () => controller.abort(),
  };
}
