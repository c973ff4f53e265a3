import { describe, expect, it } from "vitest";
import { type CircleCadence, type ReportActivity, TeamViewSchema, aggregateTeam, teamThreshold } from "../../../../api/team/aggregate";
import { isLosingMomentum } from "../../../../api/team/cadence-risk";

// Wednesday; in London the current week starts Monday 8 June 2026, the 12 weeks before it on 16 March.
const NOW = "2026-06-10T12:00:00Z";
const ZONE = "Europe/London";
const WEEK_MS = 7 * 86_400_000;
const FIRST_MONDAY = Date.parse("2026-03-16T09:00:00Z");

const iso = (ms: number) => new Date(ms).toISOString();

/** A report in `circleId` who met weekly for the 12 weeks (60 min) with 15 min prep and 10 min reflection. */
function steadyReport(reportId: string, circleId = `circle-${reportId}`): ReportActivity {
  const sessions: ReportActivity["sessions"] = [];
  const blocks: ReportActivity["blocks"] = [];
  for (let w = 0; w < 12; w++) {
    const start = FIRST_MONDAY + w * WEEK_MS;
    sessions.push({ circleId, start: iso(start), end: iso(start + 3_600_000), outcome: "held", attendance: "attended" });
    blocks.push({ kind: "prep", start: iso(start - 15 * 60_000), end: iso(start), overridden: false });
    blocks.push({ kind: "reflection", start: iso(start + 3_600_000), end: iso(start + 70 * 60_000), overridden: false });
  }
  return { reportId, circleIds: [circleId], sessions, blocks, commitmentReviews: [{ status: "done", reviewedAt: iso(FIRST_MONDAY + WEEK_MS) }] };
}

const team = (n: number) => Array.from({ length: n }, (_, i) => steadyReport(`report-${i}@contoso.example`));

/** Every number anywhere in a value, with its path. */
function numbersIn(value: unknown, path = "$"): string[] {
  if (typeof value === "number") return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbersIn(v, `${path}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => numbersIn(v, `${path}.${k}`));
  return [];
}

describe("the manager's team view", () => {
  it("shows nothing but the reason and the policy when only 4 reports take part", () => {
    const view = aggregateTeam({ reports: team(4), circles: [], now: NOW, timeZone: ZONE });
    expect(view.status).toBe("hidden");
    expect(numbersIn(view)).toEqual(["$.threshold"]);
    expect(view).toEqual({ status: "hidden", threshold: 5, reason: { code: "tooFewParticipants", message: expect.stringContaining("at least 5 of your reports") } });
    expect(JSON.stringify(view)).not.toMatch(/\b4\b/);
    expect(JSON.stringify(view)).not.toContain("report-");
  });

  it("does not count reports who take no part, nor the same report twice", () => {
    const idle: ReportActivity = { reportId: "idle@contoso.example", circleIds: [], sessions: [], blocks: [], commitmentReviews: [] };
    const reports = [...team(4), team(4)[0]!, idle];
    expect(aggregateTeam({ reports, circles: [], now: NOW, timeZone: ZONE }).status).toBe("hidden");
    expect(aggregateTeam({ reports: [...reports, steadyReport("fifth")], circles: [], now: NOW, timeZone: ZONE }).status).toBe("shown");
  });

  it("says there is no team when nobody reports to the manager", () => {
    expect(aggregateTeam({ reports: [], circles: [], now: NOW, timeZone: ZONE })).toEqual({ status: "hidden", threshold: 5, reason: expect.objectContaining({ code: "noReports" }) });
  });

  it("never lets the threshold go below 3", () => {
    expect(teamThreshold(undefined)).toBe(5);
    expect(teamThreshold(1)).toBe(3);
    expect(teamThreshold(3.2)).toBe(4);
    expect(aggregateTeam({ reports: team(2), circles: [], now: NOW, timeZone: ZONE, threshold: 2 })).toMatchObject({ status: "hidden", threshold: 3 });
    expect(aggregateTeam({ reports: team(3), circles: [], now: NOW, timeZone: ZONE, threshold: 0 })).toMatchObject({ status: "shown", threshold: 3 });
    expect(aggregateTeam({ reports: team(6), circles: [], now: NOW, timeZone: ZONE, threshold: 8 })).toMatchObject({ status: "hidden", threshold: 8 });
  });

  it("charts protected hours per week — sessions, prep and reflection — over the last 12 complete weeks", () => {
    const reports = team(5);
    // Outside the window: this week's session and one 13 weeks ago are not in the chart.
    reports[0]!.sessions.push({ circleId: "circle-x", start: "2026-06-08T09:00:00Z", end: "2026-06-08T10:00:00Z", outcome: "held", attendance: "attended" });
    reports[0]!.sessions.push({ circleId: "circle-x", start: "2026-03-09T09:00:00Z", end: "2026-03-09T10:00:00Z", outcome: "held", attendance: "attended" });
    const view = aggregateTeam({ reports, circles: [], now: NOW, timeZone: ZONE });
    if (view.status !== "shown") throw new Error("expected figures");
    const weeks = view.protectedHours.weeks;
    expect(weeks).toHaveLength(12);
    expect(weeks[0]!.weekStart).toBe("2026-03-16");
    expect(weeks[11]!.weekStart).toBe("2026-06-01");
    for (const week of weeks) expect(week).toMatchObject({ sessionHours: 5, prepHours: 1.25, reflectionHours: 0.83, totalHours: 7.08 });
    expect(view.protectedHours.averagePerParticipantPerWeek).toBe(1.42);
    expect(view.sessions).toEqual({ held: 60, planned: 60 });
    expect(view.participants).toBe(5);
  });

  it("counts a session in the manager's own week, not UTC's", () => {
    const reports = team(5);
    // Sunday 31 May 23:30 UTC is Monday 1 June 08:30 in Tokyo, still Sunday 19:30 in New York.
    reports[0]!.sessions.push({ circleId: "c", start: "2026-05-31T23:30:00Z", end: "2026-06-01T00:30:00Z", outcome: "held", attendance: "unknown" });
    const tokyo = aggregateTeam({ reports, circles: [], now: NOW, timeZone: "Asia/Tokyo" });
    const newYork = aggregateTeam({ reports, circles: [], now: NOW, timeZone: "America/New_York" });
    if (tokyo.status !== "shown" || newYork.status !== "shown") throw new Error("expected figures");
    expect(tokyo.protectedHours.weeks.at(-1)).toMatchObject({ weekStart: "2026-06-01", sessionHours: 6 });
    expect(newYork.protectedHours.weeks.at(-2)).toMatchObject({ weekStart: "2026-05-25", sessionHours: 6 });
    expect(newYork.protectedHours.weeks.at(-1)!.sessionHours).toBe(5);
  });

  it("counts skipped and missed sessions as planned but not held, and overridden blocks as not protected", () => {
    const reports = team(5);
    const first = reports[0]!;
    first.sessions[0] = { ...first.sessions[0]!, outcome: "skipped" };
    first.sessions[1] = { ...first.sessions[1]!, attendance: "declined" };
    first.sessions[2] = { ...first.sessions[2]!, outcome: "notHeld" };
    first.blocks[0] = { ...first.blocks[0]!, overridden: true };
    const view = aggregateTeam({ reports, circles: [], now: NOW, timeZone: ZONE });
    if (view.status !== "shown") throw new Error("expected figures");
    expect(view.sessions).toEqual({ held: 57, planned: 60 });
    expect(view.protectedHours.blocksOverridden).toBe(1);
    expect(view.protectedHours.blocksProtected).toBe(119);
    expect(view.protectedHours.weeks[0]!.prepHours).toBe(1);
  });

  it("withholds commitment completion until enough reports have reviewed commitments", () => {
    const reports = team(6);
    for (const r of reports.slice(0, 2)) r.commitmentReviews = [];
    reports[2]!.commitmentReviews = [{ status: "notDone", reviewedAt: "2026-04-01T10:00:00Z" }];
    const shown = aggregateTeam({ reports, circles: [], now: NOW, timeZone: ZONE });
    if (shown.status !== "shown") throw new Error("expected figures");
    expect(shown.commitmentCompletion).toEqual({ status: "hidden", reason: expect.objectContaining({ code: "tooFewContributors" }) });
    reports[0]!.commitmentReviews = [{ status: "partly", reviewedAt: "2026-04-01T10:00:00Z" }];
    const view = aggregateTeam({ reports, circles: [], now: NOW, timeZone: ZONE });
    if (view.status !== "shown") throw new Error("expected figures");
    expect(view.commitmentCompletion).toEqual({ status: "shown", rate: 0.7, reviewed: 5 });
  });

  it("counts the team's circles at risk once each, and no one else's", () => {
    const reports = [steadyReport("a", "shared"), steadyReport("b", "shared"), steadyReport("c", "steady"), steadyReport("d", "fading"), steadyReport("e", "steady")];
    const at = (day: string, outcome: CircleCadence["sessions"][number]["outcome"]) => ({ start: `${day}T09:00:00Z`, outcome });
    const circles: CircleCadence[] = [
      { circleId: "shared", sessions: [at("2026-05-18", "held"), at("2026-05-25", "skipped"), at("2026-06-01", "declinedByMost")] },
      { circleId: "steady", sessions: [at("2026-05-18", "skipped"), at("2026-05-25", "held"), at("2026-06-01", "held")] },
      { circleId: "fading", sessions: [at("2026-05-25", "notHeld"), at("2026-06-01", "skipped"), at("2026-06-15", "scheduled")] },
      { circleId: "someone-elses", sessions: [at("2026-05-25", "skipped"), at("2026-06-01", "skipped")] },
    ];
    const view = aggregateTeam({ reports, circles, now: NOW, timeZone: ZONE });
    if (view.status !== "shown") throw new Error("expected figures");
    expect(view.circles).toEqual({ active: 3, atRisk: 2 });
  });

  it("never puts an id, a circle or a name in what it returns", () => {
    const reports = team(7);
    const view = aggregateTeam({ reports, circles: reports.map((r) => ({ circleId: r.circleIds[0]!, sessions: [] })), now: NOW, timeZone: ZONE });
    const text = JSON.stringify(view);
    for (const r of reports) {
      expect(text).not.toContain(r.reportId);
      expect(text).not.toContain(r.circleIds[0]!);
    }
    expect(text).not.toContain("contoso");
    // The schema is strict: a field slipped into the output would be refused.
    expect(() => TeamViewSchema.parse({ ...view, reportIds: ["x"] })).toThrow();
  });

  it("refuses malformed input rather than guessing", () => {
    const broken = { ...steadyReport("a"), sessions: [{ circleId: "c", start: "last week", end: "2026-06-01T10:00:00Z", outcome: "held", attendance: "attended" }] } as ReportActivity;
    expect(() => aggregateTeam({ reports: [broken], circles: [], now: NOW, timeZone: ZONE })).toThrow();
    expect(() => aggregateTeam({ reports: [], circles: [], now: NOW, timeZone: "Mars/Base" })).toThrow(RangeError);
  });
});

describe("momentum", () => {
  const now = "2026-06-10T00:00:00Z";
  const s = (day: string, outcome: Parameters<typeof isLosingMomentum>[0] extends Iterable<infer T> ? T extends { outcome: infer O } ? O : never : never) => ({ start: `2026-${day}T09:00:00Z`, outcome });

  it("flags a circle when 2 of its last 3 sessions slipped", () => {
    expect(isLosingMomentum([s("05-20", "held"), s("05-27", "skipped"), s("06-03", "notHeld")], now)).toBe(true);
    expect(isLosingMomentum([s("05-20", "declinedByMost"), s("05-27", "held"), s("06-03", "skipped")], now)).toBe(true);
  });

  it("looks only at the last 3 due sessions", () => {
    expect(isLosingMomentum([s("05-06", "skipped"), s("05-13", "skipped"), s("05-20", "held"), s("05-27", "held"), s("06-03", "skipped")], now)).toBe(false);
    // Future and undecided sessions do not count either way.
    expect(isLosingMomentum([s("05-27", "skipped"), s("06-03", "held"), s("06-17", "skipped"), s("06-24", "skipped")], now)).toBe(false);
  });

  it("flags a young circle whose only two sessions both slipped, but not one slip", () => {
    expect(isLosingMomentum([s("05-27", "skipped"), s("06-03", "notHeld")], now)).toBe(true);
    expect(isLosingMomentum([s("06-03", "skipped")], now)).toBe(false);
  });
});
