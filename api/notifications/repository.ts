import type { Db, GraphSubscriptionRow, ProtectedTimeBlockRow } from "../storage";

/** SQL for subscriptions and overrides (migration 008). Instants are ISO text. */

export async function findActiveSubscription(db: Db, tenantId: string, userId: string): Promise<GraphSubscriptionRow | undefined> {
  return db.selectFrom("graph_subscriptions").selectAll().where("tenant_id", "=", tenantId).where("user_id", "=", userId).where("status", "=", "active").orderBy("expires_at", "desc").executeTakeFirst();
}

export async function findSubscription(db: Db, id: string): Promise<GraphSubscriptionRow | undefined> {
  return db.selectFrom("graph_subscriptions").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function insertSubscription(db: Db, row: { id: string; tenantId: string; userId: string; resource: string; clientStateHash: string; expiresAt: string; now: string }): Promise<void> {
  await db
    .insertInto("graph_subscriptions")
    .values({ id: row.id, tenant_id: row.tenantId, user_id: row.userId, resource: row.resource, client_state_hash: row.clientStateHash, expires_at: row.expiresAt, status: "active", created_at: row.now, updated_at: row.now })
    .execute();
}

export async function updateSubscription(db: Db, id: string, changes: { expiresAt?: string; status?: "active" | "removed" }, now: string): Promise<void> {
  await db
    .updateTable("graph_subscriptions")
    .set({ ...(changes.expiresAt ? { expires_at: changes.expiresAt } : {}), ...(changes.status ? { status: changes.status } : {}), updated_at: now })
    .where("id", "=", id)
    .execute();
}

/** Active subscriptions that expire before `before`. */
export async function subscriptionsExpiringBefore(db: Db, before: string): Promise<GraphSubscriptionRow[]> {
  return db.selectFrom("graph_subscriptions").selectAll().where("status", "=", "active").where("expires_at", "<", before).orderBy("expires_at").execute();
}

/** The member's protected blocks that have not ended yet. */
export async function upcomingBlocks(db: Db, tenantId: string, userId: string, now: string): Promise<ProtectedTimeBlockRow[]> {
  return db.selectFrom("protected_time_blocks").selectAll().where("tenant_id", "=", tenantId).where("user_id", "=", userId).where("end_at", ">", now).orderBy("start_at").execute();
}

/** Records the block as overridden unless it already is; true when this call recorded it. */
export async function recordOverride(db: Db, row: { block: ProtectedTimeBlockRow; eventId: string; now: string }): Promise<boolean> {
  const b = row.block;
  const existing = await db
    .selectFrom("protected_time_overrides")
    .select("overridden_at")
    .where("circle_id", "=", b.circle_id)
    .where("user_id", "=", b.user_id)
    .where("occurrence_key", "=", b.occurrence_key)
    .where("kind", "=", b.kind)
    .executeTakeFirst();
  if (existing) return false;
  const result = await db
    .insertInto("protected_time_overrides")
    .values({ circle_id: b.circle_id, user_id: b.user_id, tenant_id: b.tenant_id, occurrence_key: b.occurrence_key, kind: b.kind, event_id: row.eventId, block_start_at: b.start_at, block_end_at: b.end_at, overridden_at: row.now, nudged_at: null })
    .onConflict((oc) => oc.columns(["circle_id", "user_id", "occurrence_key", "kind"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function markNudged(db: Db, b: ProtectedTimeBlockRow, now: string): Promise<void> {
  await db.updateTable("protected_time_overrides").set({ nudged_at: now }).where("circle_id", "=", b.circle_id).where("user_id", "=", b.user_id).where("occurrence_key", "=", b.occurrence_key).where("kind", "=", b.kind).execute();
}

export async function findCircleName(db: Db, circleId: string): Promise<string | undefined> {
  return (await db.selectFrom("circles").select("name").where("id", "=", circleId).executeTakeFirst())?.name;
}
