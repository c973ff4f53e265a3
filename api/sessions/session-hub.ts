import type { ServerResponse } from "node:http";
import type { RunState } from "./schemas";

/** What each `state` event carries: the whole state plus the server's clock when it was sent. */
export interface StateEvent {
  state: RunState;
  /** Epoch ms on the server when the event was written: clients derive their clock offset from it. */
  serverNow: number;
}

/** A session note as it travels on the stream (who reads it decides whether it is theirs). */
export interface StreamNote {
  id: string;
  authorId: string;
  visibility: "private" | "circle";
  text: string;
  createdAt: string;
}

/**
 * Where a client stands, as the `id:` of the last event it received: the run's version, and for
 * notes the createdAt (epoch ms) of the newest note it holds. `state` events carry "<version>",
 * `notes` events "<version>.<noteCursor>". A client that last saw a state event reconnects without
 * a note cursor and is sent every note it may read again (duplicates, never gaps); clients merge
 * notes by id.
 */
export interface StreamCursor {
  version?: number | undefined;
  noteCursor?: number | undefined;
}

/** Parses a Last-Event-ID ("12" or "12.1718000000123"); undefined when it is not one of ours. */
export function parseEventId(value: string | undefined): StreamCursor | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d{1,15})(?:\.(\d{1,15}))?$/.exec(value);
  if (!match) return undefined;
  return { version: Number(match[1]), ...(match[2] !== undefined ? { noteCursor: Number(match[2]) } : {}) };
}

/** The note cursor of a note: its createdAt in epoch ms (the service keeps them strictly increasing per session). */
export function noteCursorOf(note: { createdAt: string }): number {
  return Date.parse(note.createdAt);
}

/**
 * A state event serialised once: `json` is the event's JSON (the intent's HTTP answer is the same
 * bytes) and `frame` the SSE frame every client of the session is sent.
 */
export interface EncodedStateEvent {
  version: number;
  json: string;
  frame: Buffer;
}

export function encodeStateEvent(event: StateEvent, stateJson: string = JSON.stringify(event.state)): EncodedStateEvent {
  // Same bytes as JSON.stringify(event) (keys in StateEvent's order), from the state's JSON made once.
  const json = `{"state":${stateJson},"serverNow":${event.serverNow}}`;
  return { version: event.state.version, json, frame: Buffer.from(`id: ${event.state.version}\nevent: state\ndata: ${json}\n\n`, "utf8") };
}

interface Subscriber {
  res: ServerResponse;
  userId: string;
}

/**
 * Writes an event to a stream's socket directly. The response's headers went out with the first
 * write (subscribe) and the body has no framing (no chunked encoding), so what follows is bytes on
 * the socket: skipping ServerResponse.write saves its per-call bookkeeping, thousands of times a
 * second under load.
 */
function send(res: ServerResponse, chunk: Buffer | string): void {
  const socket = res.socket;
  // Bytes still queued in the response itself (it does not own the socket yet) must go first.
  if (socket && res.writableLength === socket.writableLength) {
    if (!socket.destroyed) socket.write(chunk);
  } else if (!res.destroyed) {
    // Not (yet, or no longer) writing to a socket of its own: let the response queue it.
    res.write(chunk);
  }
}

interface Channel {
  subscribers: Set<Subscriber>;
  /** The version every subscriber holds (or is being sent): the last one subscribed at or published. */
  version: number;
  /** When (epoch ms) every stream of the session was last written to: a busy session needs no heartbeat. */
  lastSentAt: number;
}

/** How long a stream may stay silent before a comment line keeps proxies and Teams' webview from closing it. */
export const HEARTBEAT_MS = 15_000;
/** How often idle sessions are looked for (a silent stream hears something within HEARTBEAT_MS + this). */
const HEARTBEAT_SWEEP_MS = 5_000;

/**
 * Fans a session's new state and its notes out to every connected client over server-sent events,
 * on this instance. A state event is serialised once per publish (not once per client) and the
 * same bytes go to every socket; a private note goes only to its author's streams.
 *
 * Across several API instances a publish must also reach the others (PostgreSQL LISTEN/NOTIFY,
 * architecture.md "Scale-out"); that bridge calls `publish` on each instance and is not built yet.
 */
export class SessionHub {
  private readonly sessions = new Map<string, Channel>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly clock: () => Date = () => new Date()) {
    // One timer for every stream rather than one per client: thousands of clients, one wake-up.
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_SWEEP_MS);
    this.heartbeat.unref();
  }

  /**
   * Starts an event stream on `res` (headers included) and sends `current` unless the client says
   * it already holds that version (`lastVersion`). Removes the client when the connection closes.
   * @returns the subscription, for `sendNotes` (the notes the client lacks, read after this call so
   *   none published meanwhile is missed).
   */
  subscribe(sessionId: string, userId: string, res: ServerResponse, current: RunState, lastVersion: number | undefined): Subscriber {
    // The stream ends only when the connection does, so its end is the body's end (RFC 9112 §6.3,
    // Node then says "Connection: close"): no chunked framing, each event goes to the socket as is,
    // one write per client per event.
    res.useChunkedEncodingByDefault = false;
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      // Reverse proxies (nginx, App Service front ends) must not buffer the stream.
      "X-Accel-Buffering": "no",
    });
    // Reconnect after 2 s if the connection drops (EventSource's default is ~3 s).
    // The first write sends the headers too; every later write goes to the socket (`send`).
    res.write("retry: 2000\n\n");
    if (lastVersion === undefined || lastVersion !== current.version) send(res, formatEvent({ state: current, serverNow: this.clock().getTime() }));
    const subscriber: Subscriber = { res, userId };
    let channel = this.sessions.get(sessionId);
    if (!channel) {
      channel = { subscribers: new Set(), version: current.version, lastSentAt: Date.now() };
      this.sessions.set(sessionId, channel);
    }
    channel.version = Math.max(channel.version, current.version);
    channel.subscribers.add(subscriber);
    res.on("close", () => {
      const now = this.sessions.get(sessionId);
      now?.subscribers.delete(subscriber);
      if (now?.subscribers.size === 0) this.sessions.delete(sessionId);
    });
    return subscriber;
  }

  /** Sends one client notes it lacks (on connect); nothing when there are none or it has gone. */
  sendNotes(sessionId: string, subscriber: Subscriber, notes: readonly StreamNote[]): void {
    if (notes.length === 0) return;
    const version = this.sessions.get(sessionId)?.version ?? 0;
    send(subscriber.res, formatNotesEvent(version, notes));
  }

  /**
   * Sends the state to every client of the session on this instance: serialised and encoded once
   * (or already, by the caller), the same bytes written to each socket.
   * @returns the encoded event (the intent's answer reuses its JSON).
   */
  publish(state: RunState, encoded: EncodedStateEvent = encodeStateEvent({ state, serverNow: this.clock().getTime() })): EncodedStateEvent {
    const channel = this.sessions.get(state.sessionId);
    if (!channel) return encoded;
    channel.version = Math.max(channel.version, state.version);
    channel.lastSentAt = Date.now();
    for (const { res } of channel.subscribers) send(res, encoded.frame);
    return encoded;
  }

  /**
   * A new note: a circle note to every client of the session (they are members: each stream was
   * opened with a member's ticket), a private note only to its author's own streams.
   */
  publishNote(sessionId: string, note: StreamNote): void {
    const channel = this.sessions.get(sessionId);
    if (!channel) return;
    const frame = Buffer.from(formatNotesEvent(channel.version, [note]), "utf8");
    for (const { res, userId } of channel.subscribers) {
      if (note.visibility === "circle" || userId === note.authorId) send(res, frame);
    }
  }

  /** Connected clients of a session (this instance). */
  clientCount(sessionId: string): number {
    return this.sessions.get(sessionId)?.subscribers.size ?? 0;
  }

  /** Ends every stream and stops the heartbeat (tests, shutdown). */
  close(): void {
    clearInterval(this.heartbeat);
    for (const channel of this.sessions.values()) for (const { res } of channel.subscribers) res.end();
    this.sessions.clear();
  }

  /**
   * Heartbeats only for sessions that were silent for HEARTBEAT_MS: under load every stream hears
   * an event each second anyway, and beating all of them at once (thousands of socket writes in
   * one turn) stalled every other request behind it.
   */
  private beat(): void {
    const now = Date.now();
    for (const channel of this.sessions.values()) {
      if (now - channel.lastSentAt < HEARTBEAT_MS) continue;
      channel.lastSentAt = now;
      for (const { res } of channel.subscribers) send(res, ": heartbeat\n\n");
    }
  }
}

/** One SSE frame. JSON never contains a raw newline, so one `data:` line is enough. */
export function formatEvent(event: StateEvent): string {
  return `id: ${event.state.version}\nevent: state\ndata: ${JSON.stringify(event)}\n\n`;
}

/** A `notes` frame: its id carries the version the client holds and the newest note's cursor. */
export function formatNotesEvent(version: number, notes: readonly StreamNote[]): string {
  const cursor = Math.max(...notes.map(noteCursorOf));
  return `id: ${version}.${cursor}\nevent: notes\ndata: ${JSON.stringify({ notes })}\n\n`;
}
