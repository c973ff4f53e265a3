import { describe, expect, it } from "vitest";
import { type Cadence, type SlotSuggestion, evaluateSlot, findSlots } from "../../../../api/scheduling";
import { syntheticCircle } from "../../../../bench/synthetic-circles";

/**
 * The search ranks from a precomputed table (grid arithmetic, one measurement per date geometry);
 * this checks it against the slow path — every candidate analysed on its own, session by session
 * — on busy, four-zone circles that cross daylight-saving changes.
 */
const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"] as const;

function bruteForceBest(input: ReturnType<typeof syntheticCircle>, maxResults: number): SlotSuggestion[] {
  const all: Array<{ slot: SlotSuggestion; order: number }> = [];
  let order = 0;
  for (const weekday of WEEKDAYS) {
    for (let minute = 0; minute + input.sessionMinutes <= 24 * 60; minute += 15) {
      const localTime = `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
      all.push({ slot: evaluateSlot(input, { weekday, localTime }), order: order++ });
    }
  }
  const key = ({ score }: SlotSuggestion) => [2 * score.conflicts + score.tentativeConflicts, score.membersOutsideHours, score.outsideMinutesTotal, score.maxMemberBurden, score.burdenTotal];
  all.sort((a, b) => {
    const ka = key(a.slot);
    const kb = key(b.slot);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
    return a.order - b.order;
  });
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  const chosen: SlotSuggestion[] = [];
  for (const { slot } of all) {
    if (chosen.length === maxResults) break;
    if (chosen.some((c) => c.weekday === slot.weekday && Math.abs(minutes(c.localTime) - minutes(slot.localTime)) < input.sessionMinutes)) continue;
    chosen.push(slot);
  }
  return chosen;
}

describe("ranking agrees with a slot-by-slot analysis", () => {
  const cases: Array<[index: number, cadence: Cadence]> = [
    [8, "biweekly"], // from early March: crosses the US (8 Mar) and UK (29 Mar) changes
    [41, "weekly"], // from mid October: crosses the UK (25 Oct) and US (1 Nov) changes
    [3, "every4weeks"],
    [17, "monthly"],
  ];
  it.each(cases)("synthetic circle %i, %s", (index, cadence) => {
    // The whole day, so night starts and sessions near midnight are compared too.
    const input = { ...syntheticCircle(index, { sessionCount: 8, itemsPerWeek: 15 }), cadence, options: { earliest: "00:00", latest: "24:00" } };
    const fast = findSlots(input).slots;
    const slow = bruteForceBest(input, 5);
    expect(fast.map((s) => `${s.weekday} ${s.localTime}`)).toEqual(slow.map((s) => `${s.weekday} ${s.localTime}`));
    expect(fast.map((s) => s.score)).toEqual(slow.map((s) => s.score));
    expect(fast.map((s) => s.conflicts)).toEqual(slow.map((s) => s.conflicts));
  });
});
