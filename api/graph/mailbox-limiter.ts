/**
 * At most N requests in flight per mailbox. Outlook allows 4 concurrent requests per app per
 * mailbox (https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits) and
 * answers the 5th with 429; queuing here avoids paying a Retry-After for it.
 *
 * One limiter per factory (per API process): with several API instances each keeps its own
 * count, so the 429 retry still matters.
 */
export class MailboxLimiter {
  private readonly slots = new Map<string, { active: number; waiting: Array<() => void> }>();

  constructor(readonly maxConcurrent: number) {
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) throw new RangeError(`maxConcurrentPerMailbox must be a positive integer (got ${maxConcurrent}).`);
  }

  /** Runs `task` when a slot for `key` is free; waiting tasks start in arrival order. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    await this.acquire(key);
    try {
      return await task();
    } finally {
      this.release(key);
    }
  }

  /** Requests currently running for `key` (for tests and diagnostics). */
  inFlight(key: string): number {
    return this.slots.get(key)?.active ?? 0;
  }

  private acquire(key: string): Promise<void> {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = { active: 0, waiting: [] };
      this.slots.set(key, slot);
    }
    if (slot.active < this.maxConcurrent) {
      slot.active += 1;
      return Promise.resolve();
    }
    const queue = slot.waiting;
    return new Promise((resolve) => queue.push(resolve));
  }

  private release(key: string): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    const next = slot.waiting.shift();
    if (next !== undefined) {
      // The slot passes straight to the next waiter, so `active` stays the same.
      next();
      return;
    }
    slot.active -= 1;
    // Idle keys are dropped so a long-running process does not keep one entry per mailbox ever seen.
    if (slot.active === 0) this.slots.delete(key);
  }
}
