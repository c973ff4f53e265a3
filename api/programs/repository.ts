import type { Insertable, Selectable } from "kysely";
import type { Db, ProgramCirclesTable, ProgramEnrolmentsTable, ProgramsTable } from "../storage";

export type ProgramRow = Selectable<ProgramsTable>;
export type EnrolmentRow = Selectable<ProgramEnrolmentsTable>;
export type ProgramCircleRow = Selectable<ProgramCirclesTable>;

export async function insertProgram(db: Db, row: Insertable<ProgramsTable>): Promise<void> {
  await db.insertInto("programs").values(row).execute();
}

/** The program if the caller owns it (others see nothing). */
export async function findOwnedProgram(db: Db, tenantId: string, ownerId: string, programId: string): Promise<ProgramRow | undefined> {
  return db.selectFrom("programs").selectAll().where("id", "=", programId).where("tenant_id", "=", tenantId).where("owner_id", "=", ownerId).executeTakeFirst();
}

export async function updateProgram(db: Db, programId: string, set: { draft?: string | null; cohort_job_id?: string; updated_at: string }): Promise<void> {
  await db.updateTable("programs").set(set).where("id", "=", programId).execute();
}

/** Sets the cohort job id unless one is set already; true when this call set it. */
export async function claimCohortJob(db: Db, programId: string, jobId: string, now: string): Promise<boolean> {
  const result = await db.updateTable("programs").set({ cohort_job_id: jobId, updated_at: now }).where("id", "=", programId).where("cohort_job_id", "is", null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listEnrolments(db: Db, programId: string): Promise<EnrolmentRow[]> {
  return db.selectFrom("program_enrolments").selectAll().where("program_id", "=", programId).orderBy("enrolled_at").orderBy("upn").execute();
}

/** Enrols people; someone already enrolled stays as they were. */
export async function insertEnrolments(db: Db, rows: readonly Insertable<ProgramEnrolmentsTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto("program_enrolments")
    .values([...rows])
    .onConflict((oc) => oc.columns(["program_id", "user_id"]).doNothing())
    .execute();
}

export async function listProgramCircles(db: Db, programId: string): Promise<ProgramCircleRow[]> {
  return db.selectFrom("program_circles").selectAll().where("program_id", "=", programId).orderBy("position").execute();
}

/** Records a created circle at its draft position; false when that position already has one. */
export async function insertProgramCircle(db: Db, row: Insertable<ProgramCirclesTable>): Promise<boolean> {
  const result = await db
    .insertInto("program_circles")
    .values(row)
    .onConflict((oc) => oc.columns(["program_id", "position"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** A program by id (the cohort job acts for its owner; it has no caller to check). */
export async function findProgram(db: Db, programId: string): Promise<ProgramRow | undefined> {
  return db.selectFrom("programs").selectAll().where("id", "=", programId).executeTakeFirst();
}

/** Each created circle of a program with its booking job's state, in one query (a cohort has hundreds). */
export interface ProgramCircleJobRow {
  position: number;
  circle_id: string;
  job_id: string | null;
  job_status: string | null;
  job_error: string | null;
}

export async function listProgramCircleJobs(db: Db, programId: string): Promise<ProgramCircleJobRow[]> {
  return db
    .selectFrom("program_circles")
    .leftJoin("jobs", "jobs.id", "program_circles.job_id")
    .select(["program_circles.position", "program_circles.circle_id", "program_circles.job_id", "jobs.status as job_status", "jobs.error as job_error"])
    .where("program_circles.program_id", "=", programId)
    .orderBy("program_circles.position")
    .execute();
}

/**
 * A circle the cohort job created but could not record (the process died between the two
 * writes): the owner's circle with the position's exact name and the program's purpose, created
 * since the program was, that no program records. Adopting it keeps a resumed job from creating
 * the circle twice.
 */
export async function findUnrecordedCircle(db: Db, where: { tenantId: string; ownerId: string; name: string; purpose: string; since: string }): Promise<string | undefined> {
  const row = await db
    .selectFrom("circles")
    .select("circles.id")
    .where("circles.tenant_id", "=", where.tenantId)
    .where("circles.organizer_id", "=", where.ownerId)
    .where("circles.name", "=", where.name)
    .where("circles.purpose", "=", where.purpose)
    .where("circles.created_at", ">=", where.since)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("program_circles").select("program_circles.circle_id").whereRef("program_circles.circle_id", "=", "circles.id"))))
    .orderBy("circles.created_at")
    .executeTakeFirst();
  return row?.id;
}

export async function setProgramCircleJob(db: Db, programId: string, position: number, jobId: string): Promise<void> {
  await db.updateTable("program_circles").set({ job_id: jobId }).where("program_id", "=", programId).where("position", "=", position).execute();
}
