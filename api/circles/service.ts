import type { CallerIdentity } from "../auth/identity";
import type { Db } from "../storage";
import { listCirclesOfMember } from "./repository";
import type { CircleSummary } from "./schemas";

/** The circles the caller currently belongs to (may be empty). */
export async function listMyCircles(deps: { db: Db }, caller: CallerIdentity): Promise<CircleSummary[]> {
  const rows = await listCirclesOfMember(deps.db, caller.tenantId, caller.userId);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    purpose: row.purpose,
    cadence: row.cadence,
    sessionMinutes: row.session_minutes,
    // PostgreSQL returns count(*) as a bigint string; SQLite as a number.
    memberCount: Number(row.member_count ?? 0),
    timeZone: row.time_zone,
  }));
}
