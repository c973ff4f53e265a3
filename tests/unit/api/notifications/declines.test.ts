import { describe, expect, it } from "vitest";
import { declinedSlots, declineIndex, isDeclinedByMost, slotKey } from "../../../../api/notifications/decline-rules";
import { declineNudgeText } from "../../../../api/notifications/decline-texts";
import { resolveSession } from "../../../../api/team/session-outcomes";

const HOUR = 3_600_000;
const t0 = Date.parse("2030-03-05T15:00:00Z");
const slots = [t0, t0 + 14 * 24 * HOUR, t0 + 28 * 24 * HOUR];

describe("declinedSlots", () => {
  it("finds the slots the member's copy no longer has, cancelled ones being there", () => {
    const present = new Set([slotKey(slots[0]!), slotKey(slots[2]!)]);
    expect(declinedSlots({ slots, durationMs: HOUR, present, nowMs: t0 - HOUR })).toEqual([slotKey(slots[1]!)]);
  });

  it("leaves sessions that are over alone, and finds nothing when every slot is there", () => {
    expect(declinedSlots({ slots, durationMs: HOUR, present: new Set([slotKey(slots[1]!), slotKey(slots[2]!)]), nowMs: t0 + 2 * HOUR })).toEqual([]);
    expect(declinedSlots({ slots, durationMs: HOUR, present: new Set(slots.map(slotKey)), nowMs: t0 - HOUR })).toEqual([]);
  });
});

describe("isDeclinedByMost", () => {
  it("needs more than half", () => {
    expect(isDeclinedByMost(2, 4)).toBe(false);
    expect(isDeclinedByMost(3, 4)).toBe(true);
    expect(isDeclinedByMost(3, 5)).toBe(true);
    expect(isDeclinedByMost(2, 5)).toBe(false);
    expect(isDeclinedByMost(1, 2)).toBe(false);
    expect(isDeclinedByMost(0, 0)).toBe(false);
  });
});

describe("declineIndex", () => {
  const moved = new Date(slots[1]! + 2 * HOUR).toISOString();
  const index = declineIndex([
    { circle_id: "c", user_id: "a", occurrence_key: slotKey(slots[0]!), scope: "occurrence", session_start_at: slotKey(slots[0]!) },
    // Declined after the organiser moved it two hours later: matched by slot or by its start.
    { circle_id: "c", user_id: "b", occurrence_key: slotKey(slots[1]!), scope: "occurrence", session_start_at: moved },
    { circle_id: "c", user_id: "s", occurrence_key: "series", scope: "series", session_start_at: new Date(slots[1]! - HOUR).toISOString() },
  ]);

  it("matches occurrence declines by slot or start, and a series decline from when it was made", () => {
    expect([...index.declinedBy("c", slotKey(slots[0]!))]).toEqual(["a"]);
    expect([...index.declinedBy("c", moved)].sort()).toEqual(["b", "s"]);
    expect([...index.declinedBy("c", slotKey(slots[1]!))].sort()).toEqual(["b", "s"]);
    expect([...index.declinedBy("c", slotKey(slots[2]!))]).toEqual(["s"]);
    expect(index.hasDeclined("other", "a", slotKey(slots[0]!))).toBe(false);
  });
});

describe("resolveSession with declines", () => {
  const past = { start: "2030-01-01T10:00:00Z", end: "2030-01-01T11:00:00Z", cancelled: false };
  const now = Date.parse("2030-02-01T00:00:00Z");
  it("calls a session not held that most declined 'declinedByMost'; held and skipped win", () => {
    expect(resolveSession(past, undefined, false, now, true).outcome).toBe("declinedByMost");
    expect(resolveSession(past, { held: false, present: new Set() }, false, now, true).outcome).toBe("declinedByMost");
    expect(resolveSession(past, { held: true, present: new Set(["x", "y"]) }, false, now, true).outcome).toBe("held");
    expect(resolveSession(past, undefined, true, now, true).outcome).toBe("held");
    expect(resolveSession({ ...past, cancelled: true }, undefined, false, now, true).outcome).toBe("skipped");
    expect(resolveSession(past, undefined, false, now).outcome).toBe("notHeld");
  });
});

describe("declineNudgeText", () => {
  it("asks gently, with the circle and when, in the member's zone", () => {
    const text = declineNudgeText({ circleName: "Leaders", scope: "occurrence", sessionStarts: ["2030-03-06T15:00:00Z"], now: "2030-03-05T09:00:00Z", zone: "Europe/Berlin" });
    expect(text.previewText).toBe("You declined Leaders tomorrow at 16:00. Your circle meets without you: tell them?");
    expect(text.templateParameters).toMatchObject({ circleName: "Leaders" });
    expect(declineNudgeText({ circleName: "Leaders", scope: "series", sessionStarts: [], now: "2030-03-05T09:00:00Z", zone: "UTC" }).previewText).toBe("You declined the Leaders sessions. Your circle meets without you: tell them?");
    expect(declineNudgeText({ circleName: "Leaders", scope: "occurrence", sessionStarts: ["2030-03-06T15:00:00Z", "2030-03-20T15:00:00Z"], now: "2030-03-05T09:00:00Z", zone: "UTC" }).previewText).toBe("You declined 2 Leaders sessions. Your circle meets without you: tell them?");
  });
});
