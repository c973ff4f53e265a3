import { describe, expect, it } from "vitest";
import { buildParticipantActivity, type ActivitySources } from "../../../../api/team/participant-activity";
import { resolveSession, type SessionOutcomes } from "../../../../api/team/session-outcomes";

// Two weekly sessions of one circle; "ann" is counted as participant "p-ann".
const s1 = { start: "2026-06-01T09:00:00.000Z", end: "2026-06-01T10:00:00.000Z", cancelled: false };
const s2 = { start: "2026-06-08T09:00:00.000Z", end: "2026-06-08T10:00:00.000Z", cancelled: false };
const NOW = Date.parse("2026-06-20T00:00:00Z");
const membership = { participantId: "p-ann", circle_id: "c", user_id: "ann", joined_at: "2026-05-01T00:00:00Z", left_at: null };

/** Session 1 held in Teams with Ann and Bob there; session 2 run in the app. */
const outcomes: SessionOutcomes = {
  at: (_circle, o) => (o.start === s1.start ? resolveSession(o, { held: true, present: new Set(["ann", "bob"]) }, false, NOW) : resolveSession(o, undefined, true, NOW)),
  attendanceOf: (resolved, userId) => (resolved.present ? (resolved.present.has(userId) ? "attended" : "absent") : "unknown"),
};

function sources(overrides: Partial<ActivitySources> = {}): ActivitySources {
  return {
    participantIds: ["p-ann"],
    memberships: [membership],
    sessions: [{ circleId: "c", timeZone: "UTC", occurrences: [s1, s2], source: "calendar" }],
    outcomes,
    declines: { hasDeclined: () => false },
    settings: [],
    blocks: [],
    overrides: [],
    reviews: [],
    ...overrides,
  };
}

describe("participant activity", () => {
  it("plans default prep and reflection around each session when none are recorded", () => {
    const [ann] = buildParticipantActivity(sources()).reports;
    expect(ann!.sessions.map((s) => [s.outcome, s.attendance])).toEqual([
      ["held", "attended"],
      ["held", "unknown"],
    ]);
    expect(ann!.blocks.map((b) => [b.kind, b.start, b.end])).toEqual([
      ["prep", "2026-06-01T08:45:00.000Z", "2026-06-01T09:00:00.000Z"],
      ["reflection", "2026-06-01T10:00:00.000Z", "2026-06-01T10:10:00.000Z"],
      ["prep", "2026-06-08T08:45:00.000Z", "2026-06-08T09:00:00.000Z"],
      ["reflection", "2026-06-08T10:00:00.000Z", "2026-06-08T10:10:00.000Z"],
    ]);
  });

  it("marks a declined session as declined and plans no blocks around it, unless Teams saw them there", () => {
    const [ann] = buildParticipantActivity(sources({ declines: { hasDeclined: () => true } })).reports;
    expect(ann!.sessions.map((s) => s.attendance)).toEqual(["attended", "declined"]);
    expect(ann!.blocks).toEqual([]);
  });

  it("keeps an overridden block that a later sync no longer has, where it was", () => {
    const override = { circle_id: "c", user_id: "ann", occurrence_key: s1.start, kind: "prep", block_start_at: "2026-06-01T08:45:00.000Z", block_end_at: s1.start };
    const [ann] = buildParticipantActivity(sources({ overrides: [override] })).reports;
    expect(ann!.blocks).toEqual([{ kind: "prep", start: "2026-06-01T08:45:00.000Z", end: s1.start, overridden: true }]);
  });

  it("counts only what happened while the person was a member, and gives the circle's cadence", () => {
    const activity = buildParticipantActivity(sources({ memberships: [{ ...membership, left_at: "2026-06-05T00:00:00Z" }] }));
    expect(activity.reports[0]!.sessions.map((s) => s.start)).toEqual([s1.start]);
    expect(activity.reports[0]!.circleIds).toEqual([]);
    expect(activity.circles).toEqual([{ circleId: "c", sessions: [{ start: s1.start, outcome: "held" }, { start: s2.start, outcome: "held" }] }]);
  });
});
