import type { Db, ProtectedTimeBlockRow, ProtectedTimeSettingsRow } from "../storage";
import { readBool, toDbBool } from "../storage";
import { DEFAULT_PREP_MINUTES, DEFAULT_REFLECTION_MINUTES, type BlockKind } from "./plan-blocks";

/** SQL for protected time (migration 006). Instants are ISO text. */

export interface MemberSettings {
  optOut: boolean;
  prepMinutes: number;
  reflectionMinutes: number;
  /** ISO instant of the last change; null while the defaults apply. */
  updatedAt: string | null;
}

export const DEFAULT_SETTINGS: MemberSettings = { optOut: false, prepMinutes: DEFAULT_PREP_MINUTES, reflectionMinutes: DEFAULT_REFLECTION_MINUTES, updatedAt: null };

function toSettings(row: ProtectedTimeSettingsRow | undefined): MemberSettings {
  if (!row) return { ...DEFAULT_SETTINGS };
  return { optOut: readBool(row.opt_out), prepMinutes: Number(row.prep_minutes), reflectionMinutes: Number(row.reflection_minutes), updatedAt: row.updated_at };
}

export async function findSettings(db: Db, circleId: string, userId: string): Promise<MemberSettings> {
  return toSettings(await db.selectFrom("protected_time_settings").selectAll().where("circle_id", "=", circleId).where("user_id", "=", userId).executeTakeFirst());
}

/** Settings of every listed member (defaults for those without a row). */
export async function findSettingsOf(db: Db, circleId: string, userIds: readonly string[]): Promise<Map<string, MemberSettings>> {
  const rows = userIds.length === 0 ? [] : await db.selectFrom("protected_time_settings").selectAll().where("circle_id", "=", circleId).where("user_id", "in", [...userIds]).execute();
  return new Map(userIds.map((id) => [id, toSettings(rows.find((r) => r.user_id === id))]));
}

export async function saveSettings(db: Db, row: { circleId: string; userId: string; tenantId: string; optOut: boolean; prepMinutes: number; reflectionMinutes: number; now: string }): Promise<void> {
  const values = { opt_out: toDbBool(row.optOut), prep_minutes: row.prepMinutes, reflection_minutes: row.reflectionMinutes, updated_at: row.now };
  await db
    .insertInto("protected_time_settings")
    .values({ circle_id: row.circleId, user_id: row.userId, tenant_id: row.tenantId, ...values })
    .onConflict((oc) => oc.columns(["circle_id", "user_id"]).doUpdateSet(values))
    .execute();
}

export interface BlockRecord {
  occurrenceKey: string;
  kind: BlockKind;
  eventId: string;
  seriesICalUId: string | null;
  start: string;
  end: string;
}

export async function listBlockRows(db: Db, circleId: string, userId: string): Promise<ProtectedTimeBlockRow[]> {
  return db.selectFrom("protected_time_blocks").selectAll().where("circle_id", "=", circleId).where("user_id", "=", userId).orderBy("start_at").execute();
}

/** Remembers a series the circle is booked as (idempotent). */
export async function recordSeries(db: Db, circleId: string, iCalUId: string, now: string): Promise<void> {
  await db.insertInto("protected_time_series").values({ circle_id: circleId, ical_uid: iCalUId, recorded_at: now }).onConflict((oc) => oc.columns(["circle_id", "ical_uid"]).doNothing()).execute();
}

/** Every series the circle was booked as, oldest first (a series split by a move has an earlier one). */
export async function knownSeriesICalUIds(db: Db, circleId: string): Promise<string[]> {
  const rows = await db.selectFrom("protected_time_series").select("ical_uid").where("circle_id", "=", circleId).orderBy("recorded_at").orderBy("ical_uid").execute();
  const fromBlocks = await db.selectFrom("protected_time_blocks").select("series_ical_uid").distinct().where("circle_id", "=", circleId).where("series_ical_uid", "is not", null).execute();
  return [...new Set([...rows.map((r) => r.ical_uid), ...fromBlocks.flatMap((r) => (r.series_ical_uid ? [r.series_ical_uid] : []))])];
}

/** Replaces what we record for one member's blocks in one circle with what is on their calendar now. */
export async function replaceBlockRows(db: Db, key: { circleId: string; userId: string; tenantId: string }, blocks: readonly BlockRecord[], now: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("protected_time_blocks").where("circle_id", "=", key.circleId).where("user_id", "=", key.userId).execute();
    if (blocks.length === 0) return;
    await trx
      .insertInto("protected_time_blocks")
      .values(
        blocks.map((b) => ({
          circle_id: key.circleId,
          user_id: key.userId,
          tenant_id: key.tenantId,
          occurrence_key: b.occurrenceKey,
          kind: b.kind,
          event_id: b.eventId,
          series_ical_uid: b.seriesICalUId,
          start_at: b.start,
          end_at: b.end,
          updated_at: now,
        })),
      )
      .execute();
  });
}

/** Circles the caller is a current member of and that have a booked series. */
export async function bookedCirclesOf(db: Db, tenantId: string, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("circle_members")
    .innerJoin("circles", "circles.id", "circle_members.circle_id")
    .innerJoin("circle_series", "circle_series.circle_id", "circle_members.circle_id")
    .select("circle_members.circle_id")
    .where("circles.tenant_id", "=", tenantId)
    .where("circle_members.user_id", "=", userId)
    .where("circle_members.left_at", "is", null)
    .orderBy("circle_members.circle_id")
    .execute();
  return rows.map((r) => r.circle_id);
}

/** A circle and its current members, without an access check (jobs; circles the caller left). */
export async function loadCircleRecord(db: Db, tenantId: string, circleId: string) {
  const circle = await db.selectFrom("circles").selectAll().where("id", "=", circleId).where("tenant_id", "=", tenantId).executeTakeFirst();
  if (!circle) return undefined;
  const members = await db.selectFrom("circle_members").selectAll().where("circle_id", "=", circleId).where("left_at", "is", null).orderBy("joined_at").orderBy("upn").execute();
  return { circle, members };
}

/** Circles where we recorded blocks for the user (they may have left some since). */
export async function circlesWithBlocks(db: Db, tenantId: string, userId: string): Promise<string[]> {
  const rows = await db.selectFrom("protected_time_blocks").select("circle_id").distinct().where("tenant_id", "=", tenantId).where("user_id", "=", userId).execute();
  return rows.map((r) => r.circle_id);
}

/** Users with recorded blocks in the circle (current members and people who left). */
export async function usersWithBlocks(db: Db, circleId: string): Promise<string[]> {
  const rows = await db.selectFrom("protected_time_blocks").select("user_id").distinct().where("circle_id", "=", circleId).execute();
  return rows.map((r) => r.user_id);
}
