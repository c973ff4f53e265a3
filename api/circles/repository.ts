import type { Db } from "../storage";

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
