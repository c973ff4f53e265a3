import type { Db, FormatRow } from "../../storage";

export async function listFormatsOfOwner(db: Db, tenantId: string, ownerId: string): Promise<FormatRow[]> {
  return db.selectFrom("formats").selectAll().where("tenant_id", "=", tenantId).where("owner_id", "=", ownerId).orderBy("created_at").orderBy("id").execute();
}

/** The caller's own copy, or undefined (another person's copy is as good as missing). */
export async function findOwnFormat(db: Db, tenantId: string, ownerId: string, id: string): Promise<FormatRow | undefined> {
  return db.selectFrom("formats").selectAll().where("tenant_id", "=", tenantId).where("owner_id", "=", ownerId).where("id", "=", id).executeTakeFirst();
}

export async function insertFormat(db: Db, row: FormatRow): Promise<void> {
  await db.insertInto("formats").values(row).execute();
}

export async function updateFormatDefinition(db: Db, id: string, definition: string, now: string): Promise<void> {
  await db.updateTable("formats").set({ definition, updated_at: now }).where("id", "=", id).execute();
}

/** Any copy in the tenant by id (a circle's members use the organiser's copy). */
export async function findTenantFormat(db: Db, tenantId: string, id: string): Promise<FormatRow | undefined> {
  return db.selectFrom("formats").selectAll().where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
}
