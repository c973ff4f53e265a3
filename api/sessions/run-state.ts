import type { SegmentKind } from "../circles/formats";
import type { RoleAssignment, RunSegment, RunState } from "./schemas";

export type { RunState } from "./schemas";

/**
 * A fresh run for a session: not started, version 0, on the first segment.
 * @param input.segments the circle's format scaled to the booked length (circles/formats
 *   `scaleSegments`); a segment without a kind is an "open" one.
 * @throws RangeError when there are no segments
 */
export function createRunState(input: {
  sessionId: string;
  segments: ReadonlyArray<{ id: string; name: string; minutes: number; kind?: SegmentKind | undefined }>;
  roles: RoleAssignment;
}): RunState {
  if (input.segments.length === 0) throw new RangeError("a run needs at least one segment");
  const segments: RunSegment[] = input.segments.map((s) => ({ id: s.id, name: s.name, minutes: s.minutes, kind: s.kind ?? "open" }));
  return {
    sessionId: input.sessionId,
    version: 0,
    status: "notStarted",
    segments,
    currentSegmentIndex: 0,
    segmentStartedAt: null,
    segmentExtendedMinutes: 0,
    roles: { ...input.roles, coaches: [...input.roles.coaches] },
    questions: [],
    airtime: {},
    reviewed: {},
  };
}

export interface TimerView {
  /** Whole seconds left in the current segment (rounded up, so "0" means the time is really up). */
  remainingSeconds: number;
  /** Whole seconds past the segment's time (extensions included); 0 while within time. */
  overtimeSeconds: number;
  /** Epoch ms (server time) when the segment's time runs out; null before the start, while paused and after the end. */
  segmentEndsAt: number | null;
  /** The segment's length including extensions, in seconds. */
  totalSeconds: number;
  running: boolean;
}

/**
 * The current segment's clock, computed from server time only, so every client shows the same
 * numbers whatever its own clock says (clients add their measured offset to `segmentEndsAt`).
 * A paused clock is frozen at the pause; an ended run is frozen at its end.
 */
export function timerView(state: RunState, now: number): TimerView {
  const segment = currentSegment(state);
  const totalSeconds = (segment.minutes + state.segmentExtendedMinutes) * 60;
  if (state.status === "notStarted" || state.segmentStartedAt === null) {
    return { remainingSeconds: totalSeconds, overtimeSeconds: 0, segmentEndsAt: null, totalSeconds, running: false };
  }
  const frozenAt = state.status === "paused" ? state.pausedAt : state.status === "ended" ? state.endedAt : undefined;
  // Never negative: a segment cannot have run before it started, whatever the clocks say.
  const elapsedMs = Math.max(0, (frozenAt ?? now) - state.segmentStartedAt);
  const leftMs = totalSeconds * 1000 - elapsedMs;
  const running = state.status === "running";
  return {
    remainingSeconds: Math.max(0, Math.ceil(leftMs / 1000)),
    overtimeSeconds: Math.max(0, Math.floor(-leftMs / 1000)),
    segmentEndsAt: running ? state.segmentStartedAt + totalSeconds * 1000 : null,
    totalSeconds,
    running,
  };
}

export function currentSegment(state: RunState): RunSegment {
  const segment = state.segments[state.currentSegmentIndex];
  if (segment === undefined) throw new RangeError(`run ${state.sessionId} has no segment ${state.currentSegmentIndex}`);
  return segment;
}
