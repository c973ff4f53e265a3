import { readBatchItemOrThrow, type BatchRequest, type UserGraph } from "../graph";
import { GraphUserPageSchema, GraphUserSchema, USER_SELECT, type GraphUser, type Person } from "./schemas";

export type { GraphUser };

const MAX_RESULTS = 10;

/** OData string literal content: a single quote is written twice. */
function odataString(value: string): string {
  return value.replace(/'/g, "''");
}

/**
 * Directory people whose name, given name, surname, mail or UPN starts with `query` (Graph
 * `$filter=startswith(...)`, a default query that needs no `ConsistencyLevel`), at most 10,
 * sorted by display name.
 * @throws GraphRequestError when Graph fails.
 */
export async function searchPeople(graph: UserGraph, query: string): Promise<Person[]> {
  const q = odataString(query.trim());
  const filter = ["displayName", "givenName", "surname", "mail", "userPrincipalName"].map((p) => `startswith(${p},'${q}')`).join(" or ");
  const page = await graph.get(`/users?$filter=${encodeURIComponent(filter)}&$select=${USER_SELECT}&$top=${MAX_RESULTS}`, GraphUserPageSchema);
  return page.value
    .slice(0, MAX_RESULTS)
    .map((u) => ({ id: u.id, upn: u.userPrincipalName, displayName: u.displayName || u.userPrincipalName, jobTitle: u.jobTitle, department: u.department }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
}

export interface ResolvedPeople {
  /** Keyed by the requested UPN, lower-cased. */
  found: Map<string, GraphUser>;
  /** Requested UPNs the directory does not know, as given. */
  unknown: string[];
}

/**
 * Looks each UPN up in the directory (`GET /users/{upn}`), all in one `$batch`. A 404 means
 * "no such person" and lands in `unknown`; any other failure throws.
 * @throws GraphRequestError when Graph fails for another reason.
 */
export async function resolvePeople(graph: UserGraph, upns: readonly string[]): Promise<ResolvedPeople> {
  const unique = [...new Map(upns.map((u) => [u.toLowerCase(), u])).values()];
  const requests: BatchRequest[] = unique.map((upn, i) => ({ id: `u${i}`, method: "GET", url: `/users/${encodeURIComponent(upn)}?$select=${USER_SELECT}` }));
  const results = await graph.batch(requests);
  const byId = new Map(results.map((r) => [r.id, r]));
  const found = new Map<string, GraphUser>();
  const unknown: string[] = [];
  unique.forEach((upn, i) => {
    const result = byId.get(`u${i}`);
    if (!result || result.status === 404) {
      unknown.push(upn);
      return;
    }
    found.set(upn.toLowerCase(), readBatchItemOrThrow(result, GraphUserSchema, `GET /users/{upn}`));
  });
  return { found, unknown };
}
