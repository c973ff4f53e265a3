import { describe, expect, it } from "vitest";
import { findBuiltInFormat, scaleSegments } from "../../../../api/circles/formats";
import { applyIntent, type RunIntentContext } from "../../../../api/sessions/run-reducer";
import { createRunState, timerView } from "../../../../api/sessions/run-state";
import { IntentSchema, RunStateSchema, type Intent, type RunState } from "../../../../api/sessions/schemas";

const MEMBERS = ["fac", "owner", "time", "obs", "coach1", "coach2"];
const ROLES = { facilitator: "fac", caseOwner: "owner", timekeeper: "time", observer: "obs", coaches: ["coach1", "coach2"] };
const T0 = Date.UTC(2025, 2, 10, 9, 0, 0);
const MIN = 60_000;

function freshRun(): RunState {
  const format = findBuiltInFormat("coaching-circle")!;
  return createRunState({ sessionId: "s1", segments: scaleSegments(format, 60), roles: ROLES });
}

function ctx(actorId: string, now = T0, extra: Partial<RunIntentContext> = {}): RunIntentContext {
  return { actorId, now, memberIds: MEMBERS, commitmentOwners: { c1: "owner", c2: "coach1" }, ...extra };
}

/** Applies an intent that must succeed, after parsing it as a route would. */
function apply(state: RunState, intent: unknown, context: RunIntentContext): RunState {
  const result = applyIntent(state, IntentSchema.parse(intent), context);
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  expect(result.state.version).toBe(state.version + 1);
  expect(RunStateSchema.safeParse(result.state).success).toBe(true);
  return result.state;
}

function refusal(state: RunState, intent: Intent, context: RunIntentContext) {
  const result = applyIntent(state, intent, context);
  expect(result.ok).toBe(false);
  return result.ok ? undefined : result.code;
}

function started(now = T0): RunState {
  return apply(freshRun(), { type: "start" }, ctx("fac", now));
}

describe("createRunState", () => {
  it("starts not started at version 0 on the first segment of the scaled format", () => {
    const run = freshRun();
    expect(run).toMatchObject({ version: 0, status: "notStarted", currentSegmentIndex: 0, segmentStartedAt: null, questions: [], airtime: {}, reviewed: {} });
    expect(run.segments[0]).toEqual({ id: "check-in-round", name: "check-in round", minutes: 8, kind: "round" });
    expect(RunStateSchema.parse(run)).toEqual(run);
  });

  it("refuses a run without segments", () => {
    expect(() => createRunState({ sessionId: "s", segments: [], roles: ROLES })).toThrow(RangeError);
  });
});

describe("applyIntent: who may act", () => {
  it("refuses anyone who is not a member of the circle", () => {
    expect(refusal(freshRun(), { type: "addQuestion", text: "What else?" }, ctx("stranger"))).toBe("not_member");
    expect(refusal(freshRun(), { type: "start" }, ctx("stranger"))).toBe("not_member");
  });

  it("lets only the facilitator start, advance, go back and end", () => {
    expect(refusal(freshRun(), { type: "start" }, ctx("coach1"))).toBe("forbidden");
    const run = started();
    for (const type of ["next", "end"] as const) {
      expect(refusal(run, { type }, ctx("owner"))).toBe("forbidden");
      expect(refusal(run, { type }, ctx("time"))).toBe("forbidden");
    }
    const second = apply(run, { type: "next" }, ctx("fac"));
    expect(refusal(second, { type: "previous" }, ctx("coach2"))).toBe("forbidden");
  });

  it("lets the timekeeper extend, pause and resume, but not a coach", () => {
    let run = started();
    expect(refusal(run, { type: "extend", minutes: 2 }, ctx("coach1"))).toBe("forbidden");
    expect(refusal(run, { type: "pause" }, ctx("obs"))).toBe("forbidden");
    run = apply(run, { type: "extend", minutes: 2 }, ctx("time"));
    run = apply(run, { type: "pause" }, ctx("time", T0 + MIN));
    expect(refusal(run, { type: "resume" }, ctx("coach1"))).toBe("forbidden");
    run = apply(run, { type: "resume" }, ctx("time", T0 + 2 * MIN));
    expect(run.status).toBe("running");
  });

  it("changes nothing once the session has ended", () => {
    const ended = apply(started(), { type: "end" }, ctx("fac", T0 + MIN));
    expect(ended).toMatchObject({ status: "ended", endedAt: T0 + MIN });
    expect(refusal(ended, { type: "addQuestion", text: "What else?" }, ctx("coach1"))).toBe("invalid_state");
    expect(refusal(ended, { type: "start" }, ctx("fac"))).toBe("invalid_state");
  });
});

describe("applyIntent: segments and timer", () => {
  it("starts the clock at server time and counts the version up by exactly one per intent", () => {
    const run = started();
    expect(run).toMatchObject({ status: "running", version: 1, segmentStartedAt: T0 });
    expect(refusal(run, { type: "start" }, ctx("fac"))).toBe("invalid_state");
    const next = apply(run, { type: "next" }, ctx("fac", T0 + 8 * MIN));
    expect(next.version).toBe(2);
  });

  it("refuses to move before the start, past the last segment or before the first", () => {
    expect(refusal(freshRun(), { type: "next" }, ctx("fac"))).toBe("invalid_state");
    let run = started();
    expect(refusal(run, { type: "previous" }, ctx("fac"))).toBe("invalid_state");
    for (let i = 1; i < run.segments.length; i++) run = apply(run, { type: "next" }, ctx("fac"));
    expect(run.currentSegmentIndex).toBe(6);
    expect(refusal(run, { type: "next" }, ctx("fac"))).toBe("invalid_state");
  });

  it("gives each segment a fresh clock and drops the previous segment's extension", () => {
    let run = apply(started(), { type: "extend", minutes: 5 }, ctx("fac"));
    run = apply(run, { type: "next" }, ctx("fac", T0 + 10 * MIN));
    expect(run).toMatchObject({ currentSegmentIndex: 1, segmentStartedAt: T0 + 10 * MIN, segmentExtendedMinutes: 0 });
    run = apply(run, { type: "previous" }, ctx("fac", T0 + 11 * MIN));
    expect(run).toMatchObject({ currentSegmentIndex: 0, segmentStartedAt: T0 + 11 * MIN });
  });

  it("counts down, then reports overtime once the segment's time has passed", () => {
    const run = started(); // check-in round: 8 minutes
    expect(timerView(run, T0 + 30_500)).toMatchObject({ remainingSeconds: 450, overtimeSeconds: 0, segmentEndsAt: T0 + 8 * MIN, running: true });
    expect(timerView(run, T0 + 8 * MIN)).toMatchObject({ remainingSeconds: 0, overtimeSeconds: 0 });
    expect(timerView(run, T0 + 9 * MIN + 15_000)).toMatchObject({ remainingSeconds: 0, overtimeSeconds: 75 });
  });

  it("adds extensions to the segment's time", () => {
    const run = apply(started(), { type: "extend", minutes: 3 }, ctx("time", T0 + 7 * MIN));
    expect(timerView(run, T0 + 9 * MIN)).toMatchObject({ remainingSeconds: 120, overtimeSeconds: 0, segmentEndsAt: T0 + 11 * MIN, totalSeconds: 660 });
  });

  it("freezes the clock while paused and does not count the pause after resuming", () => {
    let run = apply(started(), { type: "pause" }, ctx("fac", T0 + 2 * MIN));
    expect(timerView(run, T0 + 20 * MIN)).toMatchObject({ remainingSeconds: 360, overtimeSeconds: 0, segmentEndsAt: null, running: false });
    expect(refusal(run, { type: "pause" }, ctx("fac"))).toBe("invalid_state");
    run = apply(run, { type: "resume" }, ctx("fac", T0 + 5 * MIN));
    expect(run.pausedAt).toBeUndefined();
    expect(timerView(run, T0 + 6 * MIN)).toMatchObject({ remainingSeconds: 300, segmentEndsAt: T0 + 11 * MIN });
    expect(refusal(run, { type: "resume" }, ctx("fac"))).toBe("invalid_state");
  });

  it("shows the full segment before the start and freezes at the end", () => {
    expect(timerView(freshRun(), T0)).toMatchObject({ remainingSeconds: 480, overtimeSeconds: 0, segmentEndsAt: null, running: false });
    const ended = apply(started(), { type: "end" }, ctx("fac", T0 + 10 * MIN));
    expect(timerView(ended, T0 + 60 * MIN)).toMatchObject({ overtimeSeconds: 120, running: false });
  });

  it("does not count a pause as segment time when the session ends while paused", () => {
    let run = apply(started(), { type: "pause" }, ctx("fac", T0 + 2 * MIN));
    run = apply(run, { type: "end" }, ctx("fac", T0 + 30 * MIN));
    expect(timerView(run, T0 + 40 * MIN)).toMatchObject({ remainingSeconds: 360, overtimeSeconds: 0 });
  });

  it("keeps a paused run paused when moving on, with the new segment's clock at zero", () => {
    let run = apply(started(), { type: "pause" }, ctx("fac", T0 + 2 * MIN));
    run = apply(run, { type: "next" }, ctx("fac", T0 + 3 * MIN));
    expect(run).toMatchObject({ status: "paused", currentSegmentIndex: 1, pausedAt: T0 + 3 * MIN });
    expect(timerView(run, T0 + 9 * MIN).remainingSeconds).toBe(7 * 60);
  });

  it("limits an extension to 1–15 minutes at the boundary", () => {
    expect(IntentSchema.safeParse({ type: "extend", minutes: 0 }).success).toBe(false);
    expect(IntentSchema.safeParse({ type: "extend", minutes: 16 }).success).toBe(false);
    expect(IntentSchema.safeParse({ type: "extend", minutes: 15 }).success).toBe(true);
  });

  it("never modifies the state it was given", () => {
    const run = Object.freeze(started());
    const before = structuredClone(run);
    apply(run, { type: "next" }, ctx("fac"));
    apply(run, { type: "addQuestion", text: "Did you ask?" }, ctx("coach1"));
    expect(run).toEqual(before);
  });
});

describe("applyIntent: roles", () => {
  it("lets the facilitator give a role to someone, who swaps with its holder", () => {
    const run = apply(started(), { type: "setRole", role: "timekeeper", memberId: "coach1" }, ctx("fac"));
    expect(run.roles).toMatchObject({ timekeeper: "coach1", coaches: ["time", "coach2"] });
  });

  it("lets the facilitator swap two members' roles by agreement, and nobody else", () => {
    const run = apply(started(), { type: "swapRoles", a: "fac", b: "owner" }, ctx("fac"));
    expect(run.roles).toMatchObject({ facilitator: "owner", caseOwner: "fac" });
    // The new facilitator now runs the session; the old one cannot.
    expect(refusal(run, { type: "next" }, ctx("fac"))).toBe("forbidden");
    apply(run, { type: "next" }, ctx("owner"));
    expect(refusal(started(), { type: "swapRoles", a: "coach1", b: "coach2" }, ctx("coach1"))).toBe("forbidden");
  });

  it("refuses roles for people outside the circle", () => {
    expect(refusal(started(), { type: "setRole", role: "observer", memberId: "stranger" }, ctx("fac"))).toBe("invalid_state");
    expect(refusal(started(), { type: "swapRoles", a: "fac", b: "stranger" }, ctx("fac"))).toBe("invalid_state");
  });

  it("lets any member step in as facilitator before the start, but not after", () => {
    const run = apply(freshRun(), { type: "setRole", role: "facilitator", memberId: "coach2" }, ctx("coach2"));
    expect(run.roles).toMatchObject({ facilitator: "coach2", coaches: ["coach1", "fac"] });
    expect(refusal(freshRun(), { type: "setRole", role: "facilitator", memberId: "coach1" }, ctx("coach2"))).toBe("forbidden");
    expect(refusal(started(), { type: "setRole", role: "facilitator", memberId: "coach2" }, ctx("coach2"))).toBe("forbidden");
  });

  it("refuses a role change that would leave the case owner role empty", () => {
    const three = createRunState({ sessionId: "s3", segments: [{ id: "x", name: "x", minutes: 5 }], roles: { facilitator: "a", caseOwner: "b", timekeeper: null, observer: null, coaches: ["c"] } });
    expect(refusal(three, { type: "setRole", role: "timekeeper", memberId: "b" }, { ...ctx("a"), memberIds: ["a", "b", "c"] })).toBe("invalid_state");
  });
});

describe("applyIntent: question storm", () => {
  it("lets anyone add a question, classified and nudged, with a unique id and server time", () => {
    let run = apply(started(), { type: "addQuestion", text: "  Did you talk to your manager?  " }, ctx("coach1", T0 + MIN));
    run = apply(run, { type: "addQuestion", text: "What else?" }, ctx("owner", T0 + 2 * MIN));
    expect(run.questions).toEqual([
      { id: "q2", authorId: "coach1", text: "Did you talk to your manager?", style: "closed", suggestion: "What conversations have you had about this so far?", createdAt: T0 + MIN },
      { id: "q3", authorId: "owner", text: "What else?", style: "open", createdAt: T0 + 2 * MIN },
    ]);
  });

  it("accepts questions of 1–500 characters only", () => {
    expect(IntentSchema.safeParse({ type: "addQuestion", text: "   " }).success).toBe(false);
    expect(IntentSchema.safeParse({ type: "addQuestion", text: "x".repeat(501) }).success).toBe(false);
    expect(IntentSchema.safeParse({ type: "addQuestion", text: "x".repeat(500) }).success).toBe(true);
  });

  it("lets the author or the facilitator remove a question, and nobody else", () => {
    const run = apply(started(), { type: "addQuestion", text: "What else?" }, ctx("coach1"));
    const id = run.questions[0]!.id;
    expect(refusal(run, { type: "removeQuestion", id }, ctx("coach2"))).toBe("forbidden");
    expect(apply(run, { type: "removeQuestion", id }, ctx("coach1")).questions).toEqual([]);
    expect(apply(run, { type: "removeQuestion", id }, ctx("fac")).questions).toEqual([]);
    expect(refusal(run, { type: "removeQuestion", id: "q999" }, ctx("fac"))).toBe("invalid_state");
  });
});

describe("applyIntent: airtime and speaking order", () => {
  it("lets only the observer tally airtime, adding up per member", () => {
    let run = apply(started(), { type: "tallyAirtime", memberId: "owner", seconds: 90 }, ctx("obs"));
    run = apply(run, { type: "tallyAirtime", memberId: "owner", seconds: 30 }, ctx("obs"));
    expect(run.airtime).toEqual({ owner: 120 });
    expect(refusal(run, { type: "tallyAirtime", memberId: "owner", seconds: 30 }, ctx("fac"))).toBe("forbidden");
    expect(refusal(run, { type: "tallyAirtime", memberId: "stranger", seconds: 30 }, ctx("obs"))).toBe("invalid_state");
    expect(IntentSchema.safeParse({ type: "tallyAirtime", memberId: "owner", seconds: 601 }).success).toBe(false);
  });

  it("lets the facilitator tally when the circle has no observer", () => {
    const three = createRunState({ sessionId: "s3", segments: [{ id: "x", name: "x", minutes: 5 }], roles: { facilitator: "a", caseOwner: "b", timekeeper: null, observer: null, coaches: ["c"] } });
    const run = apply(three, { type: "tallyAirtime", memberId: "b", seconds: 10 }, { ...ctx("a"), memberIds: ["a", "b", "c"] });
    expect(run.airtime).toEqual({ b: 10 });
  });

  it("lets the facilitator draw a seeded speaking order with everyone once and the quietest not last", () => {
    let run = started();
    for (const [memberId, seconds] of [["fac", 300], ["owner", 280], ["time", 250], ["obs", 200]] as const) {
      run = apply(run, { type: "tallyAirtime", memberId, seconds }, ctx("obs"));
    }
    const drawn = apply(run, { type: "drawSpeakingOrder", seed: 1234 }, ctx("fac"));
    expect([...drawn.speakingOrder!].sort()).toEqual([...MEMBERS].sort());
    expect(drawn.speakingOrder!.slice(-2)).not.toContain("coach1");
    expect(drawn.speakingOrder!.slice(-2)).not.toContain("coach2");
    expect(apply(run, { type: "drawSpeakingOrder", seed: 1234 }, ctx("fac")).speakingOrder).toEqual(drawn.speakingOrder);
    expect(refusal(run, { type: "drawSpeakingOrder" }, ctx("coach1"))).toBe("forbidden");
  });

  it("counts earlier sessions' airtime when deciding who is quieter", () => {
    const previousAirtime = { fac: 900, owner: 900, time: 900, obs: 900, coach1: 900, coach2: 0 };
    for (let seed = 0; seed < 30; seed++) {
      const run = apply(started(), { type: "drawSpeakingOrder", seed }, ctx("fac", T0, { previousAirtime }));
      expect(run.speakingOrder!.slice(-2)).not.toContain("coach2");
    }
  });

  it("draws a replayable order without a seed", () => {
    const a = apply(started(), { type: "drawSpeakingOrder" }, ctx("fac", T0 + 5));
    const b = apply(started(), { type: "drawSpeakingOrder" }, ctx("fac", T0 + 5));
    expect(a.speakingOrder).toEqual(b.speakingOrder);
  });
});

describe("applyIntent: commitment review", () => {
  it("lets only the commitment's owner mark it reviewed, with what they learned", () => {
    const run = apply(started(), { type: "markReviewed", commitmentId: "c1", status: "partly", learning: "Asking early helps." }, ctx("owner"));
    expect(run.reviewed).toEqual({ c1: { status: "partly", learning: "Asking early helps." } });
    expect(refusal(run, { type: "markReviewed", commitmentId: "c1", status: "done", learning: "" }, ctx("fac"))).toBe("forbidden");
    expect(refusal(run, { type: "markReviewed", commitmentId: "c2", status: "done", learning: "" }, ctx("owner"))).toBe("forbidden");
  });

  it("refuses commitments that are not up for review, including inherited object keys", () => {
    expect(refusal(started(), { type: "markReviewed", commitmentId: "nope", status: "done", learning: "" }, ctx("owner"))).toBe("invalid_state");
    expect(refusal(started(), { type: "markReviewed", commitmentId: "constructor", status: "done", learning: "" }, ctx("owner"))).toBe("invalid_state");
  });

  it("defaults the learning to empty and caps it at 280 characters", () => {
    expect(IntentSchema.parse({ type: "markReviewed", commitmentId: "c1", status: "done" })).toMatchObject({ learning: "" });
    expect(IntentSchema.safeParse({ type: "markReviewed", commitmentId: "c1", status: "done", learning: "x".repeat(281) }).success).toBe(false);
    expect(IntentSchema.safeParse({ type: "markReviewed", commitmentId: "c1", status: "maybe" }).success).toBe(false);
  });
});
