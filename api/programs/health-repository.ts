import type { Db } from "../storage";

/**
 * SQL for the program owner's list and health dashboard. Every query selects only what the
 * aggregates need: no note, commitment, insight or run text ever leaves the database here
 * (shared insights are counted in SQL, never read).
 */

export interface ProgramListRow {
  id: string;
  purpose: string;
  duration_weeks: number;
  draft: string | null;
  cohort_job_id: string | null;
  created_at: string;
  enrolled: number;
}

/** The programs the caller owns, newest first, with the size of each pool. */
export async function listOwnedPrograms(db: Db, tenantId: string, ownerId: string): Promise<ProgramListRow[]> {
  const rows = await db
    .selectFrom("programs as p")
    .leftJoin("program_enrolments as e", "e.program_id", "p.id")
    .select(["p.id", "p.purpose", "p.duration_weeks", "p.draft", "p.cohort_job_id", "p.created_at"])
    .select((eb) => eb.fn.count<number | string | bigint>("e.user_id").as("enrolled"))
    .where("p.tenant_id", "=", tenantId)
    .where("p.owner_id", "=", ownerId)
    .groupBy(["p.id", "p.purpose", "p.duration_weeks", "p.draft", "p.cohort_job_id", "p.created_at"])
    .orderBy("p.created_at", "desc")
    .orderBy("p.id")
    .execute();
  // PostgreSQL counts as bigint (a string through pg); SQLite as a number.
  return rows.map((r) => ({ ...r, duration_weeks: Number(r.duration_weeks), enrolled: Number(r.enrolled) }));
}

export interface CircleMembershipRow {
  circle_id: string;
  user_id: string;
  joined_at: string;
  left_at: string | null;
}

/** Everyone who is or was a member of these circles. */
export async function listCircleMemberships(db: Db, circleIds: readonly string[]): Promise<CircleMembershipRow[]> {
  if (circleIds.length === 0) return [];
  return db.selectFrom("circle_members").select(["circle_id", "user_id", "joined_at", "left_at"]).where("circle_id", "in", [...circleIds]).execute();
}

/** Usefulness ratings given by these people in these circles' sessions in [from, to): rating and rater only. */
export async function listPulses(db: Db, circleIds: readonly string[], memberIds: readonly string[], range: { from: string; to: string }): Promise<Array<{ member_id: string; rating: number }>> {
  if (circleIds.length === 0 || memberIds.length === 0) return [];
  const rows = await db
    .selectFrom("session_pulses as p")
    .innerJoin("session_runs as r", "r.id", "p.session_id")
    .select(["p.member_id", "p.rating"])
    .where("r.circle_id", "in", [...circleIds])
    .where("p.member_id", "in", [...memberIds])
    .where("p.created_at", ">=", range.from)
    .where("p.created_at", "<", range.to)
    .execute();
  return rows.map((r) => ({ member_id: r.member_id, rating: Number(r.rating) }));
}

/** How many insights these people share (anonymised, by opt-in) from these circles' sessions. */
export async function countSharedInsights(db: Db, circleIds: readonly string[], authorIds: readonly string[]): Promise<number> {
  if (circleIds.length === 0 || authorIds.length === 0) return 0;
  const row = await db
    .selectFrom("session_insights as i")
    .innerJoin("session_runs as r", "r.id", "i.session_id")
    .select((eb) => eb.fn.countAll<number | string | bigint>().as("shared"))
    .where("r.circle_id", "in", [...circleIds])
    .where("i.author_id", "in", [...authorIds])
    .where("i.shared_copy_id", "is not", null)
    .executeTakeFirstOrThrow();
  return Number(row.shared);
}
