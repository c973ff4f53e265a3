import { describe, expect, it } from "vitest";
import { momentumTrigger, planNudges, prepDueAt, type PlanCircle, type PlanSession } from "../../../../api/nudges/plan-nudges";

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** A 60-minute session at `start` (ISO with offset) with the given outcome. */
const session = (start: string, outcome: PlanSession["outcome"] = "scheduled"): PlanSession => ({ start, end: iso(Date.parse(start) + HOUR), outcome });

function circle(sessions: PlanSession[], members: PlanCircle["members"] = [{ userId: "megan", timeZone: "Europe/London" }]): PlanCircle {
  return { tenantId: "t1", circleId: "c1", members, sessions };
}

describe("prepDueAt: 09:00 the day before, in the member's own zone", () => {
  it("is 09:00 London the day before a London session", () => {
    expect(prepDueAt("2026-06-16T15:00:00+01:00", "Europe/London")).toBe("2026-06-15T08:00:00.000Z");
  });

  it("uses the member's local date: a 07:00 London session is 23:00 the evening before in Los Angeles", () => {
    // Tue 07:00 BST = Mon 23:00 PDT, so the Los Angeles member's "day before" is Sunday.
    expect(prepDueAt("2026-06-16T07:00:00+01:00", "America/Los_Angeles")).toBe("2026-06-14T16:00:00.000Z");
  });

  it("is 09:00 in Kolkata for a member there (UTC+05:30, no DST)", () => {
    expect(prepDueAt("2026-06-16T15:00:00+01:00", "Asia/Kolkata")).toBe("2026-06-15T03:30:00.000Z");
  });

  it("spring-forward edge: the day before is the Sunday the clocks change, 09:00 BST", () => {
    // London moves to BST at 01:00 UTC on Sunday 29 March 2026.
    expect(prepDueAt("2026-03-30T10:00:00+01:00", "Europe/London")).toBe("2026-03-29T08:00:00.000Z");
    expect(prepDueAt("2026-03-29T10:00:00+01:00", "Europe/London")).toBe("2026-03-28T09:00:00.000Z");
  });

  it("fall-back edge: the day before is the Sunday the clocks change back, 09:00 GMT", () => {
    // London returns to GMT at 01:00 UTC on Sunday 25 October 2026.
    expect(prepDueAt("2026-10-26T10:00:00Z", "Europe/London")).toBe("2026-10-25T09:00:00.000Z");
  });
});

describe("planNudges", () => {
  const start = "2026-06-16T15:00:00+01:00"; // 14:00Z
  const prep = Date.parse("2026-06-15T08:00:00Z");

  it("has no prep reminder a minute before 09:00, and says when to look again", () => {
    const plan = planNudges([circle([session(start)])], iso(prep - 60_000));
    expect(plan.due).toEqual([]);
    expect(plan.nextDueAt).toBe(iso(prep));
  });

  it("has the prep reminder from 09:00 until the session starts, keyed by the session's start", () => {
    for (const at of [prep, prep + 20 * HOUR]) {
      const plan = planNudges([circle([session(start)])], iso(at));
      expect(plan.due).toEqual([expect.objectContaining({ kind: "prepReminder", userId: "megan", occurrenceKey: "2026-06-16T14:00:00.000Z", dueAt: iso(prep) })]);
    }
    expect(planNudges([circle([session(start)])], iso(Date.parse(start))).due.filter((d) => d.kind === "prepReminder")).toEqual([]);
  });

  it("times each member's reminder in their own zone", () => {
    const members = [
      { userId: "megan", timeZone: "Europe/London" },
      { userId: "priya", timeZone: "Asia/Kolkata" },
    ];
    const early = planNudges([circle([session(start)], members)], "2026-06-15T04:00:00Z");
    expect(early.due.map((d) => d.userId)).toEqual(["priya"]);
    expect(early.nextDueAt).toBe(iso(prep));
    expect(planNudges([circle([session(start)], members)], iso(prep)).due.map((d) => d.userId).sort()).toEqual(["megan", "priya"]);
  });

  it("prompts reflection when the session ends, not before, and not for a skipped session", () => {
    const end = Date.parse(start) + HOUR;
    expect(planNudges([circle([session(start)])], iso(end - 60_000)).due).toEqual([]);
    expect(planNudges([circle([session(start)])], iso(end - 60_000)).nextDueAt).toBe(iso(end));
    expect(planNudges([circle([session(start, "notHeld")])], iso(end)).due).toEqual([expect.objectContaining({ kind: "reflectionPrompt", dueAt: iso(end) })]);
    expect(planNudges([circle([session(start, "skipped")])], iso(end)).due).toEqual([]);
    // Twelve hours later the moment has passed.
    expect(planNudges([circle([session(start, "held")])], iso(end + 12 * HOUR)).due).toEqual([]);
  });
});

describe("momentum fading", () => {
  const weeks = [0, 1, 2, 3].map((w) => iso(Date.parse("2026-06-02T14:00:00Z") + w * 7 * 24 * HOUR));

  it("trips on the session that makes 2 of the last 3 slipped, for every member", () => {
    const sessions = [session(weeks[0]!, "skipped"), session(weeks[1]!, "held"), session(weeks[2]!, "skipped")];
    const members = [
      { userId: "megan", timeZone: "Europe/London" },
      { userId: "alex", timeZone: "Europe/London" },
    ];
    const due = planNudges([circle(sessions, members)], iso(Date.parse(weeks[2]!) + 2 * HOUR)).due.filter((d) => d.kind === "momentumFading");
    expect(due.map((d) => d.userId).sort()).toEqual(["alex", "megan"]);
    expect(due[0]).toMatchObject({ occurrenceKey: weeks[2], dueAt: weeks[2], lastOutcomes: ["skipped", "held", "skipped"] });
  });

  it("does not trip on one slip, nor again while the circle stays at risk", () => {
    expect(momentumTrigger([session(weeks[0]!, "held"), session(weeks[1]!, "skipped")], weeks[3]!)).toBeUndefined();
    const stillAtRisk = [session(weeks[0]!, "skipped"), session(weeks[1]!, "skipped"), session(weeks[2]!, "notHeld")];
    expect(momentumTrigger(stillAtRisk, weeks[3]!)).toBeUndefined();
    expect(momentumTrigger(stillAtRisk.slice(0, 2), weeks[3]!)?.session.start).toBe(weeks[1]);
  });

  it("counts a session that was not held once it has ended", () => {
    const sessions = [session(weeks[0]!, "notHeld"), session(weeks[1]!, "held"), session(weeks[2]!, "notHeld")];
    const trigger = momentumTrigger(sessions, iso(Date.parse(weeks[2]!) + 2 * HOUR));
    expect(trigger?.session.start).toBe(weeks[2]);
    const due = planNudges([circle(sessions)], iso(Date.parse(weeks[2]!) + 2 * HOUR)).due.find((d) => d.kind === "momentumFading");
    expect(due?.dueAt).toBe(iso(Date.parse(weeks[2]!) + HOUR));
  });

  it("is not sent more than 7 days after the slip", () => {
    const sessions = [session(weeks[0]!, "skipped"), session(weeks[1]!, "skipped")];
    expect(planNudges([circle(sessions)], iso(Date.parse(weeks[1]!) + 6 * 24 * HOUR)).due.some((d) => d.kind === "momentumFading")).toBe(true);
    expect(planNudges([circle(sessions)], iso(Date.parse(weeks[1]!) + 8 * 24 * HOUR)).due.some((d) => d.kind === "momentumFading")).toBe(false);
  });
});
