import type { CircleRow, CircleSeriesRow, Db } from "../storage";
import { readBool } from "../storage";

/**
 * SQL for the team view. Every query selects only the columns the aggregates need: no note text,
 * no commitment text, no run state (which holds questions) ever leaves the database here.
 */

export interface MembershipRow {
  circle_id: string;
  user_id: string;
  upn: string;
  joined_at: string;
  left_at: string | null;
}

/** Memberships of these people (by object id or UPN) in the tenant's circles, current or ended after `since`. */
export async function listMemberships(db: Db, tenantId: string, people: { ids: readonly string[]; upns: readonly string[] }, since: string): Promise<MembershipRow[]> {
  if (people.ids.length === 0 && people.upns.length === 0) return [];
  return db
    .selectFrom("circle_members as m")
    .innerJoin("circles as c", "c.id", "m.circle_id")
    .select(["m.circle_id", "m.user_id", "m.upn", "m.joined_at", "m.left_at"])
    .where("c.tenant_id", "=", tenantId)
    .where((eb) => eb.or([...(people.ids.length > 0 ? [eb("m.user_id", "in", [...people.ids])] : []), ...(people.upns.length > 0 ? [eb("m.upn", "in", [...people.upns])] : [])]))
    .where((eb) => eb.or([eb("m.left_at", "is", null), eb("m.left_at", ">=", since)]))
    .execute();
}

export async function listCircles(db: Db, tenantId: string, circleIds: readonly string[]): Promise<CircleRow[]> {
  if (circleIds.length === 0) return [];
  return db.selectFrom("circles").selectAll().where("tenant_id", "=", tenantId).where("id", "in", [...circleIds]).execute();
}

export async function listSeriesRows(db: Db, circleIds: readonly string[]): Promise<CircleSeriesRow[]> {
  if (circleIds.length === 0) return [];
  return db.selectFrom("circle_series").selectAll().where("circle_id", "in", [...circleIds]).execute();
}

export interface RunStatusRow {
  circle_id: string;
  occurrence_date: string;
  status: string;
}

/** Which sessions were run in the app: circle, local date, status — never the run's content. */
export async function listRunStatuses(db: Db, tenantId: string, circleIds: readonly string[]): Promise<RunStatusRow[]> {
  if (circleIds.length === 0) return [];
  return db.selectFrom("session_runs").select(["circle_id", "occurrence_date", "status"]).where("tenant_id", "=", tenantId).where("circle_id", "in", [...circleIds]).execute();
}

/** Review outcomes of the people's commitments reviewed since `since`: status and instant only. */
export interface ReviewOutcomeRow {
  owner_id: string;
  review_status: string;
  reviewed_at: string;
}

export async function listReviewOutcomes(db: Db, circleIds: readonly string[], ownerIds: readonly string[], since: string): Promise<ReviewOutcomeRow[]> {
  if (circleIds.length === 0 || ownerIds.length === 0) return [];
  const rows = await db
    .selectFrom("commitments")
    .select(["owner_id", "review_status", "reviewed_at"])
    .where("circle_id", "in", [...circleIds])
    .where("owner_id", "in", [...ownerIds])
    .where("review_status", "is not", null)
    .where("reviewed_at", ">=", since)
    .execute();
  return rows.flatMap((r) => (r.review_status && r.reviewed_at ? [{ owner_id: r.owner_id, review_status: r.review_status, reviewed_at: r.reviewed_at }] : []));
}

export interface ProtectionRow {
  circle_id: string;
  user_id: string;
  optOut: boolean;
  prepMinutes: number;
  reflectionMinutes: number;
}

/** Members' own protected-time settings (migration 006); people without a row use the defaults. */
export async function listProtectionSettings(db: Db, circleIds: readonly string[], userIds: readonly string[]): Promise<ProtectionRow[]> {
  if (circleIds.length === 0 || userIds.length === 0) return [];
  const rows = await db
    .selectFrom("protected_time_settings")
    .select(["circle_id", "user_id", "opt_out", "prep_minutes", "reflection_minutes"])
    .where("circle_id", "in", [...circleIds])
    .where("user_id", "in", [...userIds])
    .execute();
  return rows.map((r) => ({ circle_id: r.circle_id, user_id: r.user_id, optOut: readBool(r.opt_out), prepMinutes: Number(r.prep_minutes), reflectionMinutes: Number(r.reflection_minutes) }));
}

export interface RecordedBlockRow {
  circle_id: string;
  user_id: string;
  occurrence_key: string;
  kind: string;
  start_at: string;
  end_at: string;
}

/** Prep and reflection blocks recorded on these members' calendars for these circles (migration 006), ending at or after `since`. */
export async function listProtectedBlocks(db: Db, circleIds: readonly string[], userIds: readonly string[], since: string): Promise<RecordedBlockRow[]> {
  if (circleIds.length === 0 || userIds.length === 0) return [];
  return db
    .selectFrom("protected_time_blocks")
    .select(["circle_id", "user_id", "occurrence_key", "kind", "start_at", "end_at"])
    .where("circle_id", "in", [...circleIds])
    .where("user_id", "in", [...userIds])
    .where("end_at", ">=", since)
    .execute();
}

export interface OverriddenBlockRow {
  circle_id: string;
  user_id: string;
  occurrence_key: string;
  kind: string;
  block_start_at: string;
  block_end_at: string;
}

/**
 * Blocks a meeting was accepted on top of (migration 008, recorded by the notifications module):
 * which block and when it was — never the meeting that landed on it.
 */
export async function listOverriddenBlocks(db: Db, circleIds: readonly string[], userIds: readonly string[], since: string): Promise<OverriddenBlockRow[]> {
  if (circleIds.length === 0 || userIds.length === 0) return [];
  return db
    .selectFrom("protected_time_overrides")
    .select(["circle_id", "user_id", "occurrence_key", "kind", "block_start_at", "block_end_at"])
    .where("circle_id", "in", [...circleIds])
    .where("user_id", "in", [...userIds])
    .where("block_end_at", ">=", since)
    .execute();
}
