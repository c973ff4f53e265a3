import type { Db } from "../storage";
import { readBool, toDbBool } from "../storage";
import type { NudgeKind } from "./schemas";

/** SQL for per-person nudge switches (migration 008). No row = the nudge is on. */

export async function isNudgeEnabled(db: Db, tenantId: string, userId: string, kind: NudgeKind): Promise<boolean> {
  const row = await db.selectFrom("nudge_settings").select("enabled").where("tenant_id", "=", tenantId).where("user_id", "=", userId).where("kind", "=", kind).executeTakeFirst();
  return row ? readBool(row.enabled) : true;
}

export async function saveNudgeSwitch(db: Db, row: { tenantId: string; userId: string; kind: NudgeKind; enabled: boolean; now: string }): Promise<void> {
  const values = { enabled: toDbBool(row.enabled), updated_at: row.now };
  await db
    .insertInto("nudge_settings")
    .values({ tenant_id: row.tenantId, user_id: row.userId, kind: row.kind, ...values })
    .onConflict((oc) => oc.columns(["tenant_id", "user_id", "kind"]).doUpdateSet(values))
    .execute();
}
