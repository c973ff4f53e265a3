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

export async function insertProgramCircle(db: Db, row: Insertable<ProgramCirclesTable>): Promise<void> {
  await db.insertInto("program_circles").values(row).execute();
}

export async function setProgramCircleJob(db: Db, programId: string, position: number, jobId: string): Promise<void> {
  await db.updateTable("program_circles").set({ job_id: jobId }).where("program_id", "=", programId).where("position", "=", position).execute();
}
