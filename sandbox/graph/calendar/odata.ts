import type { Request } from "express";
import { badRequest } from "../errors.js";
import type { OutputZone } from "./render-event.js";
import { UTC_OUTPUT } from "./render-event.js";
import { findIanaZone } from "./time-zones.js";

/**
 * The OData query options and Prefer headers the calendar honours, parsed once per request.
 * Unsupported filter shapes answer 400 like Graph rather than being ignored, so a product
 * query that would fail in Microsoft 365 fails here too.
 */

export interface QueryOptions {
  top?: number;
  skip: number;
  select?: string[];
  filter?: (event: Record<string, unknown>) => boolean;
  expandExtensions?: { ids?: string[] };
  /** `$expand=singleValueExtendedProperties($filter=id eq '…')`: Graph requires the filter. */
  expandSingleValue?: { ids: string[] };
  orderBy?: { path: string; desc: boolean };
}

/** Outlook's page size when the client sends no $top. */
export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 1000;

function queryString(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  if (typeof v === "string") return v;
  throw badRequest(`The query option '${name}' was given more than once.`);
}

export function parseQueryOptions(req: Request): QueryOptions {
  const opts: QueryOptions = { skip: 0 };
  const top = queryString(req, "$top");
  if (top !== undefined) {
    const n = Number(top);
    if (!Number.isInteger(n) || n < 0) throw badRequest(`Invalid value '${top}' for $top query option found.`);
    opts.top = Math.min(n, MAX_PAGE_SIZE);
  }
  const skip = queryString(req, "$skip");
  if (skip !== undefined) {
    const n = Number(skip);
    if (!Number.isInteger(n) || n < 0) throw badRequest(`Invalid value '${skip}' for $skip query option found.`);
    opts.skip = n;
  }
  const select = queryString(req, "$select");
  if (select) opts.select = select.split(",").map((s) => s.trim()).filter(Boolean);
  const expand = queryString(req, "$expand");
  if (expand) {
    // Several navigation properties may be expanded at once: "extensions(…),singleValueExtendedProperties(…)".
    for (const part of splitTopLevel(expand, /,/y)) {
      if (/^\s*singleValueExtendedProperties\b/i.test(part)) opts.expandSingleValue = parseSingleValueExpand(part);
      else opts.expandExtensions = parseExpand(part);
    }
  }
  const filter = queryString(req, "$filter");
  if (filter) opts.filter = parseFilter(filter);
  const orderBy = queryString(req, "$orderby");
  if (orderBy) {
    const m = /^\s*([A-Za-z/]+)(?:\s+(asc|desc))?\s*$/i.exec(orderBy);
    if (!m?.[1]) throw badRequest(`The $orderby '${orderBy}' is not supported.`);
    opts.orderBy = { path: m[1], desc: (m[2] ?? "").toLowerCase() === "desc" };
  }
  return opts;
}

function parseExpand(expand: string): { ids?: string[] } {
  const m = /^\s*extensions\s*(?:\((.*)\))?\s*$/i.exec(expand);
  if (!m) throw badRequest(`Parsing OData Select and Expand failed: Could not find a property named '${expand.split("(")[0]}' on type 'microsoft.graph.event'.`);
  const inner = m[1];
  if (!inner) return {};
  const ids = [...inner.matchAll(/id\s+eq\s+'((?:[^']|'')*)'/gi)].map((x) => (x[1] ?? "").replace(/''/g, "'"));
  if (ids.length === 0) throw badRequest(`The $expand option '${expand}' is not supported.`);
  return { ids };
}

/** Graph answers 400 to an unfiltered expand of extended properties (they can't be listed). */
function parseSingleValueExpand(expand: string): { ids: string[] } {
  const m = /^\s*singleValueExtendedProperties\s*\(\s*\$filter\s*=(.*)\)\s*$/is.exec(expand);
  const ids = m ? [...(m[1] ?? "").matchAll(/id\s+eq\s+'((?:[^']|'')*)'/gi)].map((x) => (x[1] ?? "").replace(/''/g, "'")) : [];
  if (ids.length === 0) throw badRequest("Extended properties can only be expanded with $filter=id eq '…' (one or more ids, joined by or).", "ErrorInvalidUrlQueryFilter");
  return { ids };
}

type Literal = string | number | boolean | null;

function parseLiteral(raw: string): Literal {
  const s = raw.trim();
  if (/^'.*'$/s.test(s)) return s.slice(1, -1).replace(/''/g, "'");
  if (/^(true|false)$/i.test(s)) return s.toLowerCase() === "true";
  if (/^null$/i.test(s)) return null;
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})?$/.test(s)) return s;
  throw badRequest("Invalid filter clause");
}

function getPath(obj: Record<string, unknown>, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split("/")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const DATE_LIKE = /^\d{4}-\d{2}-\d{2}T/;

function compare(a: unknown, b: Literal): number | undefined {
  if (typeof a === "string" && typeof b === "string" && DATE_LIKE.test(a) && DATE_LIKE.test(b)) {
    // Graph compares start/dateTime etc. in UTC; dateTime strings without offset are UTC.
    const toMs = (s: string) => Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(s) ? s : `${s.slice(0, 23)}Z`);
    return toMs(a) - toMs(b);
  }
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (a === null || a === undefined) return b === null ? 0 : undefined;
  return undefined;
}

function splitTopLevel(filter: string, sep: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inQuote = false;
  let last = 0;
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i];
    if (c === "'") inQuote = !inQuote;
    else if (!inQuote && c === "(") depth++;
    else if (!inQuote && c === ")") depth--;
    else if (!inQuote && depth === 0) {
      sep.lastIndex = i;
      const m = sep.exec(filter);
      if (m && m.index === i) {
        parts.push(filter.slice(last, i));
        last = i + m[0].length;
        i = last - 1;
      }
    }
  }
  parts.push(filter.slice(last));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** Supports `and`/`or` of comparisons (eq ne gt ge lt le), categories/any and extensions/any. */
export function parseFilter(filter: string): (event: Record<string, unknown>) => boolean {
  const ors = splitTopLevel(filter, /\s+or\s+/iy);
  const clauses = ors.map((or) => splitTopLevel(or, /\s+and\s+/iy).map(parseClause));
  return (event) => clauses.some((ands) => ands.every((c) => c(event)));
}

function parseClause(clause: string): (event: Record<string, unknown>) => boolean {
  let s = clause.trim();
  while (s.startsWith("(") && s.endsWith(")")) s = s.slice(1, -1).trim();
  const any = /^(categories|extensions)\/any\(\s*(\w+)\s*:\s*(.+)\)$/i.exec(s);
  if (any) {
    const [, collection = "", variable = "", inner = ""] = any;
    const cond = new RegExp(`^${variable}(/id)?\\s+eq\\s+('(?:[^']|'')*')$`, "i").exec(inner.trim());
    if (!cond?.[2]) throw badRequest("Invalid filter clause");
    const wanted = String(parseLiteral(cond[2])).toLowerCase();
    if (collection.toLowerCase() === "categories") {
      return (e) => Array.isArray(e.categories) && e.categories.some((c) => String(c).toLowerCase() === wanted);
    }
    return (e) => Array.isArray(e.extensions) && e.extensions.some((x) => String((x as { id?: unknown }).id ?? "").toLowerCase() === wanted);
  }
  const cmp = /^([A-Za-z][\w/]*)\s+(eq|ne|gt|ge|lt|le)\s+(.+)$/i.exec(s);
  if (!cmp) throw badRequest("Invalid filter clause");
  const [, path = "", opRaw = "", rawValue = ""] = cmp;
  const value = parseLiteral(rawValue);
  const op = opRaw.toLowerCase();
  return (e) => {
    const c = compare(getPath(e, path), value);
    if (c === undefined) return op === "ne";
    switch (op) {
      case "eq":
        return c === 0;
      case "ne":
        return c !== 0;
      case "gt":
        return c > 0;
      case "ge":
        return c >= 0;
      case "lt":
        return c < 0;
      default:
        return c <= 0;
    }
  };
}

/** Keeps `@odata.etag`, `id` and the selected properties. */
export function applySelect(event: Record<string, unknown>, select: string[] | undefined): Record<string, unknown> {
  if (!select) return event;
  const out: Record<string, unknown> = { "@odata.etag": event["@odata.etag"], id: event.id };
  for (const key of select) if (key in event) out[key] = event[key];
  if ("extensions" in event) out.extensions = event.extensions;
  if ("singleValueExtendedProperties" in event) out.singleValueExtendedProperties = event.singleValueExtendedProperties;
  return out;
}

/**
 * `Prefer: outlook.timezone="…"` (Windows or IANA name). Unknown names fall back to UTC and
 * are not reported in Preference-Applied.
 */
export function parsePreferTimeZone(req: Request): { out: OutputZone; applied?: string } {
  const raw = req.headers.prefer;
  const header = Array.isArray(raw) ? raw.join(",") : (raw ?? "");
  const m = /outlook\.timezone\s*=\s*("([^"]*)"|[^,;\s]+)/i.exec(header);
  if (!m) return { out: UTC_OUTPUT };
  const name = (m[2] ?? m[1] ?? "").trim();
  const zone = findIanaZone(name);
  if (!zone) return { out: UTC_OUTPUT };
  return { out: { zone, name }, applied: `outlook.timezone="${name}"` };
}

/** Absolute URL of this request with a new $skip, for @odata.nextLink. */
export function nextLinkFor(req: Request, skip: number): string {
  const url = new URL(req.originalUrl, `${req.protocol}://${req.get("host") ?? "localhost"}`);
  url.searchParams.set("$skip", String(skip));
  return url.toString();
}

/** `@odata.context` base for this request's mailbox. */
export function metadataBase(req: Request): string {
  return `${req.protocol}://${req.get("host") ?? "localhost"}/v1.0/$metadata`;
}
