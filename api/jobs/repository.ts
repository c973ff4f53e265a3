import type { Db, JobRow, JobStepRow } from "../storage";
import type { StepDefinition } from "./types";

/** SQL for the job queue and its recorded steps. Instants are ISO text (storage/schema.ts). */

export async function insertJob(
  db: Db,
  job: { id: string; type: string; payload: unknown; steps: readonly StepDefinition[]; now: Date; runAfter?: Date },
): Promise<void> {
  const now = job.now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("jobs")
      .values({
        id: job.id,
        type: job.type,
        status: "queued",
        payload: JSON.stringify(job.payload),
        progress_total: job.steps.length,
        run_after: (job.runAfter ?? job.now).toISOString(),
        created_at: now,
        updated_at: now,
      })
      .execute();
    if (job.steps.length > 0) {
      await trx
        .insertInto("job_steps")
        .values(job.steps.map((s, position) => ({ job_id: job.id, name: s.name, label: s.label, position, status: "pending", updated_at: now })))
        .execute();
    }
  });
}

export async function findJob(db: Db, id: string): Promise<JobRow | undefined> {
  return db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listJobSteps(db: Db, jobId: string): Promise<JobStepRow[]> {
  return db.selectFrom("job_steps").selectAll().where("job_id", "=", jobId).orderBy("position").execute();
}

/** Due jobs of the given types whose lease is free or expired (a crashed worker's), oldest due first. */
export async function findDueJobIds(db: Db, types: readonly string[], now: Date, limit: number): Promise<string[]> {
  if (types.length === 0) return [];
  const at = now.toISOString();
  const rows = await db
    .selectFrom("jobs")
    .select("id")
    .where("status", "in", ["queued", "running"])
    .where("type", "in", [...types])
    .where("run_after", "<=", at)
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<=", at)]))
    .orderBy("run_after")
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Takes the lease on a job with one conditional UPDATE, so of several workers (or instances
 * sharing PostgreSQL) racing for the same job exactly one wins, on both engines.
 */
export async function claimJob(db: Db, id: string, workerId: string, now: Date, leaseMs: number): Promise<JobRow | undefined> {
  const at = now.toISOString();
  return db
    .updateTable("jobs")
    .set((eb) => ({ status: "running", locked_by: workerId, locked_until: new Date(now.getTime() + leaseMs).toISOString(), attempts: eb("attempts", "+", 1), updated_at: at }))
    .where("id", "=", id)
    .where("status", "in", ["queued", "running"])
    .where("run_after", "<=", at)
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<=", at)]))
    // The claimed row comes back with the UPDATE (SQLite ≥ 3.35 and PostgreSQL): no second query.
    .returningAll()
    .executeTakeFirst();
}

/** Extends the lease; false when another worker holds the job now. */
export async function renewLease(db: Db, id: string, workerId: string, now: Date, leaseMs: number): Promise<boolean> {
  const result = await db
    .updateTable("jobs")
    .set({ locked_until: new Date(now.getTime() + leaseMs).toISOString(), updated_at: now.toISOString() })
    .where("id", "=", id)
    .where("locked_by", "=", workerId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function updateSteps(db: Db, jobId: string, names: readonly string[], set: { status: string; output?: string | null; error?: string | null; addAttempt?: boolean }, now: Date): Promise<void> {
  if (names.length === 0) return;
  await db
    .updateTable("job_steps")
    .set((eb) => ({
      status: set.status,
      updated_at: now.toISOString(),
      ...(set.output !== undefined ? { output: set.output } : {}),
      ...(set.error !== undefined ? { error: set.error } : {}),
      ...(set.addAttempt ? { attempts: eb("attempts", "+", 1) } : {}),
    }))
    .where("job_id", "=", jobId)
    .where("name", "in", [...names])
    .execute();
}

export async function setProgress(db: Db, jobId: string, workerId: string, done: number): Promise<void> {
  await db.updateTable("jobs").set({ progress_done: done }).where("id", "=", jobId).where("locked_by", "=", workerId).execute();
}

/** Ends a run: the job is finished, failed, or queued again for `runAfter` (`refundAttempt`: the run did not fail). Only the lease holder may. */
export async function releaseJob(
  db: Db,
  id: string,
  workerId: string,
  outcome: { status: "succeeded" | "failed" | "queued"; error: string | null; runAfter?: Date; progressDone?: number; refundAttempt?: boolean },
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable("jobs")
    .set((eb) => ({
      status: outcome.status,
      error: outcome.error,
      locked_by: null,
      locked_until: null,
      updated_at: now.toISOString(),
      ...(outcome.runAfter ? { run_after: outcome.runAfter.toISOString() } : {}),
      ...(outcome.progressDone !== undefined ? { progress_done: outcome.progressDone } : {}),
      // A run that only waited (JobContinuation) does not count against maxAttempts.
      ...(outcome.refundAttempt ? { attempts: eb("attempts", "-", 1) } : {}),
    }))
    .where("id", "=", id)
    .where("locked_by", "=", workerId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
