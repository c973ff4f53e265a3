import { describe, expect, it } from "vitest";
import { evaluateSlot, findSlots } from "../../../../api/scheduling";
import { busy, circle, member } from "./scheduling-fixtures";

const LONDON = "Europe/London";
const LOS_ANGELES = "America/Los_Angeles";
const KOLKATA = "Asia/Kolkata";
const SYDNEY = "Australia/Sydney";

describe("explanations", () => {
  it('reads like "Tue 15:00 London · within everyone\'s hours · 1 conflict: Priya on 3 Mar"', () => {
    const input = circle([member("priya", LONDON, { busy: [busy("2026-03-03T14:30", "2026-03-03T15:30", LONDON)] }), member("megan", LONDON, { displayName: "Megan Bowen" })], {
      startOn: "2026-03-02",
      sessionCount: 6,
    });
    const slot = evaluateSlot(input, { weekday: "tuesday", localTime: "15:00" });
    expect(slot.explanation).toBe("Tue 15:00 London · within everyone's hours · 1 conflict: Priya on 3 Mar");
  });

  it("names zones the way people say them", () => {
    const input = circle([member("lee", LOS_ANGELES)], { circleTimeZone: LOS_ANGELES, startOn: "2026-06-01", sessionCount: 2 });
    expect(evaluateSlot(input, { weekday: "monday", localTime: "10:00" }).explanation).toBe("Mon 10:00 Los Angeles · within everyone's hours · no conflicts");
  });
});

describe("rotation when no slot fits everyone's hours", () => {
  // Los Angeles, Kolkata and Sydney, 09:00–17:00 each: Los Angeles and Kolkata never overlap.
  const trio = [member("lee", LOS_ANGELES), member("ravi", KOLKATA), member("noor", SYDNEY)];
  const input = circle(trio, { circleTimeZone: SYDNEY, cadence: "biweekly", sessionCount: 12, startOn: "2026-05-04" });

  it("proposes alternating slots so that no one carries every out-of-hours session", () => {
    const { slots, rotation } = findSlots(input);
    // Every single slot leaves someone outside their hours in all 12 sessions.
    expect(slots.every((s) => s.outsideWorkingHours.length > 0)).toBe(true);
    expect(Math.max(...slots[0]!.perMember.map((v) => v.outsideSessions))).toBe(12);

    expect(rotation).toBeDefined();
    const r = rotation!;
    expect(r.slots).toHaveLength(2);
    // Session n uses slot n % 2: the two slots split the 12 sessions.
    expect(r.slots.map((s) => s.occurrences)).toEqual([6, 6]);
    const all = [...r.slots[0]!.dates, ...r.slots[1]!.dates].sort();
    expect(new Set(all).size).toBe(12);
    expect(r.slots[0]!.dates[0]! < r.slots[1]!.dates[0]!).toBe(true);

    const burden = Object.fromEntries(r.burdenByMember.map((b) => [b.memberId, b]));
    expect(burden.lee).toMatchObject({ outsideSessions: 6, lateSessions: 6 });
    expect(burden.ravi).toMatchObject({ outsideSessions: 6, earlySessions: 6 });
    expect(burden.noor).toMatchObject({ outsideSessions: 0 });
    expect(r.conflicts).toBe(0);
    expect(r.explanation).toMatch(/^Alternating (Mon|Tue|Wed|Thu|Fri) \d\d:\d\d and (Mon|Tue|Wed|Thu|Fri) \d\d:\d\d Sydney: Lee carries 6 late sessions, Ravi 6 early ones$/);
    // Each slot of the rotation is kind to a different pair of members.
    expect(r.slots.map((s) => s.outsideWorkingHours).sort()).toEqual([["lee"], ["ravi"]]);
  });

  it("shares the burden three ways when everyone is outside in one slot or another (London circle)", () => {
    const { rotation } = findSlots({ ...input, circleTimeZone: LONDON });
    expect(rotation).toBeDefined();
    const most = Math.max(...rotation!.burdenByMember.map((b) => b.outsideSessions));
    expect(most).toBeLessThanOrEqual(6);
    expect(rotation!.explanation).toContain("London: ");
  });

  it("proposes no rotation when a slot fits everyone", () => {
    // Lee works 08:00–16:00 Los Angeles = 16:00–24:00 London: 16:00 London fits both.
    const { slots, rotation } = findSlots(circle([member("priya", LONDON), member("lee", LOS_ANGELES, { hours: ["08:00", "16:00"] })]));
    expect(slots[0]!.localTime).toBe("16:00");
    expect(slots[0]!.outsideWorkingHours).toEqual([]);
    expect(rotation).toBeUndefined();
  });

  it("looks past the circle's usual day for the far side's slot, but suggests single slots only within it", () => {
    // Kolkata circle: Los Angeles hours (21:30–05:30 Kolkata) lie outside 07:00–21:00 Kolkata.
    const { slots, rotation } = findSlots({ ...input, circleTimeZone: KOLKATA });
    for (const s of slots) expect(s.localTime >= "07:00" && s.localTime <= "20:00").toBe(true);
    expect(slots[0]!.explanation).toMatch(/^Tue 09:00 Kolkata · outside hours: Lee late in 12 of 12 · no conflicts/);
    expect(rotation).toBeDefined();
    expect(rotation!.explanation).toBe("Alternating Tue 04:30 and Tue 09:00 Kolkata: Lee carries 6 late sessions, Ravi 6 early ones");
  });

  it("proposes no rotation when alternating cannot spare anyone (the caller fixed the day, and Lee is outside at every start)", () => {
    const { slots, rotation } = findSlots({ ...input, circleTimeZone: KOLKATA, options: { earliest: "07:00", latest: "21:00" } });
    expect(rotation).toBeUndefined();
    expect(slots[0]!.outsideWorkingHours).toEqual(["lee"]);
  });

  it("prefers a rotation without conflicts", () => {
    // Busy for Ravi on every date of the Tuesday series at the Sydney-morning slot.
    const { rotation } = findSlots(input);
    const slotKindToLee = rotation!.slots.find((s) => s.outsideWorkingHours.includes("ravi"))!;
    const raviBusy = slotKindToLee.dates.map((date) => {
      const start = new Date(slotKindToLee.start).getTime() + (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${slotKindToLee.dates[0]}T00:00:00Z`));
      return { start, end: start + 3_600_000, status: "busy" as const };
    });
    const busier = { ...input, members: [trio[0]!, { ...trio[1]!, busy: raviBusy }, trio[2]!] };
    const again = findSlots(busier).rotation;
    expect(again).toBeDefined();
    expect(again!.conflicts).toBe(0);
  });
});
