import type { CircleSeriesRow, Db } from "../storage";

/** SQL for circle_series (migration 004). */

export async function findSeriesRow(db: Db, circleId: string): Promise<CircleSeriesRow | undefined> {
  return db.selectFrom("circle_series").selectAll().where("circle_id", "=", circleId).executeTakeFirst();
}

/** Inserts the row for a first booking; false when another request inserted it first. */
export async function insertSeriesRow(db: Db, row: Omit<CircleSeriesRow, "generation" | "rotation"> & { generation: number; rotation?: string | null }): Promise<boolean> {
  const result = await db.insertInto("circle_series").values(row).onConflict((oc) => oc.column("circle_id").doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/**
 * Starts a new booking on an existing row (after a cancel, or a move that splits the series),
 * if the row is still at `expectedGeneration`: concurrent requests cannot both win.
 */
export async function restartSeriesRow(db: Db, circleId: string, expectedGeneration: number, set: Partial<Omit<CircleSeriesRow, "circle_id">>): Promise<boolean> {
  const result = await db.updateTable("circle_series").set(set).where("circle_id", "=", circleId).where("generation", "=", expectedGeneration).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Records what a booking step learned, for the generation that job books (a stale job writes nothing). */
export async function updateSeriesRow(db: Db, circleId: string, generation: number, set: Partial<Omit<CircleSeriesRow, "circle_id" | "generation">>): Promise<void> {
  await db.updateTable("circle_series").set(set).where("circle_id", "=", circleId).where("generation", "=", generation).execute();
}

/**
 * Ties a job to a series that has none yet (a series linked from Outlook), if it still has none
 * at `generation`: of two concurrent links only one queues the job that sets up its chat.
 */
export async function claimSeriesJob(db: Db, circleId: string, generation: number, jobId: string): Promise<boolean> {
  const result = await db.updateTable("circle_series").set({ job_id: jobId }).where("circle_id", "=", circleId).where("generation", "=", generation).where("job_id", "is", null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A circle that ends on a date learns its exact number of sessions when its first session is booked. */
export async function setSessionCount(db: Db, circleId: string, sessionCount: number): Promise<void> {
  await db.updateTable("circles").set({ session_count: sessionCount }).where("id", "=", circleId).execute();
}
