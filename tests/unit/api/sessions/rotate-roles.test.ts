import { describe, expect, it } from "vitest";
import { assignRoles, membersOf, roleOf, setRole, swapRoles } from "../../../../api/sessions/rotate-roles";
import type { RoleAssignment } from "../../../../api/sessions/schemas";

/** Runs `sessions` sessions in a row, each assigned from the history so far. */
function runSessions(members: readonly string[], sessions: number, history: RoleAssignment[] = []): RoleAssignment[] {
  const all = [...history];
  for (let i = 0; i < sessions; i++) all.push(assignRoles(members, all));
  return all.slice(history.length);
}

function countBy(values: ReadonlyArray<string | null>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) if (v !== null) out[v] = (out[v] ?? 0) + 1;
  return out;
}

const SIX = ["ana", "ben", "chloe", "dev", "eli", "fay"];
// Facilitation is a strict round. The later roles are picked greedily around the earlier ones, so
// their turns can drift apart briefly; they even out again (checked over 5 rounds).
const SPREAD = { facilitator: 0, caseOwner: 1, timekeeper: 2, observer: 2 } as const;

describe("assignRoles", () => {
  it("has each of 6 members facilitate exactly twice over 12 sessions, and nobody twice before everyone once", () => {
    const sessions = runSessions(SIX, 12);
    const facilitators = sessions.map((s) => s.facilitator);
    expect(countBy(facilitators)).toEqual({ ana: 2, ben: 2, chloe: 2, dev: 2, eli: 2, fay: 2 });
    expect(new Set(facilitators.slice(0, 6)).size).toBe(6);
    expect(new Set(facilitators.slice(6)).size).toBe(6);
  });

  it("starts with the first joiner and is deterministic for the same members and history", () => {
    expect(assignRoles(SIX, []).facilitator).toBe("ana");
    expect(runSessions(SIX, 12)).toEqual(runSessions(SIX, 12));
  });

  it("rotates the case owner just as fairly and never makes the facilitator the case owner", () => {
    const sessions = runSessions(SIX, 12);
    expect(countBy(sessions.map((s) => s.caseOwner))).toEqual({ ana: 2, ben: 2, chloe: 2, dev: 2, eli: 2, fay: 2 });
    expect(new Set(sessions.slice(0, 6).map((s) => s.caseOwner)).size).toBe(6);
    for (const s of sessions) expect(s.caseOwner).not.toBe(s.facilitator);
    for (const s of runSessions(["a", "b", "c"], 9)) expect(s.caseOwner).not.toBe(s.facilitator);
  });

  it("rotates timekeeper and observer from 4 members, everyone holding at most one role", () => {
    const sessions = runSessions(SIX, 12);
    expect(countBy(sessions.map((s) => s.timekeeper))).toEqual({ ana: 2, ben: 2, chloe: 2, dev: 2, eli: 2, fay: 2 });
    expect(countBy(sessions.map((s) => s.observer))).toEqual({ ana: 2, ben: 2, chloe: 2, dev: 2, eli: 2, fay: 2 });
    for (const s of sessions) {
      const named = [s.facilitator, s.caseOwner, s.timekeeper, s.observer];
      expect(new Set(named).size).toBe(4);
      expect([...named, ...s.coaches].sort()).toEqual([...SIX].sort());
      // Coaches are everyone else, in join order.
      expect(s.coaches).toEqual(SIX.filter((m) => !named.includes(m)));
    }
  });

  it("keeps turns even over many sessions for 3 to 8 members: facilitation exactly, case owner within one, timekeeper and observer within two", () => {
    for (let n = 3; n <= 8; n++) {
      const members = SIX.concat(["gus", "hal"]).slice(0, n);
      const sessions = runSessions(members, n * 5);
      for (const role of ["facilitator", "caseOwner", "timekeeper", "observer"] as const) {
        if (n < 4 && (role === "timekeeper" || role === "observer")) continue;
        const counts = countBy(sessions.map((s) => s[role]));
        const turns = members.map((m) => counts[m] ?? 0);
        expect(Math.max(...turns) - Math.min(...turns), `${role} with ${n} members: ${turns.join(",")}`).toBeLessThanOrEqual(SPREAD[role]);
      }
    }
  });

  it("leaves timekeeper and observer empty below 4 members and makes the third member a coach", () => {
    const roles = assignRoles(["a", "b", "c"], []);
    expect(roles).toEqual({ facilitator: "a", caseOwner: "b", timekeeper: null, observer: null, coaches: ["c"] });
  });

  it("alternates facilitator and case owner in a pair", () => {
    const sessions = runSessions(["ana", "ben"], 4);
    expect(sessions.map((s) => [s.facilitator, s.caseOwner])).toEqual([
      ["ana", "ben"],
      ["ben", "ana"],
      ["ana", "ben"],
      ["ben", "ana"],
    ]);
    for (const s of sessions) expect(s).toMatchObject({ timekeeper: null, observer: null, coaches: [] });
  });

  it("skips a member who left, even when it was their turn", () => {
    const history = runSessions(["a", "b", "c", "d"], 2); // a, b facilitated
    const next = assignRoles(["a", "b", "d"], history); // c left
    expect(next.facilitator).toBe("d");
    expect(membersOf(next)).not.toContain("c");
  });

  it("puts a new joiner at the front of those who have not facilitated this round, without a catch-up streak", () => {
    const history = runSessions(["a", "b", "c", "d"], 6); // a b c d a b
    const withNewcomer = ["a", "b", "c", "d", "nia"];
    const after = runSessions(withNewcomer, 8, history);
    // c and d are still due this round; the newcomer, who never facilitated, goes before them.
    expect(after.map((s) => s.facilitator)).toEqual(["nia", "c", "d", "a", "b", "nia", "c", "d"]);
  });

  it("has a circle of one facilitate alone and refuses an empty circle", () => {
    expect(assignRoles(["solo"], [])).toEqual({ facilitator: "solo", caseOwner: null, timekeeper: null, observer: null, coaches: [] });
    expect(() => assignRoles([], [])).toThrow(RangeError);
  });
});

describe("swapRoles", () => {
  const roles: RoleAssignment = { facilitator: "a", caseOwner: "b", timekeeper: "c", observer: "d", coaches: ["e", "f"] };

  it("swaps a facilitator with a coach, keeping the coach list in place", () => {
    expect(swapRoles(roles, "a", "e")).toEqual({ facilitator: "e", caseOwner: "b", timekeeper: "c", observer: "d", coaches: ["a", "f"] });
  });

  it("swaps two named roles and leaves the original untouched", () => {
    const swapped = swapRoles(roles, "b", "d");
    expect(swapped).toMatchObject({ caseOwner: "d", observer: "b" });
    expect(roles.caseOwner).toBe("b");
  });

  it("hands a role to a member who joined after the assignment, who becomes the holder while the giver coaches", () => {
    const swapped = swapRoles(roles, "c", "late");
    expect(swapped.timekeeper).toBe("late");
    expect(swapped.coaches).toEqual(["e", "f", "c"]);
    expect(roleOf(swapped, "c")).toBe("coach");
  });

  it("changes nothing when both are the same person", () => {
    expect(swapRoles(roles, "a", "a")).toEqual(roles);
  });
});

describe("setRole", () => {
  it("swaps with the current holder so nobody holds two roles", () => {
    const roles = assignRoles(["a", "b", "c", "d"], []);
    const changed = setRole(roles, "facilitator", "b");
    expect(changed.facilitator).toBe("b");
    expect(changed.caseOwner).toBe("a");
  });

  it("fills an empty timekeeper role in a circle of three from the coaches", () => {
    const changed = setRole(assignRoles(["a", "b", "c"], []), "timekeeper", "c");
    expect(changed).toEqual({ facilitator: "a", caseOwner: "b", timekeeper: "c", observer: null, coaches: [] });
  });

  it("refuses to leave the case owner role empty", () => {
    expect(() => setRole(assignRoles(["a", "b", "c"], []), "observer", "b")).toThrow(RangeError);
  });
});
