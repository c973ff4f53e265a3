import { describe, expect, it } from "vitest";
import { attendanceByOccurrence, membersInRecords, occurrenceOfReport } from "../../../../api/attendance";
import { resolveSession } from "../../../../api/team/session-outcomes";

const members = [
  { userId: "A-1", upn: "ana@contoso.example" },
  { userId: "b-2", upn: "ben@contoso.example" },
  { userId: "c-3", upn: "cai@contoso.example" },
];
const slots = [
  { start: "2026-03-02T10:00:00.000Z", end: "2026-03-02T11:00:00.000Z" },
  { start: "2026-03-09T10:00:00.000Z", end: "2026-03-09T11:00:00.000Z" },
  { start: "2026-03-16T10:00:00.000Z", end: "2026-03-16T11:00:00.000Z", cancelled: true },
];

describe("members in attendance records", () => {
  it("matches by object id (any case), else by e-mail, drops guests and adds up duplicates", () => {
    const found = membersInRecords(
      [
        { identity: { id: "a-1", displayName: "Ana" }, emailAddress: "x@elsewhere.example", totalAttendanceInSeconds: 600 },
        { identity: { id: null }, emailAddress: "BEN@contoso.example", attendanceIntervals: [{ durationInSeconds: 100 }, { durationInSeconds: 50 }] },
        { identity: { id: "a-1" }, totalAttendanceInSeconds: 60 },
        { identity: { id: "guest" }, emailAddress: "guest@partner.example", totalAttendanceInSeconds: 3600 },
      ],
      members,
    );
    expect(found).toEqual([
      { userId: "A-1", seconds: 660 },
      { userId: "b-2", seconds: 150 },
    ]);
  });
});

describe("which session a report belongs to", () => {
  it("is the slot it overlaps (an hour's margin), nearest start first; cancelled slots and stray uses take none", () => {
    expect(occurrenceOfReport({ start: "2026-03-02T09:40:00Z", end: "2026-03-02T10:50:00Z" }, slots)?.start).toBe(slots[0]!.start);
    expect(occurrenceOfReport({ start: "2026-03-09T11:30:00Z", end: "2026-03-09T11:45:00Z" }, slots)?.start).toBe(slots[1]!.start);
    expect(occurrenceOfReport({ start: "2026-03-16T10:00:00Z", end: "2026-03-16T11:00:00Z" }, slots)).toBeUndefined();
    expect(occurrenceOfReport({ start: "2026-03-05T15:00:00Z", end: "2026-03-05T16:00:00Z" }, slots)).toBeUndefined();
  });
});

describe("held or not", () => {
  it("needs 2 members there for 5 minutes or more, merging reports of one session", () => {
    const byOcc = attendanceByOccurrence(
      [
        { reportId: "1", start: "2026-03-02T10:00:00Z", end: "2026-03-02T10:20:00Z", members: [{ userId: "A-1", seconds: 1200 }, { userId: "b-2", seconds: 200 }] },
        // Everyone left and came back: Teams made a second report; Ben's minutes add up to over 5.
        { reportId: "2", start: "2026-03-02T10:25:00Z", end: "2026-03-02T11:00:00Z", members: [{ userId: "b-2", seconds: 200 }] },
        { reportId: "3", start: "2026-03-09T10:00:00Z", end: "2026-03-09T11:00:00Z", members: [{ userId: "A-1", seconds: 3600 }, { userId: "c-3", seconds: 299 }] },
      ],
      slots,
    );
    expect(byOcc.get(slots[0]!.start)).toEqual({ held: true, present: new Set(["A-1", "b-2"]) });
    expect(byOcc.get(slots[1]!.start)).toEqual({ held: false, present: new Set(["A-1"]) });
  });

  it("a report decides over a live run; without one the run counts; cancelled is skipped", () => {
    const now = Date.parse("2026-04-01T00:00:00Z");
    const slot = { start: slots[0]!.start, end: slots[0]!.end, cancelled: false };
    const alone = { held: false, present: new Set(["A-1"]) };
    expect(resolveSession(slot, alone, true, now)).toMatchObject({ outcome: "notHeld", source: "attendance" });
    expect(resolveSession(slot, undefined, true, now)).toMatchObject({ outcome: "held", source: "liveRun" });
    expect(resolveSession(slot, undefined, false, now)).toMatchObject({ outcome: "notHeld", source: "none" });
    expect(resolveSession(slot, undefined, false, Date.parse(slot.start))).toMatchObject({ outcome: "scheduled" });
    expect(resolveSession({ ...slot, cancelled: true }, { held: true, present: new Set() }, true, now)).toMatchObject({ outcome: "skipped" });
  });
});
