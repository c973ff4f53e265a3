import type { Request } from "express";
import { badRequest, GraphError } from "./errors.js";

/** One query option as a string (Express's parser may give arrays for repeated keys). */
export function queryOption(req: Request, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  if (Array.isArray(v)) return typeof v[0] === "string" ? v[0] : undefined;
  return typeof v === "string" ? v : undefined;
}

export function parseTop(req: Request, defaultTop: number, maxTop: number): number {
  const raw = queryOption(req, "$top");
  if (raw === undefined) return defaultTop;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > maxTop) {
    throw new GraphError(400, "Request_BadRequest", `Invalid page size specified: '${raw}'. Must be between 1 and ${maxTop} inclusive.`);
  }
  return n;
}

/** Paging state lives in an opaque $skiptoken, as in Graph; clients must follow @odata.nextLink. */
export function decodeSkipToken(req: Request): number {
  const raw = queryOption(req, "$skiptoken");
  if (raw === undefined) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as { o?: unknown };
    if (typeof parsed.o === "number" && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through
  }
  throw badRequest("Invalid $skiptoken.");
}

/** The same request with the next $skiptoken; `$` stays literal in option names, as in Graph's links. */
export function nextLink(baseUrl: string, req: Request, offset: number): string {
  const url = new URL(`${baseUrl}${req.originalUrl}`);
  url.searchParams.set("$skiptoken", Buffer.from(JSON.stringify({ o: offset })).toString("base64url"));
  const query = [...url.searchParams].map(([k, v]) => `${encodeURIComponent(k).replace(/^%24/, "$")}=${encodeURIComponent(v)}`).join("&");
  return `${url.origin}${url.pathname}?${query}`;
}

/** `$select=a,b` → ["a","b"]; each name must be one of `known` (case-insensitive), like Graph. */
export function parseSelect(req: Request, known: readonly string[] | undefined, typeName: string): string[] | undefined {
  const raw = queryOption(req, "$select");
  if (raw === undefined || raw.trim() === "") return undefined;
  const names = raw.split(",").map((s) => s.trim()).filter(Boolean);
  if (!known) return names;
  const lower = new Map(known.map((k) => [k.toLowerCase(), k]));
  return names.map((n) => {
    const k = lower.get(n.toLowerCase());
    if (!k) throw new GraphError(400, "Request_BadRequest", `Could not find a property named '${n}' on type '${typeName}'.`);
    return k;
  });
}

/** Keeps `id` (Graph always returns it) and the selected properties; missing ones are null. */
export function applySelect(entity: Record<string, unknown>, select: string[] | undefined, defaults: readonly string[]): Record<string, unknown> {
  const keys = select ?? defaults;
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = entity[k] ?? null;
  out.id = entity.id;
  return out;
}

/** A single-quoted OData string literal ('' escapes a quote) starting at `s`. */
export function parseStringLiteral(s: string): { value: string; rest: string } | undefined {
  if (!s.startsWith("'")) return undefined;
  let value = "";
  let i = 1;
  while (i < s.length) {
    const c = s[i]!;
    if (c === "'") {
      if (s[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return { value, rest: s.slice(i + 1) };
    }
    value += c;
    i += 1;
  }
  return undefined;
}

/** Splits on a keyword (` and `, ` or `) outside string literals and parentheses. */
export function splitOutside(expr: string, keyword: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  const kw = keyword.toLowerCase();
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === "(") depth++;
    else if (!quoted && c === ")") depth--;
    else if (!quoted && depth === 0 && expr.slice(i, i + kw.length).toLowerCase() === kw) {
      parts.push(expr.slice(start, i));
      start = i + kw.length;
      i += kw.length - 1;
    }
  }
  parts.push(expr.slice(start));
  return parts.map((p) => p.trim());
}
