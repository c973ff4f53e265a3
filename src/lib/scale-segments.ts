/**
 * Fits a format's segment minutes to a session length, exactly as the API does when it writes the
 * agenda (api/circles/formats/scale-segments.ts): shares kept, whole minutes, at least 1 each,
 * adding up to `sessionMinutes` (largest remainder, ties to the earlier segment). Returns the
 * segments unchanged when the length is not usable (the form reports that separately).
 */
export function scaleSegments<S extends { minutes: number }>(segments: readonly S[], sessionMinutes: number): S[] {
  const formatMinutes = segments.reduce((sum, s) => sum + s.minutes, 0);
  if (!Number.isInteger(sessionMinutes) || sessionMinutes < segments.length || formatMinutes <= 0) return [...segments];
  const minutes = segments.map((s) => Math.floor((s.minutes * sessionMinutes) / formatMinutes));
  const remainders = segments.map((s) => (s.minutes * sessionMinutes) % formatMinutes);
  let left = sessionMinutes - minutes.reduce((sum, m) => sum + m, 0);
  const byRemainder = segments.map((_, i) => i).sort((a, b) => remainders[b]! - remainders[a]! || a - b);
  for (const i of byRemainder) {
    if (left === 0) break;
    minutes[i]! += 1;
    left -= 1;
  }
  for (let i = 0; i < minutes.length; i++) {
    if (minutes[i]! > 0) continue;
    let donor = -1;
    for (let j = 0; j < minutes.length; j++) if (minutes[j]! > 1 && (donor < 0 || minutes[j]! > minutes[donor]!)) donor = j;
    minutes[donor]! -= 1;
    minutes[i] = 1;
  }
  return segments.map((s, i) => ({ ...s, minutes: minutes[i]! }));
}
