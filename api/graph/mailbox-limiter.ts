/**
 * At most N requests in flight per mailbox. Outlook allows 4 concurrent requests per app per
 * mailbox (https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits) and
 * answers the 5th with 429; queuing here avoids paying a Retry-After for it.
 *
 * A `$batch` is one HTTP request but Outlook counts each of its Outlook items against the
 * mailbox it addresses, so a batch asks for several slots at once (`run` with a map of
 * mailbox → items): it starts when all of them are free and holds them until Graph answered.
 *
 * One limiter per factory (per API process): with several API instances each keeps its own
 * count, so the 429 retry still matters.
 */

/** Slots a request needs: one mailbox key, or mailbox key → number of Outlook requests for it. */
export type MailboxSlots = string | ReadonlyMap<string, number>;

interface Waiter {
  slots: number;
  grant: () => void;
  /** Later requests that started while this one, first in line, waited for more slots. */
  overtaken: number;
}

/**
 * How often a batch first in line may be overtaken by smaller requests that fit in the free
 * slots (so a slot does not sit idle behind a batch that needs two) before strict arrival order
 * applies: it cannot wait forever.
 */
const MAX_OVERTAKES = 8;

export class MailboxLimiter {
  private readonly keys = new Map<string, { active: number; waiting: Waiter[] }>();

  constructor(readonly maxConcurrent: number) {
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) throw new RangeError(`maxConcurrentPerMailbox must be a positive integer (got ${maxConcurrent}).`);
  }

  /**
   * Runs `task` once its slots are free. Waiters on a mailbox start in arrival order, except that
   * while the first in line needs more slots than are free, later ones that fit may start — at
   * most MAX_OVERTAKES times, so a batch needing 3 slots cannot starve. A batch needing more
   * than `maxConcurrent` slots of one mailbox takes all of them. An empty map runs at once (a
   * batch without Outlook items counts against no mailbox).
   */
  async run<T>(slots: MailboxSlots, task: () => Promise<T>): Promise<T> {
    // Keys are taken in one global (sorted) order, so two multi-mailbox batches cannot each hold
    // a slot the other waits for.
    const needs = (typeof slots === "string" ? [[slots, 1] as const] : [...slots]).filter(([, n]) => n > 0).map(([key, n]) => [key, Math.min(n, this.maxConcurrent)] as const);
    needs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const held: Array<readonly [string, number]> = [];
    try {
      for (const need of needs) {
        await this.acquire(need[0], need[1]);
        held.push(need);
      }
      return await task();
    } finally {
      for (const [key, n] of held) this.release(key, n);
    }
  }

  /** Slots currently taken for `key` (for tests and diagnostics). */
  inFlight(key: string): number {
    return this.keys.get(key)?.active ?? 0;
  }

  private acquire(key: string, slots: number): Promise<void> {
    let state = this.keys.get(key);
    if (state === undefined) {
      state = { active: 0, waiting: [] };
      this.keys.set(key, state);
    }
    const head = state.waiting[0];
    if (state.active + slots <= this.maxConcurrent && (head === undefined || head.overtaken < MAX_OVERTAKES)) {
      if (head) head.overtaken += 1;
      state.active += slots;
      return Promise.resolve();
    }
    const queue = state.waiting;
    return new Promise((grant) => queue.push({ slots, grant, overtaken: 0 }));
  }

  private release(key: string, slots: number): void {
    const state = this.keys.get(key);
    if (state === undefined) return;
    state.active -= slots;
    // Slots pass to waiters in arrival order while the first one in line fits…
    for (let head = state.waiting[0]; head !== undefined && state.active + head.slots <= this.maxConcurrent; head = state.waiting[0]) {
      state.waiting.shift();
      state.active += head.slots;
      head.grant();
    }
    // …then to later ones that fit in what is left, while the first in line may still be overtaken.
    const head = state.waiting[0];
    for (let i = 1; head !== undefined && i < state.waiting.length && state.active < this.maxConcurrent && head.overtaken < MAX_OVERTAKES; ) {
      const waiter = state.waiting[i]!;
      if (state.active + waiter.slots > this.maxConcurrent) {
        i += 1;
        continue;
      }
      state.waiting.splice(i, 1);
      head.overtaken += 1;
      state.active += waiter.slots;
      waiter.grant();
    }
    // Idle keys are dropped so a long-running process does not keep one entry per mailbox ever seen.
    if (state.active === 0 && state.waiting.length === 0) this.keys.delete(key);
  }
}

/**
 * Outlook resources under a user (`/me/…`, `/users/{id}/…`): what counts against the mailbox's
 * 4 concurrent requests. The profile, online meetings, chats, presence and the directory are
 * other services with other limits.
 */
const OUTLOOK_SEGMENTS = new Set(["events", "calendar", "calendars", "calendarview", "calendargroups", "mailboxsettings", "outlook", "todo", "messages", "mailfolders", "contacts", "contactfolders", "findmeetingtimes", "sendmail"]);

/** Is `path` (relative to the version root, query allowed) an Outlook request for some mailbox? */
export function isOutlookRequest(path: string): boolean {
  const segments = (path.split("?", 1)[0] ?? "").split("/").filter((s) => s !== "");
  const first = segments[0]?.toLowerCase();
  if (first === "me") return OUTLOOK_SEGMENTS.has(segments[1]?.toLowerCase() ?? "");
  if (first === "users") return OUTLOOK_SEGMENTS.has(segments[2]?.toLowerCase() ?? "");
  if (first !== undefined && /^users\('[^']+'\)$/.test(first)) return OUTLOOK_SEGMENTS.has(segments[1]?.toLowerCase() ?? "");
  return false;
}

/** Mailbox → Outlook requests among `urls` (keyed by `keyOf`); non-Outlook URLs take no slot. */
export function outlookSlots(urls: Iterable<string>, keyOf: (path: string) => string): Map<string, number> {
  const slots = new Map<string, number>();
  for (const url of urls) {
    const path = url.startsWith("/") ? url : `/${url}`;
    if (!isOutlookRequest(path)) continue;
    const key = keyOf(path);
    slots.set(key, (slots.get(key) ?? 0) + 1);
  }
  return slots;
}
