import { describe, expect, it } from "vitest";
import { FindSlotsInputSchema, computeOccurrences, evaluateSlot, findSlots } from "../../../../api/scheduling";
import { busy, circle, labels, member } from "./scheduling-fixtures";

const LONDON = "Europe/London";
const NEW_YORK = "America/New_York";

/** Every date of a weekly series from `first` (YYYY-MM-DD), `count` sessions. */
function weeklyDates(first: string, count: number): string[] {
  return computeOccurrences({ start: { date: first, time: "12:00", timeZone: "UTC" }, cadence: "weekly", sessionCount: count, sessionMinutes: 60 }).map((o) => o.date);
}

describe("findSlots ranking", () => {
  // Priya (London) is busy Mon–Thu 14:00–17:00 every week and on one Friday 14:00–15:00; Sam is in
  // New York. January: no daylight-saving change, so London 14:00–17:00 = New York 09:00–12:00.
  const weeks = weeklyDates("2026-01-05", 6);
  const priyaBusy = weeks.flatMap((monday) => {
    const d = new Date(`${monday}T00:00:00Z`);
    return [0, 1, 2, 3].map((k) => {
      const day = new Date(d.getTime() + k * 86_400_000).toISOString().slice(0, 10);
      return busy(`${day}T14:00`, `${day}T17:00`, LONDON);
    });
  });
  priyaBusy.push(busy("2026-01-23T14:00", "2026-01-23T15:00", LONDON));
  const input = circle([member("priya", LONDON, { busy: priyaBusy }), member("sam", NEW_YORK)]);

  it("returns the best 5: conflict-free slots in everyone's hours first, then conflict-free ones with the least out-of-hours burden", () => {
    const { slots, rotation } = findSlots(input);
    expect(labels(slots)).toEqual(["friday 15:00", "friday 16:00", "monday 13:00", "monday 17:00", "tuesday 13:00"]);
    expect(slots.map((s) => s.conflicts.length)).toEqual([0, 0, 0, 0, 0]);
    expect(slots.slice(0, 2).every((s) => s.outsideWorkingHours.length === 0)).toBe(true);
    // 13:00 London is 08:00 in New York: Sam starts an hour early; 17:00 is an hour after Priya's day.
    expect(slots[2]!.outsideWorkingHours).toEqual(["sam"]);
    expect(slots[2]!.perMember.find((v) => v.memberId === "sam")).toMatchObject({ localTime: "08:00", earlySessions: 6, outsideMinutesTotal: 360 });
    expect(slots[3]!.outsideWorkingHours).toEqual(["priya"]);
    expect(slots[3]!.perMember.find((v) => v.memberId === "priya")).toMatchObject({ lateSessions: 6, outsideMinutesTotal: 360 });
    // Someone's hours fit every member, so there is nothing to rotate.
    expect(rotation).toBeUndefined();
  });

  it("ranks a slot in everyone's hours with one conflict below conflict-free ones", () => {
    const friday14 = evaluateSlot(input, { weekday: "friday", localTime: "14:00" });
    expect(friday14.conflicts).toEqual([{ date: "2026-01-23", memberIds: ["priya"] }]);
    expect(friday14.outsideWorkingHours).toEqual([]);
    expect(labels(findSlots(input).slots)).not.toContain("friday 14:00");
  });

  it("never suggests two overlapping times on the same weekday", () => {
    const { slots } = findSlots({ ...input, options: { maxResults: 20 } });
    expect(slots).toHaveLength(20);
    for (const a of slots) {
      for (const b of slots) {
        if (a === b || a.weekday !== b.weekday) continue;
        const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
        expect(Math.abs(minutes(a.localTime) - minutes(b.localTime))).toBeGreaterThanOrEqual(60);
      }
    }
  });

  it("gives the first session's start with the circle zone's offset and every session date", () => {
    const [best] = findSlots(input).slots;
    expect(best!.start).toBe("2026-01-09T15:00:00+00:00");
    expect(best!.timeZone).toBe(LONDON);
    expect(best!.dates).toEqual(["2026-01-09", "2026-01-16", "2026-01-23", "2026-01-30", "2026-02-06", "2026-02-13"]);
  });
});

describe("findSlots conflicts", () => {
  it("scores every session of the series: a clash only on the 11th of 12 fortnightly sessions is found", () => {
    // Only 09:00 fits between earliest and latest, so each weekday is one candidate. Monday's 11th
    // session (25 May, British Summer Time) clashes for Priya; nothing else does.
    const input = circle([member("priya", LONDON, { busy: [busy("2026-05-25T09:30", "2026-05-25T09:45", LONDON)] }), member("megan", LONDON)], {
      cadence: "biweekly",
      sessionCount: 12,
      options: { earliest: "09:00", latest: "10:00" },
    });
    const { slots } = findSlots(input);
    expect(labels(slots)).toEqual(["tuesday 09:00", "wednesday 09:00", "thursday 09:00", "friday 09:00", "monday 09:00"]);
    const monday = slots[4]!;
    expect(monday.dates).toHaveLength(12);
    expect(monday.dates[10]).toBe("2026-05-25");
    expect(monday.conflicts).toEqual([{ date: "2026-05-25", memberIds: ["priya"] }]);
    expect(monday.score.conflicts).toBe(1);
  });

  it("lists which dates clash and for whom, grouped by date", () => {
    const input = circle(
      [
        member("priya", LONDON, { busy: [busy("2026-03-03T15:30", "2026-03-03T16:30", LONDON), busy("2026-03-17T14:00", "2026-03-17T15:01", LONDON)] }),
        member("megan", LONDON, { busy: [busy("2026-03-17T15:00", "2026-03-17T16:00", LONDON)] }),
        member("alex", LONDON, { busy: [busy("2026-03-24T16:00", "2026-03-24T17:00", LONDON)] }),
      ],
      { startOn: "2026-03-02", sessionCount: 4 },
    );
    const slot = evaluateSlot(input, { weekday: "tuesday", localTime: "15:00" });
    expect(slot.dates).toEqual(["2026-03-03", "2026-03-10", "2026-03-17", "2026-03-24"]);
    // Alex's 16:00 meeting only touches the session's end: no clash.
    expect(slot.conflicts).toEqual([
      { date: "2026-03-03", memberIds: ["priya"] },
      { date: "2026-03-17", memberIds: ["priya", "megan"] },
    ]);
    expect(slot.score.conflicts).toBe(3);
    expect(slot.explanation).toBe("Tue 15:00 London · within everyone's hours · 3 conflicts: Priya on 3 Mar and 17 Mar; Megan on 17 Mar");
  });

  it("counts out-of-office as a conflict, tentative as half of one, and working elsewhere as free", () => {
    const day = "2026-01-06";
    const input = circle(
      [
        member("priya", LONDON, { busy: [busy(`${day}T10:00`, `${day}T11:00`, LONDON, "oof")] }),
        member("megan", LONDON, { busy: [busy(`${day}T11:00`, `${day}T12:00`, LONDON, "tentative")] }),
        member("alex", LONDON, { busy: [busy(`${day}T12:00`, `${day}T13:00`, LONDON, "workingElsewhere")] }),
      ],
      { sessionCount: 1, startOn: "2026-01-06", options: { earliest: "10:00", latest: "13:00", stepMinutes: 30 } },
    );
    const at = (localTime: string) => evaluateSlot(input, { weekday: "tuesday", localTime });
    expect(at("10:00").conflicts).toEqual([{ date: day, memberIds: ["priya"] }]);
    expect(at("11:00").conflicts).toEqual([]);
    expect(at("11:00").tentativeConflicts).toEqual([{ date: day, memberIds: ["megan"] }]);
    expect(at("11:00").explanation).toBe("Tue 11:00 London · within everyone's hours · no conflicts · 1 tentative: Megan on 6 Jan");
    expect(at("12:00").conflicts).toEqual([]);
    expect(at("12:00").tentativeConflicts).toEqual([]);
    // Tuesday: 12:00 (free) first, then 11:00 (tentative) before 10:00 (out of office).
    const tuesday = findSlots({ ...input, options: { ...input.options, maxResults: 50 } }).slots.filter((s) => s.weekday === "tuesday");
    expect(labels(tuesday)).toEqual(["tuesday 12:00", "tuesday 11:00", "tuesday 10:00"]);
  });

  it("accepts getSchedule items in any order and overlapping each other", () => {
    const items = [busy("2026-01-13T10:30", "2026-01-13T11:30", LONDON), busy("2026-01-06T10:00", "2026-01-06T10:15", LONDON), busy("2026-01-13T10:00", "2026-01-13T11:00", LONDON)];
    const input = circle([{ ...member("priya", LONDON), busy: items }, member("megan", LONDON)], { sessionCount: 3 });
    expect(evaluateSlot(input, { weekday: "tuesday", localTime: "10:00" }).conflicts).toEqual([
      { date: "2026-01-06", memberIds: ["priya"] },
      { date: "2026-01-13", memberIds: ["priya"] },
    ]);
    expect(evaluateSlot(input, { weekday: "tuesday", localTime: "11:30" }).conflicts).toEqual([]);
  });
});

describe("findSlots input", () => {
  it("the request schema rejects unknown zones and bad times", () => {
    const ok = circle([member("priya", LONDON)]);
    expect(FindSlotsInputSchema.safeParse(ok).success).toBe(true);
    expect(FindSlotsInputSchema.safeParse({ ...ok, circleTimeZone: "Mars/Olympus" }).success).toBe(false);
    expect(FindSlotsInputSchema.safeParse({ ...ok, members: [{ ...ok.members[0]!, workingHours: { ...ok.members[0]!.workingHours, startTime: "9am" } }] }).success).toBe(false);
  });

  it("throws a RangeError for a malformed start date", () => {
    expect(() => findSlots(circle([member("priya", LONDON)], { startOn: "2026-02-30" }))).toThrow(RangeError);
  });
});
