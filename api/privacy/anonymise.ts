import { randomUUID } from "node:crypto";

/**
 * Pure helpers that take a person out of stored JSON (live-session state, intent log, job
 * payloads) while keeping what the circle's and program's totals need.
 *
 * A removed person becomes a "former member": one random id per circle, made at deletion time and
 * stored nowhere else. Within one circle it keeps the circle's own history consistent (roles,
 * airtime and the review outcome of one card belong to the same former member, as the others in
 * the circle remember anyway); across circles the ids differ, so rows of different circles or
 * programs can never be joined back into one person.
 */

export const FORMER_MEMBER_PREFIX = "former-member-";

export function newFormerMemberId(): string {
  return `${FORMER_MEMBER_PREFIX}${randomUUID()}`;
}

/** Shown where a name was stored (job payloads); the live panel already says "A former member". */
export const FORMER_MEMBER_NAME = "A former member";

/** Every string equal to a key of `replacements`, and every object key equal to one, replaced. */
export function replaceIdentity(value: unknown, replacements: ReadonlyMap<string, string>): unknown {
  if (typeof value === "string") return replacements.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => replaceIdentity(v, replacements));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[replacements.get(k) ?? k] = replaceIdentity(v, replacements);
    return out;
  }
  return value;
}

/** True when a stored JSON text mentions the value as a whole string (cheap pre-check before parsing). */
export function mentions(json: string, value: string): boolean {
  return json.includes(JSON.stringify(value));
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : undefined;
}

/**
 * A run's state without the person: their questions are dropped (their words), the learning of
 * their reviewed cards is blanked, and their id (roles, speaking order, airtime) becomes the
 * circle's former-member id. The version is bumped so a cached copy of the old state in any API
 * instance fails its conditional write and reloads this one instead of writing the old back.
 */
export function scrubRunState(stateJson: string, userId: string, formerId: string, myCommitmentIds: ReadonlySet<string>): { json: string; questionsRemoved: number } | undefined {
  if (!mentions(stateJson, userId) && ![...myCommitmentIds].some((id) => mentions(stateJson, id))) return undefined;
  const state = asObject(JSON.parse(stateJson));
  if (!state) return undefined;
  let questionsRemoved = 0;
  if (Array.isArray(state.questions)) {
    const kept = state.questions.filter((q) => asObject(q)?.authorId !== userId);
    questionsRemoved = state.questions.length - kept.length;
    state.questions = kept;
  }
  const reviewed = asObject(state.reviewed);
  if (reviewed) {
    for (const id of myCommitmentIds) {
      const review = asObject(reviewed[id]);
      if (review) reviewed[id] = { ...review, learning: "" };
    }
  }
  const replaced = replaceIdentity(state, new Map([[userId, formerId]])) as Json;
  if (typeof replaced.version === "number") replaced.version += 1;
  return { json: JSON.stringify(replaced), questionsRemoved };
}

/** One logged intent without the person: their own words are blanked, their id replaced. */
export function scrubIntentPayload(payloadJson: string, opts: { byThem: boolean; userId: string; formerId: string }): string {
  const payload = asObject(JSON.parse(payloadJson)) ?? {};
  if (opts.byThem && typeof payload.text === "string") payload.text = "";
  if (opts.byThem && typeof payload.learning === "string") payload.learning = "";
  return JSON.stringify(replaceIdentity(payload, new Map([[opts.userId, opts.formerId]])));
}

/** The roles a person held in a RoleAssignment (as JSON), named as in the glossary. */
export function rolesHeld(roles: unknown, userId: string): string[] {
  const r = asObject(roles);
  if (!r) return [];
  const held: string[] = [];
  for (const name of ["facilitator", "caseOwner", "timekeeper", "observer"] as const) if (r[name] === userId) held.push(name);
  if (Array.isArray(r.coaches) && r.coaches.includes(userId)) held.push("coach");
  return held;
}

/** What a run's state says about one person: roles, airtime and the questions they asked. */
export function partInRun(stateJson: string, userId: string): { roles: string[]; airtimeSeconds: number | null; questions: Array<{ text: string; style: string; askedAt: string }> } {
  const state = asObject(JSON.parse(stateJson)) ?? {};
  const airtime = asObject(state.airtime)?.[userId];
  const questions = (Array.isArray(state.questions) ? state.questions : []).flatMap((q) => {
    const o = asObject(q);
    if (!o || o.authorId !== userId || typeof o.text !== "string") return [];
    return [{ text: o.text, style: typeof o.style === "string" ? o.style : "open", askedAt: typeof o.createdAt === "number" ? new Date(o.createdAt).toISOString() : "" }];
  });
  return { roles: rolesHeld(state.roles, userId), airtimeSeconds: typeof airtime === "number" ? airtime : null, questions };
}
