import type { NamedRole, RoleAssignment } from "./schemas";

/**
 * Today's roles, rotated fairly from the circle's history.
 *
 * Each named role rotates on its own count: the member who has held it least takes it, ties go to
 * whoever held it least recently (never beats any time), then to join order — so the result is
 * deterministic and, with a steady membership, "everyone facilitates before anyone does twice".
 *
 * Members who left are simply not candidates. A member who joins later does not start at zero
 * (they would then facilitate several times in a row to "catch up"): they start at the lowest count
 * among the members already there, and having never held the role puts them at the front of
 * whoever has not had their turn in this round.
 *
 * Order of assignment: facilitator, then case owner (never the facilitator), then — from 4 members
 * — timekeeper and observer (distinct from the others). For these three, equals are further
 * ordered by who has gone longest without any role, before join order; their counts stay within
 * one of each other. Everyone else is a coach.
 *
 * @param memberIds current members in join order (duplicates ignored)
 * @param history past sessions' assignments, oldest first; who was present is read from each
 * @throws RangeError when the circle has no members
 */
export function assignRoles(memberIds: readonly string[], history: readonly RoleAssignment[]): RoleAssignment {
  const members = [...new Set(memberIds)];
  if (members.length === 0) throw new RangeError("a circle needs at least one member to assign roles");
  const taken = new Set<string>();
  const pick = (role: NamedRole): string | null => {
    const candidates = members.filter((m) => !taken.has(m));
    const chosen = pickLeastServed(role, candidates, members, history);
    if (chosen !== null) taken.add(chosen);
    return chosen;
  };

  const facilitator = pick("facilitator")!;
  const caseOwner = members.length >= 2 ? pick("caseOwner") : null;
  const timekeeper = members.length >= 4 ? pick("timekeeper") : null;
  const observer = members.length >= 4 ? pick("observer") : null;
  return { facilitator, caseOwner, timekeeper, observer, coaches: members.filter((m) => !taken.has(m)) };
}

/**
 * Swaps whatever the two members hold (a named role or "coach"), as agreed in the meeting.
 * A member missing from the assignment (joined after it was made) counts as a coach.
 */
export function swapRoles(assignment: RoleAssignment, a: string, b: string): RoleAssignment {
  if (a === b) return cloneAssignment(assignment);
  const other = (id: string | null) => (id === a ? b : id === b ? a : id);
  const coaches = assignment.coaches.map((id) => other(id)!);
  // Whoever was absent from the assignment and gave their place away becomes a coach.
  for (const id of [a, b]) {
    const named = NAMED_ROLES.some((role) => other(assignment[role]) === id);
    if (!named && !coaches.includes(id)) coaches.push(id);
  }
  return {
    facilitator: other(assignment.facilitator)!,
    caseOwner: other(assignment.caseOwner),
    timekeeper: other(assignment.timekeeper),
    observer: other(assignment.observer),
    coaches,
  };
}

/**
 * Gives `role` to `memberId`. If someone held it, the two swap (so nobody ends up with two roles);
 * if nobody did (e.g. a timekeeper in a circle of three), the member moves into it from coach, or
 * from timekeeper/observer.
 * @throws RangeError when that would leave the facilitator or case owner role empty.
 */
export function setRole(assignment: RoleAssignment, role: NamedRole, memberId: string): RoleAssignment {
  const holder = assignment[role];
  if (holder === memberId) return cloneAssignment(assignment);
  if (holder !== null) return swapRoles(assignment, memberId, holder);
  const current = roleOf(assignment, memberId);
  if (current === "facilitator" || current === "caseOwner") {
    throw new RangeError(`moving the ${current} to ${role} would leave nobody as ${current}; swap with someone instead`);
  }
  const next = cloneAssignment(assignment);
  if (current !== "coach") next[current] = null;
  next[role] = memberId;
  next.coaches = next.coaches.filter((id) => id !== memberId);
  return next;
}

/** The named role a member holds, or "coach" (also for members missing from the assignment). */
export function roleOf(assignment: RoleAssignment, memberId: string): NamedRole | "coach" {
  return NAMED_ROLES.find((role) => assignment[role] === memberId) ?? "coach";
}

/** Everyone the assignment mentions: the members present at that session. */
export function membersOf(assignment: RoleAssignment): string[] {
  const named = NAMED_ROLES.map((role) => assignment[role]).filter((id): id is string => id !== null);
  return [...new Set([...named, ...assignment.coaches])];
}

const NAMED_ROLES: readonly NamedRole[] = ["facilitator", "caseOwner", "timekeeper", "observer"];

function cloneAssignment(a: RoleAssignment): RoleAssignment {
  return { ...a, coaches: [...a.coaches] };
}

function pickLeastServed(role: NamedRole, candidates: readonly string[], members: readonly string[], history: readonly RoleAssignment[]): string | null {
  if (candidates.length === 0) return null;
  const { count, last } = tallyRole(role, members, history);
  const joinIndex = new Map(members.map((m, i) => [m, i]));
  // Case owner, timekeeper and observer are picked after earlier roles have taken their people, so on
  // a pure join-order tie-break late joiners keep losing (a 6-member circle ended up with 3/3/2/2/1/1
  // timekeeping turns over 12 sessions); among equals, prefer whoever has gone longest without any
  // role. Facilitation keeps the plain rule, which alone guarantees a strict round.
  const lastAnyRole = role !== "facilitator" ? lastNamedRole(history) : new Map<string, number>();
  const sorted = [...candidates].sort(
    (x, y) =>
      count.get(x)! - count.get(y)! ||
      (last.get(x) ?? -1) - (last.get(y) ?? -1) ||
      (lastAnyRole.get(x) ?? -1) - (lastAnyRole.get(y) ?? -1) ||
      joinIndex.get(x)! - joinIndex.get(y)!,
  );
  return sorted[0]!;
}

function lastNamedRole(history: readonly RoleAssignment[]): Map<string, number> {
  const last = new Map<string, number>();
  history.forEach((assignment, index) => {
    for (const role of NAMED_ROLES) {
      const holder = assignment[role];
      if (holder !== null) last.set(holder, index);
    }
  });
  return last;
}

/**
 * Replays the history for one role: how often each member held it (with a newcomer's starting
 * credit) and at which session they last did.
 */
function tallyRole(role: NamedRole, members: readonly string[], history: readonly RoleAssignment[]) {
  const count = new Map<string, number>();
  const last = new Map<string, number>();
  const admit = (present: readonly string[]) => {
    const known = present.filter((m) => count.has(m));
    const credit = known.length === 0 ? 0 : Math.min(...known.map((m) => count.get(m)!));
    for (const m of present) if (!count.has(m)) count.set(m, credit);
  };
  history.forEach((assignment, index) => {
    admit(membersOf(assignment));
    const holder = assignment[role];
    if (holder === null) return;
    count.set(holder, count.get(holder)! + 1);
    last.set(holder, index);
  });
  admit(members);
  return { count, last };
}
