import type { SeedPerson } from "../../seed/people.js";
import { GraphError } from "../errors.js";
import { parseStringLiteral, splitOutside } from "../odata.js";

type Predicate = (p: SeedPerson) => boolean;

// Properties Graph filters with default (non-advanced) queries; others need ConsistencyLevel.
const BASIC_FILTER_PROPS = ["displayName", "givenName", "surname", "mail", "userPrincipalName", "id"] as const;
const ADVANCED_FILTER_PROPS = ["department", "jobTitle", "officeLocation"] as const;

const unsupported = (message: string) => new GraphError(400, "Request_UnsupportedQuery", message);

function propValue(p: SeedPerson, prop: string): string {
  const v = (p as unknown as Record<string, unknown>)[prop];
  return typeof v === "string" ? v : "";
}

function resolveProp(name: string, advanced: boolean): string {
  const all: readonly string[] = [...BASIC_FILTER_PROPS, ...ADVANCED_FILTER_PROPS];
  const prop = all.find((k) => k.toLowerCase() === name.trim().toLowerCase());
  if (!prop) throw unsupported(`Unsupported or invalid query filter clause specified for property '${name.trim()}' of resource 'User'.`);
  if (!advanced && (ADVANCED_FILTER_PROPS as readonly string[]).includes(prop)) {
    throw unsupported(`Unsupported or invalid query filter clause specified for property '${prop}' of resource 'User'. Filtering on it is an advanced query: send 'ConsistencyLevel: eventual' and $count=true.`);
  }
  return prop;
}

function literal(s: string): string {
  const lit = parseStringLiteral(s.trim());
  if (!lit || lit.rest.trim() !== "") throw unsupported(`Invalid filter clause: expected a quoted string, got '${s.trim()}'.`);
  return lit.value;
}

function clause(expr: string, advanced: boolean): Predicate {
  const e = expr.trim();
  const starts = /^startswith\(\s*([A-Za-z]+)\s*,\s*(.+)\)$/i.exec(e);
  if (starts) {
    const prop = resolveProp(starts[1]!, advanced);
    const value = literal(starts[2]!).toLowerCase();
    return (p) => propValue(p, prop).toLowerCase().startsWith(value);
  }
  const inList = /^([A-Za-z]+)\s+in\s+\((.*)\)$/i.exec(e);
  if (inList) {
    const prop = resolveProp(inList[1]!, advanced);
    const values = new Set(splitOutside(inList[2]!, ",").map((v) => literal(v).toLowerCase()));
    return (p) => values.has(propValue(p, prop).toLowerCase());
  }
  const eq = /^([A-Za-z]+)\s+(eq|ne)\s+(.+)$/i.exec(e);
  if (eq) {
    const prop = resolveProp(eq[1]!, advanced);
    const value = literal(eq[3]!).toLowerCase();
    const negate = eq[2]!.toLowerCase() === "ne";
    if (negate && !advanced) throw unsupported("Operator 'ne' is an advanced query: send 'ConsistencyLevel: eventual' and $count=true.");
    return (p) => (propValue(p, prop).toLowerCase() === value) !== negate;
  }
  throw unsupported(`Invalid filter clause: '${e}'.`);
}

/** `$filter` for users: startswith(), eq, ne (advanced), in, joined with and/or. */
export function parseUserFilter(filter: string, advanced: boolean): Predicate {
  const ors = splitOutside(filter, " or ").map((part) => {
    const ands = splitOutside(part, " and ").map((c) => clause(c, advanced));
    return (p: SeedPerson) => ands.every((f) => f(p));
  });
  return (p) => ors.some((f) => f(p));
}

/**
 * `$search="displayName:al"`: Graph tokenises the property into words and matches word prefixes,
 * case-insensitively. Clauses may be joined with OR / AND.
 */
export function parseUserSearch(search: string): Predicate {
  const clauses = search.split(/\s+(OR|AND)\s+/);
  const preds: Predicate[] = [];
  const ops: string[] = [];
  for (const [i, raw] of clauses.entries()) {
    if (i % 2 === 1) {
      ops.push(raw);
      continue;
    }
    const m = /^"([A-Za-z]+):([^"]*)"$/.exec(raw.trim());
    if (!m) throw new GraphError(400, "Request_UnsupportedQuery", `Syntax error: the $search clause '${raw.trim()}' must look like "property:term".`);
    const prop = [...BASIC_FILTER_PROPS, ...ADVANCED_FILTER_PROPS].find((k) => k.toLowerCase() === m[1]!.toLowerCase());
    if (!prop) throw new GraphError(400, "Request_UnsupportedQuery", `Unsupported $search property '${m[1]}' of resource 'User'.`);
    const term = m[2]!.toLowerCase();
    preds.push((p) => propValue(p, prop).toLowerCase().split(/[\s.@_-]+/).some((w) => w.startsWith(term)));
  }
  return (p) => {
    let result = preds[0]!(p);
    ops.forEach((op, i) => {
      const next = preds[i + 1]!(p);
      result = op === "OR" ? result || next : result && next;
    });
    return result;
  };
}
