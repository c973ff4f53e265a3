import type { NextFunction, Request, Response } from "express";
import { GraphError } from "./errors.js";
import { seededRandom } from "../shared/random.js";

/**
 * Injected faults and the mailbox concurrency limit — the failure modes Graph clients must
 * survive (platform-facts.md, "Graph limits and faults"): 429 with Retry-After, 503/504, slow
 * responses, and Outlook's 4 concurrent requests per app per mailbox.
 */
export interface FaultRule {
  match?: {
    method?: string;
    /** A substring of the path after /v1.0 (query included), or a RegExp. */
    path?: string | RegExp;
  };
  /** Answer with this status; omit for a latency-only rule. */
  status?: 429 | 503 | 504;
  retryAfterSeconds?: number;
  /** 0..1, drawn from the seeded PRNG; default 1. */
  probability?: number;
  /** Fire this many times, then the rule disappears; default unlimited. */
  times?: number;
  /** Delay before answering (the request keeps its concurrency slot meanwhile). */
  latencyMs?: number;
}

export interface FaultRuleInfo extends FaultRule {
  id: string;
  fired: number;
}

export interface FaultInjector {
  /** Adds a rule, returns its id. Rules apply to every Graph request, $batch items included. */
  add(rule: FaultRule): string;
  remove(id: string): void;
  /** Removes every rule (the concurrency limit is untouched). */
  clear(): void;
  list(): FaultRuleInfo[];
  /** Reseeds the PRNG that decides `probability` rules (default seed 1: runs are repeatable). */
  seed(seed: number): void;
  /** The per-mailbox in-flight limit; null switches it off. Default 4, like Outlook. */
  setConcurrencyLimit(limit: number | null): void;
  concurrencyLimit(): number | null;
  /** Restores the defaults: no rules, limit 4, seed 1. */
  reset(): void;
}

export interface FaultDecision {
  status?: 429 | 503 | 504;
  retryAfterSeconds?: number;
  latencyMs: number;
}

export const DEFAULT_CONCURRENCY_LIMIT = 4;


export class FaultEngine implements FaultInjector {
  private rules: FaultRuleInfo[] = [];
  private next = 1;
  private random = seededRandom(1);
  private limit: number | null = DEFAULT_CONCURRENCY_LIMIT;
  private readonly inFlight = new Map<string, number>();

  add(rule: FaultRule): string {
    const id = `fault-${this.next++}`;
    this.rules.push({ ...rule, id, fired: 0 });
    return id;
  }
  remove(id: string): void {
    this.rules = this.rules.filter((r) => r.id !== id);
  }
  clear(): void {
    this.rules = [];
  }
  list(): FaultRuleInfo[] {
    return this.rules.map((r) => ({ ...r }));
  }
  seed(seed: number): void {
    this.random = seededRandom(seed);
  }
  setConcurrencyLimit(limit: number | null): void {
    this.limit = limit;
  }
  concurrencyLimit(): number | null {
    return this.limit;
  }
  reset(): void {
    this.clear();
    this.limit = DEFAULT_CONCURRENCY_LIMIT;
    this.seed(1);
  }

  /** Every matching rule may add latency; the first matching rule with a status decides it. */
  decide(method: string, path: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    for (const rule of [...this.rules]) {
      if (!matches(rule, method, path)) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      if (rule.status !== undefined && decision.status !== undefined) continue;
      rule.fired += 1;
      if (rule.times !== undefined && rule.fired >= rule.times) this.remove(rule.id);
      decision.latencyMs = Math.max(decision.latencyMs, rule.latencyMs ?? 0);
      if (rule.status !== undefined) {
        decision.status = rule.status;
        if (rule.retryAfterSeconds !== undefined) decision.retryAfterSeconds = rule.retryAfterSeconds;
      }
    }
    return decision;
  }

  /** Takes a slot for `mailbox`; false when the limit is reached. */
  acquire(mailbox: string): boolean {
    const n = this.inFlight.get(mailbox) ?? 0;
    if (this.limit !== null && n >= this.limit) return false;
    this.inFlight.set(mailbox, n + 1);
    return true;
  }
  release(mailbox: string): void {
    const n = (this.inFlight.get(mailbox) ?? 1) - 1;
    if (n <= 0) this.inFlight.delete(mailbox);
    else this.inFlight.set(mailbox, n);
  }
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  const m = rule.match;
  if (!m) return true;
  if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false;
  if (m.path instanceof RegExp) return m.path.test(path);
  if (typeof m.path === "string") return path.includes(m.path);
  return true;
}

/** "/re/flags" in JSON means a RegExp; anything else is a substring. */
export function parsePathMatcher(path: string): string | RegExp {
  const m = /^\/(.+)\/([gimsuy]*)$/.exec(path);
  if (m?.[1] && /[\\^$*+?()[\]{}|]/.test(m[1])) return new RegExp(m[1], m[2]);
  return path;
}

// Outlook resources: these count against the per-mailbox concurrency limit. Directory reads
// (/me, /manager) and Teams resources are other services with other limits.
const MAILBOX_SEGMENTS = new Set(["events", "calendar", "calendars", "calendarview", "mailboxsettings", "outlook", "todo", "messages", "mailfolders", "findmeetingtimes"]);

export interface ThrottleDeps {
  faults: FaultEngine;
  /** Maps a `/users/{idOrUpn}` segment to an object id, undefined for unknown users. */
  resolveUser(idOrUpn: string): string | undefined;
  onFault(kind: "injected" | "throttled", status?: number): void;
  /** Every request that counts against a mailbox's concurrency (before the check). */
  onMailboxRequest?(): void;
  sleep?: (ms: number) => Promise<void>;
}

/** The mailbox a Graph path addresses, if it is an Outlook resource. */
export function mailboxOf(path: string, callerId: string | undefined, resolveUser: (x: string) => string | undefined): string | undefined {
  const segs = path.split("?")[0]!.split("/").filter(Boolean);
  if (segs[0] === "me" && segs[1] && MAILBOX_SEGMENTS.has(segs[1].toLowerCase())) return callerId;
  if (segs[0] === "users" && segs[1] && segs[2] && MAILBOX_SEGMENTS.has(segs[2].toLowerCase())) return resolveUser(decodeURIComponent(segs[1]));
  return undefined;
}

/**
 * Express middleware for /v1.0 (after auth): concurrency slot, injected latency, injected status.
 * `req.url` is relative to /v1.0 here.
 */
export function createThrottleMiddleware(deps: ThrottleDeps) {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const path = req.url;
    const mailbox = mailboxOf(path, res.locals.callerId as string | undefined, deps.resolveUser);
    if (mailbox) {
      deps.onMailboxRequest?.();
      if (!deps.faults.acquire(mailbox)) {
        deps.onFault("throttled");
        throw new GraphError(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", { "Retry-After": "1" });
      }
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        deps.faults.release(mailbox);
      };
      res.once("finish", release);
      res.once("close", release);
    }
    const decision = deps.faults.decide(req.method, path);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    if (decision.status !== undefined) {
      deps.onFault("injected", decision.status);
      const headers: Record<string, string> = {};
      if (decision.retryAfterSeconds !== undefined || decision.status === 429) headers["Retry-After"] = String(decision.retryAfterSeconds ?? 1);
      if (decision.status === 429) throw new GraphError(429, "TooManyRequests", "Please retry again later.", headers);
      if (decision.status === 503) throw new GraphError(503, "ServiceUnavailable", "The service is temporarily unavailable. Please retry.", headers);
      throw new GraphError(504, "GatewayTimeout", "The gateway did not receive a response in time.", headers);
    }
    next();
  };
}
