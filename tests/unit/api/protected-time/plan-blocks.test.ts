import { describe, expect, it } from "vitest";
import {
  BLOCK_SUBJECTS,
  type BlockDiff,
  type ExistingBlock,
  PROTECTED_CATEGORY,
  type ProtectedBlock,
  type SeriesOccurrence,
  diffProtectedBlocks,
  planProtectedBlocks,
} from "../../../../api/protected-time/plan-blocks";

const NOW = "2026-03-01T00:00:00Z";

function weekly(count: number, firstStart = "2026-03-03T14:00:00Z", minutes = 60): SeriesOccurrence[] {
  const first = Date.parse(firstStart);
  return Array.from({ length: count }, (_, i) => {
    const start = first + i * 7 * 86_400_000;
    return { id: `occ-${i + 1}`, start: new Date(start).toISOString(), end: new Date(start + minutes * 60_000).toISOString(), status: "scheduled" as const };
  });
}

/** Applies a diff to a list of existing blocks the way the Graph calendar would. */
function apply(existing: ExistingBlock[], diff: BlockDiff): ExistingBlock[] {
  const gone = new Set(diff.delete.map((d) => d.eventId));
  let next = existing.filter((b) => !gone.has(b.eventId));
  next = next.map((b) => {
    const update = diff.update.find((u) => u.eventId === b.eventId);
    return update ? { ...b, ...update.changes } : b;
  });
  diff.create.forEach((b, i) => next.push(toExisting(b, `new-${existing.length + i}-${b.key}`)));
  return next;
}

function toExisting(b: ProtectedBlock, eventId: string): ExistingBlock {
  return { eventId, memberId: b.memberId, occurrenceId: b.occurrenceId, kind: b.kind, start: b.start, end: b.end, subject: b.subject, categories: b.categories, showAs: b.showAs };
}

describe("planning protected time", () => {
  it("blocks 15 minutes before and 10 after every session by default, busy and neutral", () => {
    const blocks = planProtectedBlocks({ occurrences: weekly(2), members: [{ memberId: "alex" }], now: NOW });
    expect(blocks.map((b) => [b.occurrenceId, b.kind, b.start, b.end])).toEqual([
      ["occ-1", "prep", "2026-03-03T13:45:00.000Z", "2026-03-03T14:00:00.000Z"],
      ["occ-1", "reflection", "2026-03-03T15:00:00.000Z", "2026-03-03T15:10:00.000Z"],
      ["occ-2", "prep", "2026-03-10T13:45:00.000Z", "2026-03-10T14:00:00.000Z"],
      ["occ-2", "reflection", "2026-03-10T15:00:00.000Z", "2026-03-10T15:10:00.000Z"],
    ]);
    for (const b of blocks) {
      expect(b).toMatchObject({ memberId: "alex", showAs: "busy", categories: [PROTECTED_CATEGORY], isReminderOn: false });
      expect(Object.values(BLOCK_SUBJECTS)).toContain(b.subject);
    }
  });

  it("honours each member's durations and opt-out", () => {
    const blocks = planProtectedBlocks({
      occurrences: weekly(1),
      members: [
        { memberId: "alex", prepMinutes: 30, reflectionMinutes: 0 },
        { memberId: "megan", optOut: true },
        { memberId: "priya", prepMinutes: 0, reflectionMinutes: 20 },
      ],
      now: NOW,
    });
    expect(blocks.map((b) => [b.memberId, b.kind, b.start, b.end])).toEqual([
      ["alex", "prep", "2026-03-03T13:30:00.000Z", "2026-03-03T14:00:00.000Z"],
      ["priya", "reflection", "2026-03-03T15:00:00.000Z", "2026-03-03T15:20:00.000Z"],
    ]);
  });

  it("gives skipped and cancelled sessions no blocks, and follows a moved one", () => {
    const [first, second, third] = weekly(3);
    const blocks = planProtectedBlocks({
      occurrences: [
        { ...first!, status: "cancelled" },
        { ...second!, start: "2026-03-11T09:00:00+01:00", end: "2026-03-11T10:00:00+01:00", status: "moved" },
        third!,
      ],
      members: [{ memberId: "alex" }],
      now: NOW,
    });
    expect(blocks.map((b) => [b.occurrenceId, b.kind, b.start])).toEqual([
      ["occ-2", "prep", "2026-03-11T07:45:00.000Z"],
      ["occ-2", "reflection", "2026-03-11T09:00:00.000Z"],
      ["occ-3", "prep", "2026-03-17T13:45:00.000Z"],
      ["occ-3", "reflection", "2026-03-17T15:00:00.000Z"],
    ]);
  });

  it("keeps prep 15 real minutes before a session just after clocks spring forward (Berlin, 29 March 2026)", () => {
    const blocks = planProtectedBlocks({
      occurrences: [{ id: "dst", start: "2026-03-29T03:05:00+02:00", end: "2026-03-29T04:05:00+02:00", status: "scheduled" }],
      members: [{ memberId: "alex" }],
      now: NOW,
    });
    // 03:05 CEST is 01:05 UTC; 15 minutes earlier is 00:50 UTC = 01:50 CET, before the jump.
    expect(blocks[0]).toMatchObject({ kind: "prep", start: "2026-03-29T00:50:00.000Z", end: "2026-03-29T01:05:00.000Z" });
  });

  it("never protects the same minutes twice when sessions are back to back", () => {
    const blocks = planProtectedBlocks({
      occurrences: [
        { id: "a", start: "2026-03-03T14:00:00Z", end: "2026-03-03T15:00:00Z", status: "scheduled" },
        { id: "b", start: "2026-03-03T15:20:00Z", end: "2026-03-03T16:00:00Z", status: "moved" },
        { id: "c", start: "2026-03-03T16:00:00Z", end: "2026-03-03T17:00:00Z", status: "scheduled" },
      ],
      members: [{ memberId: "alex" }],
      now: NOW,
    });
    expect(blocks.map((b) => [b.occurrenceId, b.kind, b.start.slice(11, 16), b.end.slice(11, 16)])).toEqual([
      ["a", "prep", "13:45", "14:00"],
      ["a", "reflection", "15:00", "15:10"],
      ["b", "prep", "15:10", "15:20"],
      ["c", "reflection", "17:00", "17:10"],
    ]);
  });

  it("plans nothing that would already be over", () => {
    const blocks = planProtectedBlocks({ occurrences: weekly(2), members: [{ memberId: "alex" }], now: "2026-03-03T15:05:00Z" });
    expect(blocks.map((b) => [b.occurrenceId, b.kind])).toEqual([
      ["occ-1", "reflection"],
      ["occ-2", "prep"],
      ["occ-2", "reflection"],
    ]);
  });

  it("refuses malformed occurrences and settings", () => {
    expect(() => planProtectedBlocks({ occurrences: [{ id: "x", start: "tomorrow", end: "2026-03-03T15:00:00Z", status: "scheduled" }], members: [], now: NOW })).toThrow();
    expect(() => planProtectedBlocks({ occurrences: weekly(1), members: [{ memberId: "alex", prepMinutes: -5 }], now: NOW })).toThrow();
  });
});

describe("keeping blocks in line with the series", () => {
  const members = [{ memberId: "alex" }, { memberId: "megan" }];

  it("creates every block on first sync, then has nothing to do", () => {
    const desired = planProtectedBlocks({ occurrences: weekly(3), members, now: NOW });
    const diff = diffProtectedBlocks([], desired, NOW);
    expect(diff.create).toHaveLength(12);
    expect(diff.update).toEqual([]);
    expect(diff.delete).toEqual([]);
    const calendar = apply([], diff);
    expect(diffProtectedBlocks(calendar, desired, NOW)).toEqual({ create: [], update: [], delete: [] });
  });

  it("moves a moved session's blocks in place and removes a skipped session's blocks", () => {
    const before = weekly(3);
    let calendar = apply([], diffProtectedBlocks([], planProtectedBlocks({ occurrences: before, members, now: NOW }), NOW));
    const after: SeriesOccurrence[] = [
      { ...before[0]!, status: "cancelled" },
      { ...before[1]!, start: "2026-03-12T14:00:00Z", end: "2026-03-12T15:00:00Z", status: "moved" },
      before[2]!,
    ];
    const desired = planProtectedBlocks({ occurrences: after, members, now: NOW });
    const diff = diffProtectedBlocks(calendar, desired, NOW);
    expect(diff.create).toEqual([]);
    expect(diff.delete).toHaveLength(4);
    expect(diff.delete.every((d) => d.reason === "noLongerPlanned")).toBe(true);
    expect(diff.update).toHaveLength(4);
    expect(diff.update.find((u) => u.block.key === "alex|occ-2|prep")!.changes).toEqual({ start: "2026-03-12T13:45:00.000Z", end: "2026-03-12T14:00:00.000Z" });
    const movedIds = new Set(diff.update.map((u) => u.eventId));
    calendar = apply(calendar, diff);
    // The same events were moved, not recreated.
    expect(calendar.filter((b) => b.occurrenceId === "occ-2").every((b) => movedIds.has(b.eventId))).toBe(true);
    expect(diffProtectedBlocks(calendar, desired, NOW)).toEqual({ create: [], update: [], delete: [] });
  });

  it("removes all of a member's future blocks when they opt out or leave, and keeps the past ones", () => {
    const occurrences = weekly(3);
    const calendar = apply([], diffProtectedBlocks([], planProtectedBlocks({ occurrences, members, now: NOW }), NOW));
    const later = "2026-03-05T00:00:00Z"; // after the first session
    const desired = planProtectedBlocks({ occurrences, members: [{ memberId: "alex" }, { memberId: "megan", optOut: true }], now: later });
    const diff = diffProtectedBlocks(calendar, desired, later);
    expect(diff.delete.map((d) => d.memberId)).toEqual(["megan", "megan", "megan", "megan"]);
    const deleted = new Set(diff.delete.map((d) => d.eventId));
    const megansPast = calendar.filter((b) => b.memberId === "megan" && b.occurrenceId === "occ-1");
    expect(megansPast).toHaveLength(2);
    for (const b of megansPast) expect(deleted.has(b.eventId)).toBe(false);
    expect(diff.create).toEqual([]);
    expect(diff.update).toEqual([]);
  });

  it("deletes a duplicate left by a retried create, keeping the copy that matches", () => {
    const desired = planProtectedBlocks({ occurrences: weekly(1), members: [{ memberId: "alex" }], now: NOW });
    const prep = desired.find((b) => b.kind === "prep")!;
    const existing = [
      toExisting(prep, "b-second"),
      { ...toExisting(prep, "a-first"), start: "2026-03-03T13:00:00Z" },
      toExisting(desired.find((b) => b.kind === "reflection")!, "c-reflection"),
    ];
    const diff = diffProtectedBlocks(existing, desired, NOW);
    expect(diff).toEqual({ create: [], update: [], delete: [{ eventId: "a-first", memberId: "alex", reason: "duplicate" }] });
  });

  it("compares times as instants and puts back the category and busy status if they were changed", () => {
    const desired = planProtectedBlocks({ occurrences: weekly(1), members: [{ memberId: "alex" }], now: NOW });
    const prep = desired.find((b) => b.kind === "prep")!;
    const existing: ExistingBlock[] = [
      { ...toExisting(prep, "p"), start: "2026-03-03T14:45:00+01:00", end: "2026-03-03T09:00:00-05:00", showAs: "free", categories: ["Blue"] },
    ];
    const diff = diffProtectedBlocks(existing, desired.filter((b) => b.kind === "prep"), NOW);
    expect(diff.update).toEqual([{ eventId: "p", block: prep, changes: { showAs: "busy", categories: ["Blue", PROTECTED_CATEGORY] } }]);
  });
});
