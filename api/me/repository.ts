import type { Db } from "../storage";

/** Records (or refreshes) who a user is; `first_seen_at` keeps the first visit. */
export async function upsertUser(
  db: Db,
  user: { tenantId: string; id: string; upn: string; displayName: string; timeZone: string | null },
  now: Date,
): Promise<void> {
  await db
    .insertInto("users")
    .values({ tenant_id: user.tenantId, id: user.id, upn: user.upn, display_name: user.displayName, time_zone: user.timeZone, first_seen_at: now.toISOString() })
    .onConflict((oc) => oc.columns(["tenant_id", "id"]).doUpdateSet({ upn: user.upn, display_name: user.displayName, time_zone: user.timeZone }))
    .execute();
}

export async function findUser(db: Db, tenantId: string, id: string) {
  return db.selectFrom("users").selectAll().where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
}
