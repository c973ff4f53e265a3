import type { SeriesPort } from "../circles/ports";

/**
 * The circles module's SeriesPort with one more listener on membership changes: the live session
 * caches who is in a circle for its intents and must forget that the moment someone joins or leaves.
 * The listener runs before the series is updated, so a Graph failure there cannot leave it stale.
 */
export function withMembershipListener(port: SeriesPort, onMembersChanged: (circleId: string) => void): SeriesPort {
  return {
    read: (record, caller) => port.read(record, caller),
    latestBooking: (record) => port.latestBooking(record),
    membersChanged: async (record, caller) => {
      onMembersChanged(record.circle.id);
      await port.membersChanged(record, caller);
    },
  };
}
