import type { CallerIdentity } from "../auth/identity";
import { notFound } from "../shared/errors";
import type { CircleMemberRow, CircleRow, Db } from "../storage";

/** A circle with its current members (people who left are not included). */
export interface CircleRecord {
  circle: CircleRow;
  members: CircleMemberRow[];
}

/**
 * The circle, if the caller is one of its current members; otherwise 404 (not 403), so a
 * non-member cannot even learn that the circle exists. Every circle-scoped route starts here.
 */
export async function loadCircleForMember(db: Db, caller: CallerIdentity, circleId: string): Promise<CircleRecord> {
  const circle = await db.selectFrom("circles").selectAll().where("id", "=", circleId).where("tenant_id", "=", caller.tenantId).executeTakeFirst();
  if (!circle) throw notFound("The circle");
  const members = await db.selectFrom("circle_members").selectAll().where("circle_id", "=", circleId).where("left_at", "is", null).orderBy("joined_at").orderBy("upn").execute();
  if (!members.some((m) => m.user_id === caller.userId)) throw notFound("The circle");
  return { circle, members };
}
