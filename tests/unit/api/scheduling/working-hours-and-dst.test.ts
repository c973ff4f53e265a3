import { describe, expect, it } from "vitest";
import { computeOccurrences, evaluateSlot, findSlots } from "../../../../api/scheduling";
import { at, circle, member } from "./scheduling-fixtures";

const LONDON = "Europe/London";
const KOLKATA = "Asia/Kolkata";
const LOS_ANGELES = "America/Los_Angeles";
const SYDNEY = "Australia/Sydney";

const view = (slot: ReturnType<typeof evaluateSlot>, id: string) => slot.perMember.find((v) => v.memberId === id)!;

describe("outside working hours, per member in their own zone", () => {
  // January: London is UTC+00:00, Kolkata UTC+05:30 all year.
  const input = circle([member("priya", LONDON), member("ravi", KOLKATA, { hours: ["09:00", "18:00"] })], { sessionCount: 4 });

  it("sees India's half-hour offset: 11:30 London is 17:00–18:00 in Kolkata, inside Ravi's day", () => {
    const slot = evaluateSlot(input, { weekday: "tuesday", localTime: "11:30" });
    expect(view(slot, "ravi")).toMatchObject({ localTime: "17:00", outsideMinutesTotal: 0, outsideSessions: 0 });
    expect(slot.outsideWorkingHours).toEqual([]);
    expect(slot.explanation).toBe("Tue 11:30 London · within everyone's hours · no conflicts");
  });

  it("counts the last half hour of 12:00 London (17:30–18:30 Kolkata) as late for Ravi", () => {
    const slot = evaluateSlot(input, { weekday: "tuesday", localTime: "12:00" });
    expect(view(slot, "ravi")).toMatchObject({ localTime: "17:30", outsideMinutesTotal: 120, outsideSessions: 4, lateSessions: 4, earlySessions: 0 });
    expect(view(slot, "priya").outsideMinutesTotal).toBe(0);
    expect(slot.outsideWorkingHours).toEqual(["ravi"]);
    expect(slot.explanation).toBe("Tue 12:00 London · outside hours: Ravi late in 4 of 4 · no conflicts");
  });

  it("03:30 London is 09:00 in Kolkata: fine for Ravi, early for Priya", () => {
    const slot = evaluateSlot(input, { weekday: "tuesday", localTime: "03:30" });
    expect(view(slot, "ravi")).toMatchObject({ localTime: "09:00", outsideMinutesTotal: 0 });
    expect(view(slot, "priya")).toMatchObject({ localTime: "03:30", earlySessions: 4, outsideMinutesTotal: 240 });
  });

  it("uses the working-hours zone and days: Friday 17:00 London is Saturday 04:00 in Sydney, a day off", () => {
    const slot = evaluateSlot(circle([member("priya", LONDON), member("noor", SYDNEY, { hours: ["07:00", "15:00"] })], { sessionCount: 2 }), {
      weekday: "friday",
      localTime: "17:00",
    });
    expect(view(slot, "noor")).toMatchObject({ localTime: "04:00", dayOffSessions: 2, earlySessions: 0, lateSessions: 0 });
    expect(slot.explanation).toContain("Noor on a day off in 2 of 2");
  });

  it("handles working hours past midnight (a 22:00–06:00 night shift)", () => {
    const slot = evaluateSlot(circle([member("priya", LONDON), member("kai", LONDON, { hours: ["22:00", "06:00"] })], { sessionCount: 2 }), {
      weekday: "tuesday",
      localTime: "05:30",
    });
    // 05:30–06:30: the first half hour is the end of Monday night's shift.
    expect(view(slot, "kai")).toMatchObject({ outsideMinutesTotal: 60, lateSessions: 2 });
  });

  it("weighs a session far outside someone's hours as a heavier burden than one just outside", () => {
    const near = evaluateSlot(input, { weekday: "tuesday", localTime: "12:30" }); // Ravi 18:00–19:00
    const far = evaluateSlot(input, { weekday: "tuesday", localTime: "16:00" }); // Ravi 21:30–22:30
    expect(view(near, "ravi").outsideMinutesTotal).toBe(view(far, "ravi").outsideMinutesTotal);
    expect(view(far, "ravi").burdenMinutes).toBeGreaterThan(view(near, "ravi").burdenMinutes);
    expect(far.score.maxMemberBurden).toBeGreaterThan(near.score.maxMemberBurden);
    // Among Tuesday's evening starts, the search prefers the one nearest Ravi's day.
    const evening = findSlots({ ...input, options: { earliest: "12:30", latest: "17:30", maxResults: 50 } }).slots.filter((s) => s.weekday === "tuesday");
    expect(evening[0]!.localTime).toBe("12:30");
  });
});

describe("daylight saving: a session never moves in the circle's zone", () => {
  it("computeOccurrences keeps 15:00 London across the March change while the UTC instant moves", () => {
    const sessions = computeOccurrences({ start: { date: "2026-03-24", time: "15:00", timeZone: LONDON }, cadence: "weekly", sessionCount: 2, sessionMinutes: 60 });
    expect(sessions.map((s) => s.startIso)).toEqual(["2026-03-24T15:00:00+00:00", "2026-03-31T15:00:00+01:00"]);
    expect(sessions.map((s) => s.start)).toEqual([at("2026-03-24T15:00", LONDON), at("2026-03-31T15:00", LONDON)]);
    expect(sessions[1]!.start - sessions[0]!.start).toBe(7 * 86_400_000 - 3_600_000);
  });

  // US clocks change on 8 Mar and 1 Nov 2026, UK clocks on 29 Mar and 25 Oct: for those weeks
  // Los Angeles is 7 hours behind London instead of 8.
  it("tells a Los Angeles member that Tue 15:00 London moves from 07:00 to 08:00 for the March gap weeks", () => {
    const input = circle([member("priya", LONDON), member("lee", LOS_ANGELES, { hours: ["08:00", "16:00"] })], { startOn: "2026-03-02", sessionCount: 6 });
    const slot = evaluateSlot(input, { weekday: "tuesday", localTime: "15:00" });
    expect(slot.dates).toEqual(["2026-03-03", "2026-03-10", "2026-03-17", "2026-03-24", "2026-03-31", "2026-04-07"]);
    expect(view(slot, "lee")).toMatchObject({
      localTime: "07:00",
      localTimeShifts: true,
      localTimeChanges: [
        { after: "2026-03-08", localTime: "08:00" },
        { after: "2026-03-29", localTime: "07:00" },
      ],
      // 07:00 is before Lee's 08:00 start except in the three gap weeks.
      outsideSessions: 3,
      earlySessions: 3,
      outsideMinutesTotal: 180,
    });
    expect(view(slot, "priya")).toMatchObject({ localTime: "15:00", localTimeShifts: false, localTimeChanges: [] });
    expect(slot.explanation).toBe("Tue 15:00 London · outside hours: Lee early in 3 of 6 · no conflicts · Lee sees 07:00 → 08:00 after 8 Mar, then 07:00 after 29 Mar");
    // The series itself stays at 15:00 London: GMT, then BST from 31 Mar.
    expect(slot.start).toBe("2026-03-03T15:00:00+00:00");
  });

  it("does the same for the October gap week", () => {
    const input = circle([member("priya", LONDON), member("lee", LOS_ANGELES)], { startOn: "2026-10-19", sessionCount: 3 });
    const slot = evaluateSlot(input, { weekday: "tuesday", localTime: "15:00" });
    expect(slot.dates).toEqual(["2026-10-20", "2026-10-27", "2026-11-03"]);
    expect(slot.start).toBe("2026-10-20T15:00:00+01:00");
    expect(view(slot, "lee").localTimeChanges).toEqual([
      { after: "2026-10-25", localTime: "08:00" },
      { after: "2026-11-01", localTime: "07:00" },
    ]);
    expect(slot.explanation).toContain("Lee sees 07:00 → 08:00 after 25 Oct, then 07:00 after 1 Nov");
  });

  it("maps busy time to the right session across the change (a clash in British Summer Time)", () => {
    // Lee is busy 08:00–09:00 Los Angeles on 31 Mar = 16:00–17:00 London (BST): clashes with 16:00, not 15:00.
    const leeBusy = [{ start: at("2026-03-31T08:00", LOS_ANGELES), end: at("2026-03-31T09:00", LOS_ANGELES), status: "busy" as const }];
    const input = circle([member("priya", LONDON), member("lee", LOS_ANGELES, { busy: leeBusy })], { startOn: "2026-03-02", sessionCount: 6 });
    expect(evaluateSlot(input, { weekday: "tuesday", localTime: "16:00" }).conflicts).toEqual([{ date: "2026-03-31", memberIds: ["lee"] }]);
    expect(evaluateSlot(input, { weekday: "tuesday", localTime: "15:00" }).conflicts).toEqual([]);
    const best = findSlots(input).slots;
    const tuesday16 = best.find((s) => s.weekday === "tuesday" && s.localTime === "16:00");
    if (tuesday16) expect(tuesday16.conflicts).toHaveLength(1);
  });

  it("the table used for ranking agrees with the per-slot analysis across DST weeks", () => {
    const input = circle([member("priya", LONDON), member("lee", LOS_ANGELES, { hours: ["08:00", "16:00"] }), member("ravi", KOLKATA)], {
      startOn: "2026-03-02",
      sessionCount: 10,
      options: { maxResults: 50 },
    });
    for (const slot of findSlots(input).slots) {
      const again = evaluateSlot(input, { weekday: slot.weekday, localTime: slot.localTime });
      expect(again.score).toEqual(slot.score);
    }
  });
});
