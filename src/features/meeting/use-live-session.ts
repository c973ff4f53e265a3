import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useHost } from "../../host";
import { createSessionApi, eventsUrl, notesEventSchema, stateEventSchema } from "./session-api";
import type { Intent, RunState, SessionApi, SessionView, StateEvent, StreamNote } from "./session-api";

/** The live-session API for this page, signed in through the host. */
export function useSessionApi(): SessionApi {
  const host = useHost();
  return useMemo(() => createSessionApi({ getToken: () => host.getToken() }), [host]);
}

export type Connection = "connecting" | "live" | "reconnecting" | "unavailable";

/**
 * Follows one session live: the run's state from server-sent events (newest version wins, whether
 * it arrives on the stream or as the answer to our own intent), the offset between the server's
 * clock and ours (timers are server time), and `send` for intents.
 *
 * Each connection uses a fresh single-use ticket, so after an error we close the EventSource (its
 * own retry would reuse the spent ticket) and reconnect with a new one, passing the version we
 * hold as lastEventId so the server only sends what we lack. Backoff doubles up to 30 s.
 *
 * Notes come on the same stream (`notes` events: circle notes and our own private ones), merged
 * by id; the newest note's createdAt is our note cursor, sent back as "<version>.<cursor>".
 */
export function useLiveSession(api: SessionApi, initial: SessionView) {
  const [state, setState] = useState<RunState>(initial.state);
  const [offsetMs, setOffsetMs] = useState(() => initial.serverNow - Date.now());
  const [connection, setConnection] = useState<Connection>("connecting");
  const versionRef = useRef(initial.state.version);
  const [notes, setNotes] = useState<StreamNote[]>([]);
  const noteCursorRef = useRef<number | undefined>(undefined);
  const sessionId = initial.id;

  /** Adds notes we did not hold yet (by id), oldest first; the stream, our own POST and a poll all land here. */
  const mergeNotes = useCallback((incoming: readonly StreamNote[]) => {
    if (incoming.length === 0) return;
    setNotes((held) => {
      const known = new Set(held.map((n) => n.id));
      const fresh = incoming.filter((n) => !known.has(n.id));
      if (fresh.length === 0) return held;
      return [...held, ...fresh].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    });
  }, []);

  const accept = useCallback((event: StateEvent) => {
    setOffsetMs(event.serverNow - Date.now());
    if (event.state.version < versionRef.current) return;
    versionRef.current = event.state.version;
    setState(event.state);
  }, []);

  useEffect(() => {
    let closed = false;
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    const again = () => {
      if (closed) return;
      setConnection("reconnecting");
      retry = setTimeout(() => void connect(), Math.min(30_000, 1_000 * 2 ** attempt++));
    };
    const connect = async () => {
      const EventSourceImpl = globalThis.EventSource;
      if (!EventSourceImpl) {
        setConnection("unavailable");
        return;
      }
      let ticket: string;
      try {
        ({ ticket } = await api.createStreamTicket(sessionId));
      } catch {
        again();
        return;
      }
      if (closed) return;
      const lastEventId = noteCursorRef.current === undefined ? versionRef.current : `${versionRef.current}.${noteCursorRef.current}`;
      source = new EventSourceImpl(eventsUrl(sessionId, ticket, lastEventId));
      source.addEventListener("open", () => {
        attempt = 0;
        setConnection("live");
      });
      source.addEventListener("state", (event) => {
        const parsed = stateEventSchema.safeParse(JSON.parse((event as MessageEvent<string>).data));
        if (parsed.success) accept(parsed.data);
      });
      source.addEventListener("notes", (event) => {
        const parsed = notesEventSchema.safeParse(JSON.parse((event as MessageEvent<string>).data));
        if (!parsed.success) return;
        mergeNotes(parsed.data.notes);
        const newest = Math.max(...parsed.data.notes.map((n) => Date.parse(n.createdAt)));
        if (Number.isFinite(newest)) noteCursorRef.current = Math.max(noteCursorRef.current ?? 0, newest);
      });
      source.addEventListener("error", () => {
        source?.close();
        again();
      });
    };
    void connect();
    return () => {
      closed = true;
      source?.close();
      clearTimeout(retry);
    };
  }, [api, sessionId, accept, mergeNotes]);

  const send = useCallback(
    async (intent: Intent) => {
      const event = await api.sendIntent(sessionId, intent);
      accept(event);
      return event;
    },
    [api, sessionId, accept],
  );

  return { state, offsetMs, connection, send, notes, mergeNotes };
}

/** Server time now (our clock plus the measured offset), re-rendering every second. */
export function useServerNow(offsetMs: number): number {
  const [now, setNow] = useState(() => Date.now() + offsetMs);
  useEffect(() => {
    setNow(Date.now() + offsetMs);
    const id = setInterval(() => setNow(Date.now() + offsetMs), 1_000);
    return () => clearInterval(id);
  }, [offsetMs]);
  return now;
}

export interface ClockView {
  remainingSeconds: number;
  overtimeSeconds: number;
  totalSeconds: number;
  running: boolean;
}

/** The current segment's clock from server time (mirrors api/sessions/run-state.ts timerView). */
export function segmentClock(state: RunState, serverNow: number): ClockView {
  const segment = state.segments[state.currentSegmentIndex] ?? state.segments[0]!;
  const totalSeconds = (segment.minutes + state.segmentExtendedMinutes) * 60;
  if (state.status === "notStarted" || state.segmentStartedAt === null) return { remainingSeconds: totalSeconds, overtimeSeconds: 0, totalSeconds, running: false };
  const frozenAt = state.status === "paused" ? state.pausedAt : state.status === "ended" ? state.endedAt : undefined;
  const elapsedMs = Math.max(0, (frozenAt ?? serverNow) - state.segmentStartedAt);
  const leftMs = totalSeconds * 1000 - elapsedMs;
  return {
    remainingSeconds: Math.max(0, Math.ceil(leftMs / 1000)),
    overtimeSeconds: Math.max(0, Math.floor(-leftMs / 1000)),
    totalSeconds,
    running: state.status === "running",
  };
}

/** "12:05" */
export function formatClock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}

/** "12 minutes 5 seconds", for screen readers. */
export function spokenClock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  const parts = [];
  if (m > 0) parts.push(`${m} minute${m === 1 ? "" : "s"}`);
  if (s > 0 || m === 0) parts.push(`${s} second${s === 1 ? "" : "s"}`);
  return parts.join(" ");
}
