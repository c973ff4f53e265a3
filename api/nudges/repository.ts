import type { CircleRow, CircleSeriesRow, Db } from "../storage";
import { readBool, toDbBool } from "../storage";
import { NudgeKindSchema, type NudgeKind, type ScheduledNudgeKind } from "./schemas";

/** SQL for per-person nudge switches (migration 008) and scheduled deliveries (migration 011). No switch row = the nudge is on. */

export async function isNudgeEnabled(db: Db, tenantId: string, userId: string, kind: NudgeKind): Promise<boolean> {
  const row = await db.selectFrom("nudge_settings").select("enabled").where("tenant_id", "=", tenantId).where("user_id", "=", userId).where("kind", "=", kind).executeTakeFirst();
  return row ? readBool(row.enabled) : true;
}

/** Every kind with the person's switch (on unless they turned it off). */
export async function listNudgeSwitches(db: Db, tenantId: string, userId: string): Promise<Record<NudgeKind, boolean>> {
  const rows = await db.selectFrom("nudge_settings").select(["kind", "enabled"]).where("tenant_id", "=", tenantId).where("user_id", "=", userId).execute();
  const switches = Object.fromEntries(NudgeKindSchema.options.map((k) => [k, true])) as Record<NudgeKind, boolean>;
  for (const row of rows) {
    const kind = NudgeKindSchema.safeParse(row.kind);
    if (kind.success) switches[kind.data] = readBool(row.enabled);
  }
  return switches;
}

export async function saveNudgeSwitch(db: Db, row: { tenantId: string; userId: string; kind: NudgeKind; enabled: boolean; now: string }): Promise<void> {
  const values = { enabled: toDbBool(row.enabled), updated_at: row.now };
  await db
    .insertInto("nudge_settings")
    .values({ tenant_id: row.tenantId, user_id: row.userId, kind: row.kind, ...values })
    .onConflict((oc) => oc.columns(["tenant_id", "user_id", "kind"]).doUpdateSet(values))
    .execute();
}

export interface DeliveryKey {
  tenantId: string;
  userId: string;
  circleId: string;
  occurrenceKey: string;
  kind: ScheduledNudgeKind;
}

/**
 * Claims a nudge by inserting its row. Exactly one caller wins per key — on both engines, across
 * instances — and a nudge once claimed is never claimed again (a restart finds the row).
 * @returns false when the nudge was claimed before (sent, switched off, failed, or in hand).
 */
export async function claimDelivery(db: Db, key: DeliveryKey, dueAt: string, now: string): Promise<boolean> {
  const result = await db
    .insertInto("nudge_deliveries")
    .values({ tenant_id: key.tenantId, user_id: key.userId, circle_id: key.circleId, occurrence_key: key.occurrenceKey, kind: key.kind, due_at: dueAt, status: "claimed", claimed_at: now, finished_at: null, error: null })
    .onConflict((oc) => oc.columns(["tenant_id", "user_id", "circle_id", "occurrence_key", "kind"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function finishDelivery(db: Db, key: DeliveryKey, outcome: { status: "sent" | "switchedOff" | "failed"; error?: string }, now: string): Promise<void> {
  await db
    .updateTable("nudge_deliveries")
    .set({ status: outcome.status, finished_at: now, error: outcome.error ?? null })
    .where("tenant_id", "=", key.tenantId)
    .where("user_id", "=", key.userId)
    .where("circle_id", "=", key.circleId)
    .where("occurrence_key", "=", key.occurrenceKey)
    .where("kind", "=", key.kind)
    .execute();
}

/** Gives a claim back (Graph said "later": nothing was delivered), so the next scan tries again. */
export async function releaseDelivery(db: Db, key: DeliveryKey): Promise<void> {
  await db
    .deleteFrom("nudge_deliveries")
    .where("tenant_id", "=", key.tenantId)
    .where("user_id", "=", key.userId)
    .where("circle_id", "=", key.circleId)
    .where("occurrence_key", "=", key.occurrenceKey)
    .where("kind", "=", key.kind)
    .where("status", "=", "claimed")
    .execute();
}

/** Keys already claimed for these circles since `since` (due_at), to skip them without a write. */
export async function listClaimedKeys(db: Db, circleIds: readonly string[], since: string): Promise<Set<string>> {
  if (circleIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("nudge_deliveries")
    .select(["tenant_id", "user_id", "circle_id", "occurrence_key", "kind"])
    .where("circle_id", "in", [...circleIds])
    .where("due_at", ">=", since)
    .execute();
  return new Set(rows.map((r) => deliveryKeyText({ tenantId: r.tenant_id, userId: r.user_id, circleId: r.circle_id, occurrenceKey: r.occurrence_key, kind: r.kind as ScheduledNudgeKind })));
}

export const deliveryKeyText = (k: DeliveryKey) => [k.tenantId, k.userId, k.circleId, k.occurrenceKey, k.kind].join("|");

/** Circles whose series is booked in Outlook (cancelled ones get no nudges). */
export async function listBookedCircles(db: Db): Promise<Array<{ circle: CircleRow; row: CircleSeriesRow }>> {
  const rows = await db.selectFrom("circle_series").selectAll().where("status", "=", "booked").where("event_id", "is not", null).execute();
  if (rows.length === 0) return [];
  const circles = await db.selectFrom("circles").selectAll().where("id", "in", rows.map((r) => r.circle_id)).execute();
  const byId = new Map(circles.map((c) => [c.id, c]));
  return rows.flatMap((row) => {
    const circle = byId.get(row.circle_id);
    return circle ? [{ circle, row }] : [];
  });
}

/** Current members of the circles in join order, with the best zone known: theirs in the circle, else their profile's. */
export async function listCurrentMembers(db: Db, circleIds: readonly string[]): Promise<Array<{ circle_id: string; user_id: string; time_zone: string | null }>> {
  if (circleIds.length === 0) return [];
  const rows = await db
    .selectFrom("circle_members as m")
    .innerJoin("circles as c", "c.id", "m.circle_id")
    .leftJoin("users as u", (join) => join.onRef("u.id", "=", "m.user_id").onRef("u.tenant_id", "=", "c.tenant_id"))
    .select(["m.circle_id", "m.user_id", "m.time_zone as member_zone", "u.time_zone as user_zone"])
    .where("m.circle_id", "in", [...circleIds])
    .where("m.left_at", "is", null)
    .orderBy("m.circle_id")
    .orderBy("m.joined_at")
    .orderBy("m.upn")
    .execute();
  return rows.map((r) => ({ circle_id: r.circle_id, user_id: r.user_id, time_zone: r.member_zone ?? r.user_zone ?? null }));
}

/** Which sessions were run in the app (circle, local date, status): never the run's content. */
export async function listRunDates(db: Db, circleIds: readonly string[]): Promise<Array<{ circle_id: string; occurrence_date: string; status: string }>> {
  if (circleIds.length === 0) return [];
  return db.selectFrom("session_runs").select(["circle_id", "occurrence_date", "status"]).where("circle_id", "in", [...circleIds]).execute();
}

/** Role assignments (JSON) of the circle's runs before `beforeDate`, oldest first, and of the run on that date if it exists. */
export async function listRunRoles(db: Db, circleId: string, upToDate: string): Promise<Array<{ occurrence_date: string; roles: string }>> {
  return db.selectFrom("session_runs").select(["occurrence_date", "roles"]).where("circle_id", "=", circleId).where("occurrence_date", "<=", upToDate).orderBy("occurrence_date").execute();
}

/**
 * The member's OWN commitments still to review before `beforeDate`: those written at the latest
 * earlier session where they wrote any and not reviewed since. Filtered by owner in SQL: another
 * member's card never leaves the database here.
 */
export async function listOwnOpenCommitments(db: Db, circleId: string, ownerId: string, beforeDate: string): Promise<string[]> {
  const rows = await db
    .selectFrom("commitments as c")
    .innerJoin("session_runs as r", "r.id", "c.session_id")
    .select(["c.action", "r.occurrence_date"])
    .where("c.circle_id", "=", circleId)
    .where("c.owner_id", "=", ownerId)
    .where("c.review_status", "is", null)
    .where("r.occurrence_date", "<", beforeDate)
    .orderBy("r.occurrence_date", "desc")
    .orderBy("c.created_at")
    .execute();
  const latest = rows[0]?.occurrence_date;
  return rows.filter((r) => r.occurrence_date === latest).map((r) => r.action);
}

/** Finished scan jobs older than `before`: one is queued per scan, so they would pile up. */
export async function deleteFinishedJobs(db: Db, type: string, before: string): Promise<void> {
  const old = db.selectFrom("jobs").select("id").where("type", "=", type).where("status", "=", "succeeded").where("updated_at", "<", before);
  await db.deleteFrom("job_steps").where("job_id", "in", old).execute();
  await db.deleteFrom("jobs").where("type", "=", type).where("status", "=", "succeeded").where("updated_at", "<", before).execute();
}
