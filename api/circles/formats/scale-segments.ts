/**
 * Fits a format's segments to the booked session length: each segment keeps its share of the
 * format's own length, in whole minutes, at least 1 minute each, and the minutes add up to
 * exactly `sessionMinutes` (largest-remainder method, ties to the earlier segment). Order is kept.
 *
 * Pure and dependency-free: the front end uses it too (src/lib/scale-segments.ts), so the agenda
 * a user previews is the agenda Outlook gets.
 *
 * All arithmetic is on integers (minutes × length), so results are exact and repeatable.
 * @throws RangeError when `sessionMinutes` is not a whole number or leaves under 1 minute per segment.
 */
export function scaleSegments<S extends { minutes: number }>(format: { segments: readonly S[] }, sessionMinutes: number): S[] {
  const segments = format.segments;
  if (!Number.isInteger(sessionMinutes) || sessionMinutes < segments.length) {
    throw new RangeError(`a ${segments.length}-segment format needs a whole number of at least ${segments.length} minutes, got ${sessionMinutes}`);
  }
  const formatMinutes = segments.reduce((sum, s) => sum + s.minutes, 0);
  const minutes = segments.map((s) => Math.floor((s.minutes * sessionMinutes) / formatMinutes));
  const remainders = segments.map((s) => (s.minutes * sessionMinutes) % formatMinutes);
  let left = sessionMinutes - minutes.reduce((sum, m) => sum + m, 0);
  // Hand out the leftover minutes to the largest remainders (stable: earlier segment first).
  const byRemainder = segments.map((_, i) => i).sort((a, b) => remainders[b]! - remainders[a]! || a - b);
  for (const i of byRemainder) {
    if (left === 0) break;
    minutes[i]! += 1;
    left -= 1;
  }
  // A very short session can round a short segment to 0: give it 1 minute, taken from the
  // longest segment (the one that loses the smallest share of its time).
  for (let i = 0; i < minutes.length; i++) {
    if (minutes[i]! > 0) continue;
    let donor = -1;
    for (let j = 0; j < minutes.length; j++) if (minutes[j]! > 1 && (donor < 0 || minutes[j]! > minutes[donor]!)) donor = j;
    minutes[donor]! -= 1;
    minutes[i] = 1;
  }
  return segments.map((s, i) => ({ ...s, minutes: minutes[i]! }));
}
