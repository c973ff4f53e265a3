import type { Selectable } from "kysely";
import type { CommitmentsTable, Db } from "../storage";

export type CommitmentRow = Selectable<CommitmentsTable>;

export async function findCommitment(db: Db, id: string) {
  return db.selectFrom("commitments").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findCommitmentOfOwner(db: Db, sessionId: string, ownerId: string) {
  return db.selectFrom("commitments").selectAll().where("session_id", "=", sessionId).where("owner_id", "=", ownerId).executeTakeFirst();
}

export async function listCommitmentsOfSession(db: Db, sessionId: string) {
  return db.selectFrom("commitments").selectAll().where("session_id", "=", sessionId).orderBy("created_at").orderBy("id").execute();
}

/**
 * The cards written at the circle's latest earlier session that has any: what the review segment
 * brings back. Sessions are ordered by their local date.
 */
export async function listPreviousSessionCommitments(db: Db, circleId: string, beforeDate: string) {
  const latest = await db
    .selectFrom("commitments as c")
    .innerJoin("session_runs as r", "r.id", "c.session_id")
    .select((eb) => eb.fn.max("r.occurrence_date").as("date"))
    .where("c.circle_id", "=", circleId)
    .where("r.occurrence_date", "<", beforeDate)
    .executeTakeFirst();
  if (!latest?.date) return [];
  return db
    .selectFrom("commitments as c")
    .innerJoin("session_runs as r", "r.id", "c.session_id")
    .selectAll("c")
    .where("c.circle_id", "=", circleId)
    .where("r.occurrence_date", "=", latest.date)
    .orderBy("c.created_at")
    .orderBy("c.id")
    .execute();
}

export async function insertCommitment(
  db: Db,
  row: { id: string; circleId: string; sessionId: string; ownerId: string; action: string; dueDate: string; signal: string; supportWanted: string | null; now: string },
): Promise<void> {
  await db
    .insertInto("commitments")
    .values({
      id: row.id,
      circle_id: row.circleId,
      session_id: row.sessionId,
      owner_id: row.ownerId,
      action: row.action,
      due_date: row.dueDate,
      signal: row.signal,
      support_wanted: row.supportWanted,
      chat_message_id: null,
      todo_list_id: null,
      todo_task_id: null,
      review_status: null,
      review_learning: null,
      reviewed_in_session_id: null,
      reviewed_at: null,
      created_at: row.now,
      updated_at: row.now,
    })
    .execute();
}

export async function deleteCommitment(db: Db, id: string): Promise<void> {
  await db.deleteFrom("commitments").where("id", "=", id).execute();
}

export async function setCommitmentPosted(db: Db, id: string, posted: { chatMessageId: string; todoListId: string | null; todoTaskId: string | null; now: string }): Promise<void> {
  await db
    .updateTable("commitments")
    .set({ chat_message_id: posted.chatMessageId, todo_list_id: posted.todoListId, todo_task_id: posted.todoTaskId, updated_at: posted.now })
    .where("id", "=", id)
    .execute();
}

export async function setCommitmentReview(db: Db, id: string, review: { status: string; learning: string; sessionId: string; now: string }): Promise<void> {
  await db
    .updateTable("commitments")
    .set({ review_status: review.status, review_learning: review.learning, reviewed_in_session_id: review.sessionId, reviewed_at: review.now, updated_at: review.now })
    .where("id", "=", id)
    .execute();
}

export async function listReviewStatuses(db: Db, circleId: string) {
  return db.selectFrom("commitments").select("review_status").where("circle_id", "=", circleId).where("review_status", "is not", null).execute();
}
