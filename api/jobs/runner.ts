import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { backoffDelay } from "../graph/retry";
import { graphErrorToAppError, isGraphRequestError } from "../shared/graph-error-mapping";
import { isAppError } from "../shared/errors";
import type { Logger } from "../shared/logger";
import type { Db, JobRow } from "../storage";
import { claimJob, findDueJobIds, listJobSteps, releaseJob, renewLease, setProgress, updateSteps } from "./repository";
import { LeaseLostError, RetryLaterError, type AnyJobHandler, type JobRunContext, type StepState, type StepStatus } from "./types";

export interface JobRunnerOptions {
  db: Db;
  handlers: readonly AnyJobHandler[];
  /** Unique per process; default host + random. */
  workerId?: string;
  clock?: () => Date;
  /** How long a claim is valid without a heartbeat; a crashed worker's jobs are taken over after it. Default 60 s. */
  leaseMs?: number;
  /** How often an idle runner looks for due jobs. Default 1 s. */
  pollMs?: number;
  /** Runs before a job with transient failures is given up. Default 8. */
  maxAttempts?: number;
  /** Backoff when the failure names no Retry-After: base doubles per attempt up to max. Defaults 2 s / 10 min. */
  backoff?: { baseDelayMs: number; maxDelayMs: number };
  /**
   * Jobs this runner runs at the same time (default 32). Jobs mostly wait on Graph — round trips,
   * Retry-After waits — and a booking spends only one of its round trips in the organiser's
   * mailbox, so it takes ~30 bookings at once to keep that mailbox's 4 slots busy (the cohort
   * bench). The Graph layer's per-mailbox limiter, not this number, keeps requests to one
   * mailbox within Outlook's 4.
   */
  concurrency?: number;
  logger?: Logger;
}

export interface JobRunner {
  readonly workerId: string;
  /** Starts polling in the background. */
  start(): void;
  /** Stops polling and waits for the jobs in hand to finish their current runs. */
  stop(): Promise<void>;
  /**
   * Claims and runs due jobs, up to `concurrency` at once, until none is due and none is in
   * hand; returns how many runs it made. A job queued while others run (a wake, or the next
   * poll tick) is picked up by a free slot.
   */
  runDue(): Promise<number>;
  /** Look for due jobs now (after an enqueue) instead of at the next poll. */
  wake(): void;
}

/** The user-facing error a job records: `{ code, message }` as JSON text. */
export interface JobError {
  code: string;
  message: string;
}

/** Transient failures are retried with backoff; everything else fails the job. */
export function classifyFailure(err: unknown): { retriable: boolean; retryAfterMs?: number; error: JobError } {
  if (err instanceof RetryLaterError) return { retriable: true, ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}), error: { code: err.code, message: err.message } };
  if (isGraphRequestError(err)) {
    const app = graphErrorToAppError(err);
    // 502 graph_invalid_response (a body we cannot use) will not fix itself by waiting.
    const transient = err.status === 0 || err.status === 408 || err.status === 429 || (err.status >= 500 && err.code !== "graph_invalid_response");
    return { retriable: transient, ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}), error: { code: app.code, message: app.message } };
  }
  if (isAppError(err)) {
    const transient = err.code === "graph_throttled" || err.code === "graph_unavailable" || err.code === "service_unavailable";
    return { retriable: transient, error: { code: err.code, message: err.message } };
  }
  return { retriable: false, error: { code: "internal", message: err instanceof Error ? err.message : String(err) } };
}

/**
 * The durable job runner over the `jobs` table: claims a due job with a lease
 * (locked_by/locked_until, one conditional UPDATE, so instances sharing PostgreSQL never run a
 * job twice at once), runs its handler with recorded steps, and on a transient failure queues it
 * again after Retry-After or an exponential backoff. A worker that dies leaves its lease to
 * expire; the next worker resumes the job at the step that was not done.
 */
export function createJobRunner(opts: JobRunnerOptions): JobRunner {
  const db = opts.db;
  const clock = opts.clock ?? (() => new Date());
  const workerId = opts.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = opts.leaseMs ?? 60_000;
  const pollMs = opts.pollMs ?? 1_000;
  const maxAttempts = opts.maxAttempts ?? 8;
  const backoff = opts.backoff ?? { baseDelayMs: 2_000, maxDelayMs: 600_000 };
  const concurrency = opts.concurrency ?? 32;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer (got ${concurrency}).`);
  const handlers = new Map(opts.handlers.map((h) => [h.type, h]));
  const logger = opts.logger;

  let running = false;
  /** Set by stop(): runs in hand finish, no new job is claimed. */
  let stopping = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let pendingWake = false;
  /** Resolves the current "something was queued" signal that runDue waits on while jobs run. */
  let kick: (() => void) | undefined;
  /** Every run in hand, whichever runDue started it (stop() waits for them). */
  const inHand = new Set<Promise<void>>();

  async function runOne(job: JobRow): Promise<void> {
    const handler = handlers.get(job.type);
    if (!handler) return;
    // When the lease was last known to be ours (claimed or renewed): it runs leaseMs from then.
    let leaseConfirmedAt = job.locked_until ? Date.parse(job.locked_until) - leaseMs : clock().getTime();
    const heartbeat = setInterval(() => {
      const at = clock();
      void renewLease(db, job.id, workerId, at, leaseMs).then(
        (ok) => void (ok && (leaseConfirmedAt = Math.max(leaseConfirmedAt, at.getTime()))),
        () => undefined,
      );
    }, Math.max(50, Math.floor(leaseMs / 3)));
    heartbeat.unref?.();

    const rows = await listJobSteps(db, job.id);
    const steps = new Map<string, StepState>(
      handler.steps.map((def) => {
        const row = rows.find((r) => r.name === def.name);
        return [def.name, { name: def.name, label: def.label, status: (row?.status ?? "pending") as StepStatus, attempts: row?.attempts ?? 0, output: row?.output ? (JSON.parse(row.output) as unknown) : undefined }];
      }),
    );
    const doneCount = () => [...steps.values()].filter((s) => s.status === "done").length;
    const holdLease = async () => {
      const now = clock();
      // Confirmed within the last third of the lease: at least two thirds of it remain, and no
      // worker can claim a job before its lease ends, so it is still ours without asking the
      // database (every recorded step and every circle of a cohort used to cost an UPDATE here).
      if (now.getTime() - leaseConfirmedAt < leaseMs / 3) return;
      if (!(await renewLease(db, job.id, workerId, now, leaseMs))) throw new LeaseLostError(job.id);
      leaseConfirmedAt = Math.max(leaseConfirmedAt, now.getTime());
    };

    try {
      const parsed = handler.payloadSchema.safeParse(JSON.parse(job.payload));
      if (!parsed.success) throw new Error(`Job ${job.id} has an invalid ${job.type} payload: ${parsed.error.message}`);
      const ctx: JobRunContext<never> = {
        jobId: job.id,
        // The handler's own schema produced it: its P.
        payload: parsed.data as never,
        attempt: job.attempts,
        now: clock,
        step(name) {
          const s = steps.get(name);
          if (!s) throw new Error(`Job type ${job.type} has no step "${name}".`);
          return { ...s };
        },
        async begin(...names) {
          await holdLease();
          await updateSteps(db, job.id, names, { status: "running", error: null, addAttempt: true }, clock());
          for (const n of names) {
            const s = steps.get(n);
            if (s) {
              s.status = "running";
              s.attempts += 1;
            }
          }
        },
        async done(name, output) {
          await holdLease();
          await updateSteps(db, job.id, [name], { status: "done", output: output === undefined ? null : JSON.stringify(output), error: null }, clock());
          const s = steps.get(name);
          if (s) {
            s.status = "done";
            s.output = output;
          }
          await setProgress(db, job.id, workerId, doneCount());
        },
        holdLease,
      };
      const continuation = await handler.run(ctx);
      if (continuation) {
        const now = clock();
        await releaseJob(
          db,
          job.id,
          workerId,
          { status: "queued", error: continuation.note ? JSON.stringify(continuation.note) : null, runAfter: new Date(now.getTime() + Math.max(0, continuation.continueAfterMs)), progressDone: doneCount(), refundAttempt: true },
          now,
        );
        wakeWhenDue(continuation.continueAfterMs);
        return;
      }
      await releaseJob(db, job.id, workerId, { status: "succeeded", error: null, progressDone: doneCount() }, clock());
    } catch (err) {
      if (err instanceof LeaseLostError) {
        logger?.warn({ jobId: job.id, workerId }, "job lease lost; another worker continues it");
        return;
      }
      const failure = classifyFailure(err);
      const now = clock();
      const started = [...steps.values()].filter((s) => s.status === "running").map((s) => s.name);
      await updateSteps(db, job.id, started, { status: "failed", error: failure.error.message }, now);
      const retry = failure.retriable && job.attempts < maxAttempts;
      const delay = failure.retryAfterMs ?? backoffDelay(job.attempts - 1, backoff);
      await releaseJob(db, job.id, workerId, { status: retry ? "queued" : "failed", error: JSON.stringify(failure.error), ...(retry ? { runAfter: new Date(now.getTime() + delay) } : {}), progressDone: doneCount() }, now);
      if (retry) wakeWhenDue(delay);
      logger?.[retry ? "warn" : "error"]({ jobId: job.id, type: job.type, attempt: job.attempts, retryInMs: retry ? delay : undefined, err }, retry ? "job run failed; will retry" : "job failed");
    } finally {
      clearInterval(heartbeat);
    }
  }

  /**
   * A job this runner queued for later (a continuation or a retry) is looked for when it is due,
   * not at the next poll (up to `pollMs` later). Later than a minute is left to the polling.
   */
  const dueTimers = new Set<ReturnType<typeof setTimeout>>();
  function wakeWhenDue(delayMs: number): void {
    if (!running || delayMs > 60_000) return;
    const timer = setTimeout(() => {
      dueTimers.delete(timer);
      wake();
    }, Math.max(0, delayMs));
    timer.unref?.();
    dueTimers.add(timer);
  }

  function wake(): void {
    pendingWake = true;
    wakeUp?.();
    kick?.();
  }

  /**
   * Claims due jobs, one at a time, handing each to `start` at once, while `free()` slots remain.
   * One look at the queue serves several claims (another worker may win a race for a job: then
   * the next one). Returns whether it claimed any.
   */
  async function claimDue(free: () => number, start: (job: JobRow) => void): Promise<boolean> {
    let claimedAny = false;
    while (!stopping && free() > 0) {
      const limit = free() + 4;
      const ids = await findDueJobIds(db, [...handlers.keys()], clock(), limit);
      let claimed = 0;
      for (const id of ids) {
        if (stopping || free() === 0) break;
        const job = await claimJob(db, id, workerId, clock(), leaseMs);
        if (!job) continue;
        claimed += 1;
        start(job);
      }
      claimedAny ||= claimed > 0;
      // Nothing claimable, or the queue had no more due jobs than we saw.
      if (claimed === 0 || ids.length < limit) break;
    }
    return claimedAny;
  }

  async function runDue(): Promise<number> {
    let runs = 0;
    const mine = new Set<Promise<void>>();
    for (;;) {
      // Armed before looking, so a job queued during the look is not missed.
      const kicked = new Promise<void>((resolve) => {
        kick = resolve;
      });
      await claimDue(
        () => concurrency - Math.max(mine.size, inHand.size),
        (job) => {
          const run: Promise<void> = runOne(job)
            .catch((err: unknown) => logger?.error({ err, jobId: job.id }, "job run could not be recorded"))
            .finally(() => {
              mine.delete(run);
              inHand.delete(run);
            });
          mine.add(run);
          inHand.add(run);
          runs += 1;
        },
      );
      if (mine.size === 0) return runs;
      // A slot frees up, a job is queued (wake), or the poll interval passes (jobs queued by
      // other instances, backoffs that ended): look again.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const tick = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, pollMs);
        timer.unref?.();
      });
      await Promise.race([...mine, kicked, tick]);
      clearTimeout(timer);
    }
  }

  async function poll(): Promise<void> {
    while (running) {
      try {
        pendingWake = false;
        await runDue();
      } catch (err) {
        logger?.error({ err }, "job runner poll failed");
      }
      if (!running) break;
      if (pendingWake) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        timer.unref?.();
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = undefined;
    }
  }

  return {
    workerId,
    start() {
      if (running) return;
      running = true;
      stopping = false;
      loop = poll();
    },
    async stop() {
      running = false;
      stopping = true;
      for (const timer of dueTimers) clearTimeout(timer);
      dueTimers.clear();
      wakeUp?.();
      await loop;
      await Promise.all([...inHand]);
      loop = undefined;
    },
    runDue,
    wake,
  };
}
