import type { CircleMemberRow, Db, NewCircleMemberRow, NewCircleRow } from "../storage";

/**
 * Circles of the tenant in which the user is a current member (joined, not left), newest first,
 * with their current member count.
 */
export async function listCirclesOfMember(db: Db, tenantId: string, userId: string) {
  return db
    .selectFrom("circles as c")
    .innerJoin("circle_members as me", (join) => join.onRef("me.circle_id", "=", "c.id").on("me.user_id", "=", userId).on("me.left_at", "is", null))
    .select((eb) => [
      "c.id",
      "c.name",
      "c.purpose",
      "c.cadence",
      "c.session_minutes",
      "c.time_zone",
      "c.created_at",
      eb
        .selectFrom("circle_members as m")
        .select((inner) => inner.fn.countAll<string | number>().as("n"))
        .whereRef("m.circle_id", "=", "c.id")
        .where("m.left_at", "is", null)
        .as("member_count"),
    ])
    .where("c.tenant_id", "=", tenantId)
    .orderBy("c.created_at", "desc")
    .orderBy("c.id")
    .execute();
}

/** Stores a new circle and its members in one transaction: both or neither. */
export async function insertCircle(db: Db, circle: NewCircleRow, members: NewCircleMemberRow[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("circles").values(circle).execute();
    await trx.insertInto("circle_members").values(members).execute();
  });
}

export async function updateCircleRow(db: Db, circleId: string, changes: { name?: string; purpose?: string; charter?: string; rotate_roles?: 0 | 1; updated_at: string }): Promise<void> {
  await db.updateTable("circles").set(changes).where("id", "=", circleId).execute();
}

/** Every membership row of the circle, past ones included (`left_at` set). */
export async function findMembership(db: Db, circleId: string, userId: string): Promise<CircleMemberRow | undefined> {
  return db.selectFrom("circle_members").selectAll().where("circle_id", "=", circleId).where("user_id", "=", userId).executeTakeFirst();
}

/**
 * Adds a member, or brings back someone who left (one row per person and circle: the row's
 * `joined_at` becomes the latest join).
 */
export async function upsertMember(db: Db, member: NewCircleMemberRow, now: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("circle_members")
      .values(member)
      .onConflict((oc) =>
        oc.columns(["circle_id", "user_id"]).doUpdateSet({ upn: member.upn, display_name: member.display_name, role: member.role, joined_at: member.joined_at, left_at: null, time_zone: member.time_zone ?? null }),
      )
      .execute();
    await trx.updateTable("circles").set({ updated_at: now }).where("id", "=", member.circle_id).execute();
  });
}

/**
 * Marks a member as left (the row stays as history). When the organiser leaves, the longest-standing
 * remaining member becomes organiser, in the same transaction.
 */
export async function markMemberLeft(db: Db, circleId: string, userId: string, now: string, newOrganizerId?: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("circle_members").set({ left_at: now }).where("circle_id", "=", circleId).where("user_id", "=", userId).execute();
    if (newOrganizerId !== undefined) {
      await trx.updateTable("circle_members").set({ role: "member" }).where("circle_id", "=", circleId).where("user_id", "=", userId).execute();
      await trx.updateTable("circle_members").set({ role: "organizer" }).where("circle_id", "=", circleId).where("user_id", "=", newOrganizerId).execute();
      await trx.updateTable("circles").set({ organizer_id: newOrganizerId, updated_at: now }).where("id", "=", circleId).execute();
    } else {
      await trx.updateTable("circles").set({ updated_at: now }).where("id", "=", circleId).execute();
    }
  });
}

/** Remembers members' own zones (learned from Graph) where they changed. */
export async function updateMemberZones(db: Db, circleId: string, zones: ReadonlyMap<string, string>): Promise<void> {
  for (const [userId, zone] of zones) {
    await db.updateTable("circle_members").set({ time_zone: zone }).where("circle_id", "=", circleId).where("user_id", "=", userId).execute();
  }
}

/** Mailbox zones of users who have opened the app (api/me records them). */
export async function findKnownUserZones(db: Db, tenantId: string, userIds: readonly string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.selectFrom("users").select(["id", "time_zone"]).where("tenant_id", "=", tenantId).where("id", "in", [...userIds]).execute();
  return new Map(rows.flatMap((r) => (r.time_zone ? [[r.id, r.time_zone] as const] : [])));
}
