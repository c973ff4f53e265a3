import type { Db } from "../storage";
import { saveAppliedIntents, type AppliedIntent } from "./repository";

interface Waiting {
  input: AppliedIntent;
  resolve: (stored: boolean) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for the live session's intents. Each `save` resolves only once its transaction has
 * committed (an accepted intent is never lost by a crash of this process), but every intent that
 * arrives while a commit is running, or in the same turn of the event loop, shares the next
 * transaction: at 500 intents/s one instance commits a few dozen times a second instead of 500.
 */
export class IntentWriter {
  private queue: Waiting[] = [];
  private scheduled = false;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly store: (db: Db, batch: readonly AppliedIntent[]) => Promise<boolean[]> = saveAppliedIntents,
  ) {}

  /**
   * Queues one applied intent for the next commit.
   * @returns whether it was stored (false: the run's stored version moved on, nothing was written).
   * @throws the database error when the write failed.
   */
  save(input: AppliedIntent): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves when everything queued so far is committed (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.flushing || this.scheduled) {
      await (this.flushing ?? new Promise((r) => setImmediate(r)));
    }
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    // After the current I/O phase: every request parsed in this turn joins the same transaction.
    setImmediate(() => {
      this.scheduled = false;
      this.flushing = this.flush().finally(() => {
        this.flushing = undefined;
        if (this.queue.length > 0) this.schedule();
      });
    });
  }

  private async flush(): Promise<void> {
    // One write per session per transaction (each is conditional on the version before it); a
    // second one for the same session waits for the next commit.
    const sessions = new Set<string>();
    const batch: Waiting[] = [];
    const later: Waiting[] = [];
    for (const waiting of this.queue) {
      if (sessions.has(waiting.input.sessionId)) later.push(waiting);
      else {
        sessions.add(waiting.input.sessionId);
        batch.push(waiting);
      }
    }
    this.queue = later;
    try {
      const stored = await this.store(this.db, batch.map((w) => w.input));
      batch.forEach((w, i) => w.resolve(stored[i] === true));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      // One bad write must not sink the others: store them one by one, each with its own outcome.
      for (const w of batch) {
        try {
          const [stored] = await this.store(this.db, [w.input]);
          w.resolve(stored === true);
        } catch (single) {
          w.reject(single);
        }
      }
    }
  }
}
