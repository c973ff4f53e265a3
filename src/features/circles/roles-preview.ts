/** A role for one session (product glossary); observer only in circles big enough to spare one. */
export type PreviewRole = "Facilitator" | "Timekeeper" | "Case owner" | "Observer";

export interface RoleAssignment {
  role: PreviewRole;
  name: string;
}

/**
 * Who takes which role in the next sessions, rotating through the members in their listed order
 * (organiser first): the facilitator of one session is the case owner two sessions later, so
 * everyone gets every role in turn. Without rotation the first session's roles repeat.
 * A preview only: the side panel lets people swap on the day.
 */
export function previewRoles(memberNames: readonly string[], sessions: number, rotate: boolean): RoleAssignment[][] {
  const n = memberNames.length;
  if (n === 0) return [];
  const roles: PreviewRole[] = n === 2 ? ["Facilitator", "Case owner"] : n === 3 ? ["Facilitator", "Timekeeper", "Case owner"] : ["Facilitator", "Timekeeper", "Case owner", "Observer"];
  const plan: RoleAssignment[][] = [];
  for (let session = 0; session < sessions; session++) {
    const shift = rotate ? session : 0;
    plan.push(roles.map((role, i) => ({ role, name: memberNames[(shift + i) % n]! })));
  }
  return plan;
}
