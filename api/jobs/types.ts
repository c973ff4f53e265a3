import type { z } from "zod";

/** A step as a job type declares it: a stable name (recorded) and a label people read. */
export interface StepDefinition {
  name: string;
  label: string;
}

export type StepStatus = "pending" | "running" | "done" | "failed";

/** A step as recorded now. `attempts > 0` means it was started before: it may have had effects. */
export interface StepState {
  name: string;
  label: string;
  status: StepStatus;
  attempts: number;
  output: unknown;
}

/** What a handler sees while it runs a job it holds the lease on. */
export interface JobRunContext<P> {
  jobId: string;
  payload: P;
  /** 1 for the first run, 2 after one failure … */
  attempt: number;
  now(): Date;
  step(name: string): StepState;
  /** Marks steps running (and counts an attempt) before their effects are sent. */
  begin(...names: string[]): Promise<void>;
  /** Records a step as done with what it produced; progress advances. */
  done(name: string, output?: unknown): Promise<void>;
  /**
   * Makes sure the lease is still this worker's (renewing it when it was last confirmed more than
   * a third of the lease ago), throwing LeaseLostError when another worker holds the job now:
   * call it before an effect that `begin` does not guard (one of many items inside a step).
   */
  holdLease(): Promise<void>;
}

/**
 * A durable job type. `run` is called again after a failure or a crash; it must skip steps that
 * are done and, for a step that was started before (`attempts > 0`), look for its effect before
 * repeating it. Throwing fails the current run: retried with backoff when the error is
 * transient (see `isRetriable`), the job fails otherwise.
 */
export interface JobHandler<P> {
  type: string;
  payloadSchema: z.ZodType<P>;
  steps: readonly StepDefinition[];
  /** Resolves when the job is finished, or with a {@link JobContinuation} when it is not finished yet. */
  run(ctx: JobRunContext<P>): Promise<void | JobContinuation>;
}

/**
 * "Not finished, nothing failed: run me again later" — for a job that follows other jobs (a
 * cohort waiting for its circles' bookings) or waits for someone (an owner to sign in again).
 * The runner queues it again after `afterMs` without counting the run as a failed attempt, so
 * waiting never exhausts `maxAttempts`. `note` says what it waits for (shown to people).
 */
export interface JobContinuation {
  continueAfterMs: number;
  note?: { code: string; message: string };
}

/** Any handler, whatever its payload (each parses its own): what a runner holds in one list. */
export interface AnyJobHandler {
  type: string;
  payloadSchema: z.ZodType<unknown>;
  steps: readonly StepDefinition[];
  run(ctx: JobRunContext<never>): Promise<void | JobContinuation>;
}

/** Thrown by a handler (or its helpers) to say "try again later", with an optional wait. */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    readonly code = "retry_later",
  ) {
    super(message);
    this.name = "RetryLaterError";
  }
}

/** Lost the lease (another worker took the job over after it expired): stop without writing. */
export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`Lost the lease on job ${jobId}.`);
    this.name = "LeaseLostError";
  }
}
