import type { ServerResponse } from "node:http";
import type { RunState } from "./schemas";

/** What each server-sent event carries: the whole state plus the server's clock when it was sent. */
export interface StateEvent {
  state: RunState;
  /** Epoch ms on the server when the event was written: clients derive their clock offset from it. */
  serverNow: number;
}

interface Subscriber {
  res: ServerResponse;
  userId: string;
}

/** How often a comment line is sent so proxies and Teams' webview keep an idle stream open. */
export const HEARTBEAT_MS = 15_000;

/**
 * Fans a session's new state out to every connected client over server-sent events, on this
 * instance. Each event is serialised once per publish (not once per client), with `id:` = the
 * state's version so `Last-Event-ID` tells us what a reconnecting client already holds.
 *
 * Across several API instances a publish must also reach the others (PostgreSQL LISTEN/NOTIFY,
 * architecture.md "Scale-out"); that bridge calls `publish` on each instance and is not built yet.
 */
export class SessionHub {
  private readonly sessions = new Map<string, Set<Subscriber>>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly clock: () => Date = () => new Date()) {
    // One timer for every stream rather than one per client: thousands of clients, one wake-up.
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /**
   * Starts an event stream on `res` (headers included) and sends `current` unless the client says
   * it already holds that version (`lastEventId`). Removes the client when the connection closes.
   */
  subscribe(sessionId: string, userId: string, res: ServerResponse, current: RunState, lastEventId: number | undefined): void {
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
    res.write("retry: 2000\n\n");
    if (lastEventId === undefined || lastEventId !== current.version) res.write(formatEvent({ state: current, serverNow: this.clock().getTime() }));
    const subscriber: Subscriber = { res, userId };
    let set = this.sessions.get(sessionId);
    if (!set) {
      set = new Set();
      this.sessions.set(sessionId, set);
    }
    set.add(subscriber);
    res.on("close", () => {
      const current = this.sessions.get(sessionId);
      current?.delete(subscriber);
      if (current?.size === 0) this.sessions.delete(sessionId);
    });
  }

  /**
   * Sends the state to every client of the session on this instance: serialised and encoded once,
   * the same bytes written to each socket.
   */
  publish(state: RunState): void {
    const set = this.sessions.get(state.sessionId);
    if (!set || set.size === 0) return;
    const frame = Buffer.from(formatEvent({ state, serverNow: this.clock().getTime() }), "utf8");
    for (const { res } of set) res.write(frame);
  }

  /** Connected clients of a session (this instance). */
  clientCount(sessionId: string): number {
    return this.sessions.get(sessionId)?.size ?? 0;
  }

  /** Ends every stream and stops the heartbeat (tests, shutdown). */
  close(): void {
    clearInterval(this.heartbeat);
    for (const set of this.sessions.values()) for (const { res } of set) res.end();
    this.sessions.clear();
  }

  private beat(): void {
    for (const set of this.sessions.values()) for (const { res } of set) res.write(": heartbeat\n\n");
  }
}

/** One SSE frame. JSON never contains a raw newline, so one `data:` line is enough. */
export function formatEvent(event: StateEvent): string {
  return `id: ${event.state.version}\nevent: state\ndata: ${JSON.stringify(event)}\n\n`;
}
