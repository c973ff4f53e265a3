import type { Db } from "../storage";
import { declineIndex, isDeclinedByMost } from "./decline-rules";
import { standingDeclinesIn } from "./declines-repository";

/**
 * Declines as the team view and cadence health count them: whether a member declined a session,
 * and whether more than half of the people who were members at the time did. Aggregates read it;
 * nothing here names anyone to a viewer.
 */
export interface DeclineView {
  hasDeclined(circleId: string, userId: string, sessionStart: string): boolean;
  declinedByMost(circleId: string, sessionStart: string): boolean;
}

export async function loadDeclineView(db: Db, circleIds: readonly string[], since: string): Promise<DeclineView> {
  if (circleIds.length === 0) return { hasDeclined: () => false, declinedByMost: () => false };
  const [rows, members] = await Promise.all([
    standingDeclinesIn(db, circleIds, since),
    db.selectFrom("circle_members").select(["circle_id", "user_id", "joined_at", "left_at"]).where("circle_id", "in", [...circleIds]).execute(),
  ]);
  const index = declineIndex(rows);
  const membersAt = (circleId: string, at: number) =>
    members.filter((m) => m.circle_id === circleId && Date.parse(m.joined_at) <= at && (m.left_at === null || Date.parse(m.left_at) > at)).map((m) => m.user_id);
  return {
    hasDeclined: (circleId, userId, start) => index.hasDeclined(circleId, userId, start),
    declinedByMost(circleId, start) {
      const current = membersAt(circleId, Date.parse(start));
      const declined = index.declinedBy(circleId, start);
      return isDeclinedByMost(current.filter((u) => declined.has(u)).length, current.length);
    },
  };
}
