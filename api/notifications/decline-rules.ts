/**
 * Declined sessions, as pure rules (issue #5 part 2). Outlook takes a declined meeting or
 * occurrence off the attendee's calendar (Graph's `decline` moves it to Deleted Items), so a
 * decline is read as absence: a slot of the series that the member's copy no longer has, or a
 * copy of the series that was there once and is gone. An occurrence the organiser cancelled stays
 * on attendees' calendars (isCancelled) and is not a decline.
 */

export interface SlotReading {
  /** Slots of the series (epoch ms of each original start), from the copy's recurrence. */
  slots: readonly number[];
  durationMs: number;
  /** Slots the member's copy still has (original start, ISO UTC), cancelled ones included. */
  present: ReadonlySet<string>;
  nowMs: number;
}

export const slotKey = (ms: number): string => new Date(ms).toISOString();

/** Slots not over yet that the member's copy no longer has: declined (or deleted, which Outlook answers as a decline). */
export function declinedSlots(input: SlotReading): string[] {
  return input.slots.filter((s) => s + input.durationMs > input.nowMs && !input.present.has(slotKey(s))).map(slotKey);
}

/** "Declined by most": more than half of the members the session was for. */
export function isDeclinedByMost(declined: number, members: number): boolean {
  return members > 0 && declined * 2 > members;
}

export interface StandingDecline {
  circle_id: string;
  user_id: string;
  occurrence_key: string;
  /** 'occurrence' | 'series'. */
  scope: string;
  /** Occurrence: its start when declined; series: declined from this instant on. */
  session_start_at: string;
}

/**
 * Who declined which session, for counting. A session matches an occurrence decline by its slot
 * or by the start it had when declined (a moved session is read back at its new start), and a
 * series decline covers every session from when it was declined.
 */
export function declineIndex(rows: readonly StandingDecline[]) {
  const occurrences = new Map<string, Set<string>>();
  const series = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (r.scope === "series") {
      const from = Date.parse(r.session_start_at);
      const byUser = series.get(r.circle_id) ?? new Map<string, number>();
      byUser.set(r.user_id, Math.min(byUser.get(r.user_id) ?? Infinity, from));
      series.set(r.circle_id, byUser);
      continue;
    }
    for (const at of new Set([Date.parse(r.occurrence_key), Date.parse(r.session_start_at)])) {
      const key = `${r.circle_id}|${at}`;
      const users = occurrences.get(key) ?? new Set<string>();
      users.add(r.user_id);
      occurrences.set(key, users);
    }
  }
  const declinedBy = (circleId: string, start: string): Set<string> => {
    const at = Date.parse(start);
    const out = new Set(occurrences.get(`${circleId}|${at}`) ?? []);
    for (const [userId, from] of series.get(circleId) ?? []) if (at >= from) out.add(userId);
    return out;
  };
  return {
    /** Members who declined the circle's session starting at `start`. */
    declinedBy,
    hasDeclined: (circleId: string, userId: string, start: string) => declinedBy(circleId, start).has(userId),
  };
}
export type DeclineIndex = ReturnType<typeof declineIndex>;
