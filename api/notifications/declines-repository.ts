import type { Db, SessionDeclineRow } from "../storage";

/** SQL for declined sessions and the series copies members had (migration 015). Instants are ISO text. */

export const SERIES_KEY = "series";

export interface DeclineKey {
  circleId: string;
  userId: string;
  /** The session's slot (ISO UTC), or {@link SERIES_KEY}. */
  occurrenceKey: string;
}

/** A member's booked circles where someone else organises the series (organisers cannot decline). */
export async function attendedSeriesOf(db: Db, tenantId: string, userId: string) {
  return db
    .selectFrom("circle_members")
    .innerJoin("circles", "circles.id", "circle_members.circle_id")
    .innerJoin("circle_series", "circle_series.circle_id", "circle_members.circle_id")
    .select(["circles.id as circle_id", "circles.name", "circle_series.ical_uid", "circle_series.time_zone", "circle_series.organizer_id"])
    .where("circles.tenant_id", "=", tenantId)
    .where("circle_members.user_id", "=", userId)
    .where("circle_members.left_at", "is", null)
    .where("circle_series.status", "=", "booked")
    .where("circle_series.organizer_id", "!=", userId)
    .orderBy("circles.id")
    .execute();
}

export async function rememberSeriesCopy(db: Db, row: { circleId: string; userId: string; tenantId: string; iCalUId: string; now: string }): Promise<void> {
  await db
    .insertInto("member_series_copies")
    .values({ circle_id: row.circleId, user_id: row.userId, tenant_id: row.tenantId, ical_uid: row.iCalUId, seen_at: row.now })
    .onConflict((oc) => oc.columns(["circle_id", "user_id", "ical_uid"]).doNothing())
    .execute();
}

/** Whether the member's copy of the series was on their calendar once: we saw it, or put blocks around its sessions (read from it). */
export async function hadSeriesCopy(db: Db, circleId: string, userId: string, iCalUId: string): Promise<boolean> {
  const seen = await db.selectFrom("member_series_copies").select("seen_at").where("circle_id", "=", circleId).where("user_id", "=", userId).where("ical_uid", "=", iCalUId).executeTakeFirst();
  if (seen) return true;
  const blocked = await db.selectFrom("protected_time_blocks").select("event_id").where("circle_id", "=", circleId).where("user_id", "=", userId).where("series_ical_uid", "=", iCalUId).executeTakeFirst();
  return blocked !== undefined;
}

/**
 * Records a decline unless it already stands: a new row, or a withdrawn one declined again.
 * Each statement changes a row only when the decline is new, so two jobs racing for the same
 * member record (and nudge) it once.
 * @returns true when this call recorded it.
 */
export async function recordDecline(db: Db, row: DeclineKey & { tenantId: string; scope: "occurrence" | "series"; sessionStart: string; releasedBlocks: number; now: string }): Promise<boolean> {
  const inserted = await db
    .insertInto("session_declines")
    .values({
      circle_id: row.circleId,
      user_id: row.userId,
      tenant_id: row.tenantId,
      occurrence_key: row.occurrenceKey,
      scope: row.scope,
      session_start_at: row.sessionStart,
      declined_at: row.now,
      withdrawn_at: null,
      released_blocks: row.releasedBlocks,
      nudged_at: null,
    })
    .onConflict((oc) => oc.columns(["circle_id", "user_id", "occurrence_key"]).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return true;
  const again = await db
    .updateTable("session_declines")
    .set({ withdrawn_at: null, declined_at: row.now, session_start_at: row.sessionStart, released_blocks: row.releasedBlocks, nudged_at: null })
    .where("circle_id", "=", row.circleId)
    .where("user_id", "=", row.userId)
    .where("occurrence_key", "=", row.occurrenceKey)
    .where("withdrawn_at", "is not", null)
    .executeTakeFirst();
  return Number(again.numUpdatedRows) === 1;
}

/** The member accepted again: the decline stops counting (kept as history). */
export async function withdrawDeclines(db: Db, circleId: string, userId: string, occurrenceKeys: readonly string[], now: string): Promise<number> {
  if (occurrenceKeys.length === 0) return 0;
  const result = await db
    .updateTable("session_declines")
    .set({ withdrawn_at: now })
    .where("circle_id", "=", circleId)
    .where("user_id", "=", userId)
    .where("occurrence_key", "in", [...occurrenceKeys])
    .where("withdrawn_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Declines of the member in the circle that stand now. */
export async function standingDeclines(db: Db, circleId: string, userId: string): Promise<SessionDeclineRow[]> {
  return db.selectFrom("session_declines").selectAll().where("circle_id", "=", circleId).where("user_id", "=", userId).where("withdrawn_at", "is", null).orderBy("session_start_at").execute();
}

export async function addReleasedBlocks(db: Db, key: DeclineKey, count: number): Promise<void> {
  if (count <= 0) return;
  const row = await db.selectFrom("session_declines").select("released_blocks").where("circle_id", "=", key.circleId).where("user_id", "=", key.userId).where("occurrence_key", "=", key.occurrenceKey).executeTakeFirst();
  if (!row) return;
  await db
    .updateTable("session_declines")
    .set({ released_blocks: Number(row.released_blocks) + count })
    .where("circle_id", "=", key.circleId)
    .where("user_id", "=", key.userId)
    .where("occurrence_key", "=", key.occurrenceKey)
    .execute();
}

export async function markDeclineNudged(db: Db, keys: readonly DeclineKey[], now: string): Promise<void> {
  for (const k of keys) {
    await db.updateTable("session_declines").set({ nudged_at: now }).where("circle_id", "=", k.circleId).where("user_id", "=", k.userId).where("occurrence_key", "=", k.occurrenceKey).execute();
  }
}

/** Declines standing now for these circles (every member, for "declined by most"), of sessions from `since` on. */
export async function standingDeclinesIn(db: Db, circleIds: readonly string[], since: string): Promise<Array<Pick<SessionDeclineRow, "circle_id" | "user_id" | "occurrence_key" | "scope" | "session_start_at">>> {
  if (circleIds.length === 0) return [];
  return db
    .selectFrom("session_declines")
    .select(["circle_id", "user_id", "occurrence_key", "scope", "session_start_at"])
    .where("circle_id", "in", [...circleIds])
    .where("withdrawn_at", "is", null)
    .where((eb) => eb.or([eb("scope", "=", "series"), eb("session_start_at", ">=", since)]))
    .execute();
}
