import { type CandidateTable, isAvailable } from "./score-candidates";

/** Candidates kept for pairing into rotations; pairs are ordered, so the cost grows with its square. */
const POOL_TOP = 16;
const POOL_PER_MEMBER = 4;
const TRIPLE_POOL = 20;
/** With the same spread of sessions, a third alternating slot is only worth it when it cuts the heaviest burden by a quarter. */
const TRIPLE_MIN_GAIN = 0.75;

export interface RotationChoice {
  /** Session n of the series uses candidates[n % candidates.length]. */
  candidates: number[];
  points: number;
  /** Most sessions outside hours that any one member carries over the whole rotation. */
  maxSessions: number;
  maxBurden: number;
  burdenTotal: number;
}

/** Order of rotations: fewest conflicts, then the fewest out-of-hours sessions on any one person, then the lightest heaviest burden, then total burden. */
function isBetter(best: RotationChoice | undefined, points: number, maxSessions: number, maxBurden: number, burdenTotal: number): boolean {
  if (!best) return true;
  if (points !== best.points) return points < best.points;
  if (maxSessions !== best.maxSessions) return maxSessions < best.maxSessions;
  if (maxBurden !== best.maxBurden) return maxBurden < best.maxBurden;
  return burdenTotal < best.burdenTotal;
}

/** The `k` candidates kindest to member m: fewest conflicts, least burden for m, least burden overall. */
function kindestTo(table: CandidateTable, m: number, members: number, k: number): number[] {
  const points = table.points;
  const burden = table.burden;
  const burdenTotal = table.burdenTotal;
  const kept: number[] = [];
  const less = (a: number, b: number) => points[a]! - points[b]! || burden[a * members + m]! - burden[b * members + m]! || burdenTotal[a]! - burdenTotal[b]! || a - b;
  for (let c = 0; c < table.count; c++) {
    if (kept.length === k && less(c, kept[k - 1]!) >= 0) continue;
    let at = kept.length;
    while (at > 0 && less(c, kept[at - 1]!) < 0) at--;
    kept.splice(at, 0, c);
    if (kept.length > k) kept.pop();
  }
  return kept;
}

/**
 * Chooses 2 (or 3) candidates to alternate, session by session, so the out-of-hours burden is
 * shared: fewest conflicts first, then the fewest out-of-hours sessions carried by any one
 * member, then the lowest burden on the most burdened member, then the lowest total. Searches
 * ordered pairs (and triples) from a pool of the best candidates overall plus, for each member,
 * the candidates kindest to them — a fair rotation pairs a slot good for one group with a slot
 * good for the other. `undefined` when the series has under 2 sessions.
 */
export function chooseRotation(table: CandidateTable, order: number[], members: number, sessionCount: number): RotationChoice | undefined {
  const M = members;
  if (sessionCount < 2 || order.length < 2) return undefined;
  const pool = new Set(order.slice(0, POOL_TOP));
  for (let m = 0; m < M; m++) for (const c of kindestTo(table, m, M, POOL_PER_MEMBER)) pool.add(c);
  // Weekdays with no session before the circle's end date cannot take part.
  const candidates = [...pool].filter((c) => isAvailable(table, c));

  const b2 = table.burdenByResidue2;
  const s2 = table.sessionsByResidue2;
  const p2 = table.pointsByResidue2;
  let best: RotationChoice | undefined;
  for (const a of candidates) {
    for (const b of candidates) {
      if (a === b) continue;
      const points = p2[a * 2]! + p2[b * 2 + 1]!;
      if (best && points > best.points) continue;
      let max = 0;
      let total = 0;
      let maxSessions = 0;
      for (let m = 0; m < M; m++) {
        const v = b2[a * 2 * M + m]! + b2[(b * 2 + 1) * M + m]!;
        const sessions = s2[a * 2 * M + m]! + s2[(b * 2 + 1) * M + m]!;
        total += v;
        if (v > max) max = v;
        if (sessions > maxSessions) maxSessions = sessions;
      }
      if (isBetter(best, points, maxSessions, max, total)) best = { candidates: [a, b], points, maxSessions, maxBurden: max, burdenTotal: total };
    }
  }
  if (sessionCount < 3 || !best) return best;

  const b3 = table.burdenByResidue3;
  const s3 = table.sessionsByResidue3;
  const p3 = table.pointsByResidue3;
  const small = candidates.slice(0, TRIPLE_POOL);
  let best3: RotationChoice | undefined;
  for (const a of small) {
    for (const b of small) {
      if (a === b) continue;
      for (const c of small) {
        if (c === a || c === b) continue;
        const points = p3[a * 3]! + p3[b * 3 + 1]! + p3[c * 3 + 2]!;
        if (points > best.points || (best3 && points > best3.points)) continue;
        let max = 0;
        let total = 0;
        let maxSessions = 0;
        for (let m = 0; m < M; m++) {
          const v = b3[a * 3 * M + m]! + b3[(b * 3 + 1) * M + m]! + b3[(c * 3 + 2) * M + m]!;
          const sessions = s3[a * 3 * M + m]! + s3[(b * 3 + 1) * M + m]! + s3[(c * 3 + 2) * M + m]!;
          total += v;
          if (v > max) max = v;
          if (sessions > maxSessions) maxSessions = sessions;
        }
        if (isBetter(best3, points, maxSessions, max, total)) best3 = { candidates: [a, b, c], points, maxSessions, maxBurden: max, burdenTotal: total };
      }
    }
  }
  if (!best3) return best;
  const fewerSessions = best3.maxSessions < best.maxSessions;
  const sameSessionsMuchLighter = best3.maxSessions === best.maxSessions && best3.maxBurden <= best.maxBurden * TRIPLE_MIN_GAIN;
  return fewerSessions || sameSessionsMuchLighter ? best3 : best;
}
