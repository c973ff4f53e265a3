import { describe, expect, it } from "vitest";
import { planRotationMoves } from "../../../../api/booking/rotation";
import { computeOccurrences } from "../../../../api/scheduling";

const LONDON = "Europe/London";
const base = (sessionCount: number, cadence: "weekly" | "biweekly" = "biweekly") =>
  computeOccurrences({ start: { date: "2026-03-03", time: "15:00", timeZone: LONDON }, cadence, sessionMinutes: 60, sessionCount });

describe("planRotationMoves", () => {
  it("moves every other session to the alternate slot's own date and time, keeping London wall clock across DST", () => {
    // Tue 15:00 and, from session 1 (Thu 19 Mar), Thu 08:00, every two weeks; BST starts 29 Mar.
    const moves = planRotationMoves({ base: base(6), alternates: [{ date: "2026-03-19", time: "08:00", timeZone: LONDON }], cadence: "biweekly", sessionMinutes: 60 });
    expect(moves).toEqual([
      { index: 1, originalStart: "2026-03-17T15:00:00+00:00", start: "2026-03-19T08:00:00+00:00", end: "2026-03-19T09:00:00+00:00" },
      { index: 3, originalStart: "2026-04-14T15:00:00+01:00", start: "2026-04-16T08:00:00+01:00", end: "2026-04-16T09:00:00+01:00" },
      { index: 5, originalStart: "2026-05-12T15:00:00+01:00", start: "2026-05-14T08:00:00+01:00", end: "2026-05-14T09:00:00+01:00" },
    ]);
  });

  it("with three slots, sessions 1, 4 … go to the second and 2, 5 … to the third", () => {
    const moves = planRotationMoves({
      base: base(6, "weekly"),
      alternates: [
        { date: "2026-03-11", time: "07:00", timeZone: LONDON },
        { date: "2026-03-19", time: "20:00", timeZone: LONDON },
      ],
      cadence: "weekly",
      sessionMinutes: 60,
    });
    expect(moves.map((m) => [m.index, m.start.slice(0, 16)])).toEqual([
      [1, "2026-03-11T07:00"],
      [2, "2026-03-19T20:00"],
      [4, "2026-04-01T07:00"],
      [5, "2026-04-09T20:00"],
    ]);
  });

  it("leaves out a move past the circle's end date, and refuses one that would pass its neighbour", () => {
    const moves = planRotationMoves({ base: base(4), alternates: [{ date: "2026-03-19", time: "08:00", timeZone: LONDON }], cadence: "biweekly", sessionMinutes: 60, endsOn: "2026-04-14" });
    expect(moves.map((m) => m.index)).toEqual([1]);
    expect(() => planRotationMoves({ base: base(4), alternates: [{ date: "2026-03-02", time: "08:00", timeZone: LONDON }], cadence: "biweekly", sessionMinutes: 60 })).toThrow(RangeError);
  });
});
