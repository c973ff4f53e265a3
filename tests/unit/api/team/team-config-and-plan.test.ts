import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../../api/config";
import type { CircleRow, CircleSeriesRow } from "../../../../api/storage";
import { aggregateTeam } from "../../../../api/team/aggregate";
import { plannedOccurrences } from "../../../../api/team/series-reader";

const teamThresholdFromEnv = (env: Record<string, string>) => loadConfig(env).teamMinParticipants;

describe("TEAM_MIN_PARTICIPANTS", () => {
  it("defaults to 5, never goes below 3, and rejects what is not a whole number", () => {
    expect(teamThresholdFromEnv({})).toBe(5);
    expect(teamThresholdFromEnv({ TEAM_MIN_PARTICIPANTS: "" })).toBe(5);
    expect(teamThresholdFromEnv({ TEAM_MIN_PARTICIPANTS: "8" })).toBe(8);
    expect(teamThresholdFromEnv({ TEAM_MIN_PARTICIPANTS: "1" })).toBe(3);
    expect(() => teamThresholdFromEnv({ TEAM_MIN_PARTICIPANTS: "five" })).toThrow(ConfigError);
    expect(() => teamThresholdFromEnv({ TEAM_MIN_PARTICIPANTS: "4.5" })).toThrow(/TEAM_MIN_PARTICIPANTS/);
  });
});

describe("the team window", () => {
  const report = (id: string) => ({ reportId: id, circleIds: ["c"], sessions: [], blocks: [], commitmentReviews: [] });
  const reports = ["a", "b", "c", "d", "e"].map(report);

  it("charts as many complete weeks as asked, within 4–26", () => {
    const view = aggregateTeam({ reports, circles: [], now: "2026-06-10T12:00:00Z", timeZone: "Europe/London", weeks: 6 });
    if (view.status !== "shown") throw new Error("expected figures");
    expect(view.protectedHours.weeks.map((w) => w.weekStart)).toEqual(["2026-04-27", "2026-05-04", "2026-05-11", "2026-05-18", "2026-05-25", "2026-06-01"]);
    expect(() => aggregateTeam({ reports, circles: [], now: "2026-06-10T12:00:00Z", timeZone: "Europe/London", weeks: 3 })).toThrow(RangeError);
    expect(() => aggregateTeam({ reports, circles: [], now: "2026-06-10T12:00:00Z", timeZone: "Europe/London", weeks: 27 })).toThrow(RangeError);
  });
});

describe("a series' booked plan (when its calendar cannot be read)", () => {
  const circle = { cadence: "biweekly", session_count: 3, session_minutes: 45 } as CircleRow;
  const row = { first_start: "2026-03-24T15:00:00+00:00", time_zone: "Europe/London" } as CircleSeriesRow;

  it("keeps the organiser's wall clock across the clock change", () => {
    expect(plannedOccurrences(circle, row)).toEqual([
      { start: "2026-03-24T15:00:00+00:00", end: "2026-03-24T15:45:00+00:00", cancelled: false },
      { start: "2026-04-07T15:00:00+01:00", end: "2026-04-07T15:45:00+01:00", cancelled: false },
      { start: "2026-04-21T15:00:00+01:00", end: "2026-04-21T15:45:00+01:00", cancelled: false },
    ]);
  });

  it("plans nothing for a cadence it does not know", () => {
    expect(plannedOccurrences({ ...circle, cadence: "daily" }, row)).toEqual([]);
  });
});
