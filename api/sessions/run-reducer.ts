import { classifyQuestion } from "./question-style";
import { setRole, swapRoles } from "./rotate-roles";
import type { Intent, RunErrorCode, RunState } from "./schemas";
import { createSeededRandom, drawSpeakingOrder, hashString } from "./speaking-order";

/** Who is asking, and the facts the run itself does not hold. */
export interface RunIntentContext {
  actorId: string;
  /** Server time, epoch ms. */
  now: number;
  /** The circle's current members; only they may act. */
  memberIds: readonly string[];
  /** commitment id → owner's member id, for the commitments under review. */
  commitmentOwners: Readonly<Record<string, string>>;
  /** Seconds each member spoke in earlier sessions; with this run's tallies it decides who is "quieter". */
  previousAirtime?: Readonly<Record<string, number>>;
}

export type ApplyIntentResult = { ok: true; state: RunState } | { ok: false; code: RunErrorCode; message: string };

/**
 * Applies one intent to the run, or says why not. Pure: the input state is never modified.
 *
 * Who may do what:
 * - only circle members act at all (`not_member`); nothing changes after the end (`invalid_state`);
 * - the facilitator starts, moves between segments, ends, sets and swaps roles and draws the
 *   speaking order; before the start any member may step in as facilitator themselves (so an
 *   absent facilitator never blocks the session);
 * - the facilitator or the timekeeper extends, pauses and resumes the timer;
 * - anyone adds questions; a question is removed by its author or the facilitator;
 * - the observer tallies airtime (the facilitator, when the circle has no observer);
 * - only a commitment's owner marks it reviewed.
 *
 * A success returns the new state with `version` exactly one higher.
 * The intent must already be parsed with `IntentSchema` (limits such as 1–15 minutes live there).
 */
export function applyIntent(state: RunState, intent: Intent, ctx: RunIntentContext): ApplyIntentResult {
  if (!ctx.memberIds.includes(ctx.actorId)) return refuse("not_member", "Only members of this circle can take part in its session.");
  if (state.status === "ended") return refuse("invalid_state", "This session has ended.");
  const next = reduce(state, intent, ctx);
  if ("refused" in next) return next.refused;
  return { ok: true, state: { ...next, version: state.version + 1 } };
}

type Step = RunState | { refused: Extract<ApplyIntentResult, { ok: false }> };

function refuse(code: RunErrorCode, message: string) {
  return { ok: false as const, code, message };
}
function refused(code: RunErrorCode, message: string): Step {
  return { refused: refuse(code, message) };
}

function reduce(state: RunState, intent: Intent, ctx: RunIntentContext): Step {
  const { actorId, now } = ctx;
  const isFacilitator = state.roles.facilitator === actorId;
  const keepsTime = isFacilitator || state.roles.timekeeper === actorId;
  const live = state.status === "running" || state.status === "paused";
  const notLive = refused("invalid_state", state.status === "notStarted" ? "The session hasn't started yet." : "The session isn't running.");

  switch (intent.type) {
    case "start":
      if (!isFacilitator) return refused("forbidden", "Only the facilitator can start the session.");
      if (state.status !== "notStarted") return refused("invalid_state", "The session has already started.");
      return { ...withoutPause(state), status: "running", currentSegmentIndex: 0, segmentStartedAt: now, segmentExtendedMinutes: 0 };

    case "next":
    case "previous": {
      if (!isFacilitator) return refused("forbidden", "Only the facilitator can move to another segment.");
      if (!live) return notLive;
      const index = state.currentSegmentIndex + (intent.type === "next" ? 1 : -1);
      if (index >= state.segments.length) return refused("invalid_state", "This is the last segment; end the session instead.");
      if (index < 0) return refused("invalid_state", "This is the first segment.");
      // A new segment starts with a fresh clock; if the run is paused it stays paused, at 0 elapsed.
      return { ...state, currentSegmentIndex: index, segmentStartedAt: now, segmentExtendedMinutes: 0, ...(state.status === "paused" ? { pausedAt: now } : {}) };
    }

    case "extend":
      if (!keepsTime) return refused("forbidden", "Only the facilitator or the timekeeper can extend the segment.");
      if (!live) return notLive;
      return { ...state, segmentExtendedMinutes: state.segmentExtendedMinutes + intent.minutes };

    case "pause":
      if (!keepsTime) return refused("forbidden", "Only the facilitator or the timekeeper can pause the timer.");
      if (state.status !== "running") return refused("invalid_state", state.status === "paused" ? "The timer is already paused." : "The session isn't running.");
      return { ...state, status: "paused", pausedAt: now };

    case "resume":
      if (!keepsTime) return refused("forbidden", "Only the facilitator or the timekeeper can resume the timer.");
      if (state.status !== "paused") return refused("invalid_state", "The timer isn't paused.");
      return { ...resumed(state, now), status: "running" };

    case "end":
      if (!isFacilitator) return refused("forbidden", "Only the facilitator can end the session.");
      if (!live) return notLive;
      // Ending while paused must not count the pause as time spent in the segment.
      return { ...(state.status === "paused" ? resumed(state, now) : state), status: "ended", endedAt: now };

    case "setRole": {
      const claimsFacilitation = intent.role === "facilitator" && intent.memberId === actorId && state.status === "notStarted";
      if (!isFacilitator && !claimsFacilitation) return refused("forbidden", "Only the facilitator can change roles.");
      if (!ctx.memberIds.includes(intent.memberId)) return refused("invalid_state", "That person isn't a member of this circle.");
      return changeRoles(state, () => setRole(state.roles, intent.role, intent.memberId));
    }

    case "swapRoles":
      if (!isFacilitator) return refused("forbidden", "Only the facilitator can swap roles.");
      if (!ctx.memberIds.includes(intent.a) || !ctx.memberIds.includes(intent.b)) return refused("invalid_state", "Both people must be members of this circle.");
      return changeRoles(state, () => swapRoles(state.roles, intent.a, intent.b));

    case "addQuestion": {
      const { style, suggestion } = classifyQuestion(intent.text);
      // The version that this intent will produce is unique within the run, so it makes a stable id.
      const question = { id: `q${state.version + 1}`, authorId: actorId, text: intent.text, style, ...(suggestion ? { suggestion } : {}), createdAt: now };
      return { ...state, questions: [...state.questions, question] };
    }

    case "removeQuestion": {
      const question = state.questions.find((q) => q.id === intent.id);
      if (!question) return refused("invalid_state", "That question is no longer on the board.");
      if (question.authorId !== actorId && !isFacilitator) return refused("forbidden", "Only the question's author or the facilitator can remove it.");
      return { ...state, questions: state.questions.filter((q) => q.id !== intent.id) };
    }

    case "tallyAirtime": {
      const mayTally = state.roles.observer === null ? isFacilitator : state.roles.observer === actorId;
      if (!mayTally) return refused("forbidden", "Only the observer keeps the airtime tally.");
      if (!ctx.memberIds.includes(intent.memberId)) return refused("invalid_state", "That person isn't a member of this circle.");
      const before = Object.hasOwn(state.airtime, intent.memberId) ? state.airtime[intent.memberId]! : 0;
      return { ...state, airtime: { ...state.airtime, [intent.memberId]: before + intent.seconds } };
    }

    case "drawSpeakingOrder": {
      if (!isFacilitator) return refused("forbidden", "Only the facilitator can draw the speaking order.");
      // Without a seed, derive one from the run itself so the reducer stays pure and replayable.
      const seed = intent.seed ?? hashString(`${state.sessionId}:${state.version}:${now}`);
      const airtime: Record<string, number> = {};
      for (const id of ctx.memberIds) {
        const earlier = ctx.previousAirtime && Object.hasOwn(ctx.previousAirtime, id) ? ctx.previousAirtime[id]! : 0;
        const today = Object.hasOwn(state.airtime, id) ? state.airtime[id]! : 0;
        airtime[id] = earlier + today;
      }
      return { ...state, speakingOrder: drawSpeakingOrder(ctx.memberIds, { random: createSeededRandom(seed), airtime }) };
    }

    case "markReviewed": {
      if (!Object.hasOwn(ctx.commitmentOwners, intent.commitmentId)) return refused("invalid_state", "That commitment isn't up for review in this session.");
      if (ctx.commitmentOwners[intent.commitmentId] !== actorId) return refused("forbidden", "Only the person who made a commitment can review it.");
      return { ...state, reviewed: { ...state.reviewed, [intent.commitmentId]: { status: intent.status, learning: intent.learning } } };
    }
  }
}

function changeRoles(state: RunState, change: () => RunState["roles"]): Step {
  try {
    return { ...state, roles: change() };
  } catch (err) {
    if (err instanceof RangeError) return refused("invalid_state", err.message);
    throw err;
  }
}

/** Shifts the segment's start by the length of the pause, so paused time never counts. */
function resumed(state: RunState, now: number): RunState {
  const pausedFor = state.pausedAt === undefined ? 0 : Math.max(0, now - state.pausedAt);
  return { ...withoutPause(state), segmentStartedAt: state.segmentStartedAt === null ? now : state.segmentStartedAt + pausedFor };
}

function withoutPause(state: RunState): RunState {
  const { pausedAt: _pausedAt, ...rest } = state;
  return rest;
}
