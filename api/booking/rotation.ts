import { computeOccurrences, type Cadence, type LocalStart, type Occurrence } from "../scheduling";
import type { RotationMove } from "./schemas";
import { isoInZone } from "./series-view";

/**
 * A rotation booked as one series (feature "find time that is fair"): the recurring meeting
 * follows the rotation's first slot, and every session n with n % k = j ≠ 0 moves to slot j —
 * to the date slot j's own series has for session n, exactly as the slot search scored it
 * (slot j's first session is session j, and its series steps on with the circle's cadence).
 */
export interface RotationPlanInput {
  /** The booked series' sessions (the first slot's pattern), in order. */
  base: readonly Occurrence[];
  /** Slots 1 … k−1: the first session of each (session j of the series), wall clock in the circle's zone. */
  alternates: readonly LocalStart[];
  cadence: Cadence;
  sessionMinutes: number;
  /** A circle that ends on a date keeps every session on or before it: a move past it is left out. */
  endsOn?: string;
}

/**
 * The sessions to move, in series order. A session whose alternate time equals its own is not
 * moved. Each moved session must stay between its neighbours, as Exchange requires of an
 * occurrence exception.
 * @throws RangeError (a bad request: the rotation does not fit this series) with a message for people.
 */
export function planRotationMoves(input: RotationPlanInput): RotationMove[] {
  const { base, alternates, cadence, sessionMinutes } = input;
  const k = alternates.length + 1;
  const zone = alternates[0]?.timeZone;
  if (!zone || base.length < 2) throw new RangeError("A rotation needs a series of at least 2 sessions.");
  const final: Array<{ start: number; end: number; date: string }> = base.map((o) => ({ start: o.start, end: o.end, date: o.date }));
  const moves: RotationMove[] = [];
  alternates.forEach((alternate, slot) => {
    const j = slot + 1;
    if (j >= base.length) return;
    // Slot j's own series from its first session (session j), as long as the base series.
    const own = computeOccurrences({ start: alternate, cadence, sessionMinutes, sessionCount: base.length - j });
    for (let i = j; i < base.length; i += k) {
      const target = own[i - j];
      const original = base[i]!;
      if (!target || target.start === original.start) continue;
      if (input.endsOn !== undefined && target.date > input.endsOn) continue;
      final[i] = { start: target.start, end: target.end, date: target.date };
      moves.push({ index: i, originalStart: original.startIso, start: isoInZone(target.start, zone), end: isoInZone(target.end, zone) });
    }
  });
  // Exchange keeps an exception between its neighbours: the sessions must stay in order.
  for (let i = 1; i < final.length; i++) {
    if (final[i]!.start < final[i - 1]!.end) {
      throw new RangeError(`With this rotation the session of ${final[i]!.date} would come before the one of ${final[i - 1]!.date}; search for times again and book the rotation offered.`);
    }
  }
  return moves.sort((a, b) => a.index - b.index);
}
