import { type IntervalSet, firstEndingAfter, overlapsAny } from "./intervals";
import { MINUTE_MS } from "./local-time";
import { type SearchContext, fillStarts, isSteadyAround, measureOutsideMany, seriesDays } from "./slot-search-context";
import { offsetAt } from "./zone-offsets";

/** The weekdays a circle can meet on (0 = Sunday): Monday to Friday. */
export const CIRCLE_WEEKDAYS = [1, 2, 3, 4, 5];

/**
 * Totals for every candidate over the whole series. Candidate c = weekdayIndex × T + startIndex
 * (T = number of start times). Member-level arrays are indexed c × M + m.
 */
export interface CandidateTable {
  count: number;
  hard: Int32Array;
  tentative: Int32Array;
  /** Minutes outside working hours, per candidate and member. */
  outside: Int32Array;
  /** Outside minutes plus distance from working hours, per candidate and member. */
  burden: Int32Array;
  /** Burden of the sessions with index ≡ r (mod 2), at ((c × 2 + r) × M + m); likewise mod 3. For rotations. */
  burdenByResidue2: Int32Array;
  burdenByResidue3: Int32Array;
  /** Sessions (partly) outside member m's hours, by residue like burdenByResidue2/3. For rotations. */
  sessionsByResidue2: Int32Array;
  sessionsByResidue3: Int32Array;
  /** Conflict points (busy 2, tentative 1) of sessions ≡ r (mod 2) at c × 2 + r; likewise mod 3. */
  pointsByResidue2: Int32Array;
  pointsByResidue3: Int32Array;
  /** Conflict points per candidate: busy/out-of-office 2, tentative 1 (tentative counts half). */
  points: Int32Array;
  membersOutside: Int32Array;
  /** Most sessions (partly) outside hours that any one member has. */
  maxMemberSessions: Int32Array;
  outsideTotal: Int32Array;
  maxBurden: Int32Array;
  burdenTotal: Int32Array;
}

/**
 * Scores every candidate. Two observations keep this fast:
 * - conflicts: on a date without an offset change the candidate starts form an even grid, so each
 *   busy interval near that date marks a contiguous range of start indices (no per-start search);
 * - working hours: a member's outside-hours minutes for a start time depend only on the date's
 *   "geometry" (the circle's and the member's UTC offsets — the weekday is fixed for a series), so
 *   they are measured once per geometry (1–3 per series) and multiplied by how often it occurs.
 */
export function scoreCandidates(ctx: SearchContext): CandidateTable {
  const M = ctx.members.length;
  const T = ctx.startMinutes.length;
  const W = CIRCLE_WEEKDAYS.length;
  const C = W * T;
  const N = ctx.sessionCount;
  // One allocation for every column: the table is rebuilt per search, and one buffer is
  // cheaper to allocate, zero and collect than sixteen.
  // Per candidate: 8 single values, 5 conflict residues (mod 2 and mod 3), and per member the
  // outside minutes, the burden and 2 × 5 residues of burden and sessions.
  const memory = new Int32Array(C * (13 + 12 * M));
  let used = 0;
  const column = (length: number): Int32Array => memory.subarray(used, (used += length));
  const table: CandidateTable = {
    count: C,
    hard: column(C),
    tentative: column(C),
    outside: column(C * M),
    burden: column(C * M),
    burdenByResidue2: column(C * 2 * M),
    burdenByResidue3: column(C * 3 * M),
    sessionsByResidue2: column(C * 2 * M),
    sessionsByResidue3: column(C * 3 * M),
    pointsByResidue2: column(C * 2),
    pointsByResidue3: column(C * 3),
    points: column(C),
    membersOutside: column(C),
    maxMemberSessions: column(C),
    outsideTotal: column(C),
    maxBurden: column(C),
    burdenTotal: column(C),
  };

  const dur = ctx.sessionMs;
  const stepMs = ctx.stepMinutes * MINUTE_MS;
  const startsByOccurrence = Array.from({ length: N }, () => new Float64Array(T));
  const steady = new Uint8Array(N);
  const mark = new Int8Array(T);
  const range = new Int32Array(2);
  const outsideByStart = new Int32Array(T);
  const burdenByStart = new Int32Array(T);

  for (let wi = 0; wi < W; wi++) {
    const days = seriesDays(ctx, CIRCLE_WEEKDAYS[wi]!);
    // Sessions of this weekday's series: N, or fewer when the series ends on a date.
    const n = days.length;
    const base = wi * T;
    if (n === 0) {
      markUnavailable(table, base, T, M);
      continue;
    }
    for (let i = 0; i < n; i++) steady[i] = fillStarts(ctx, days[i]!, startsByOccurrence[i]!) ? 1 : 0;
    // A date's geometry: the circle's and the working-hours zone's offsets, or NaN when either
    // changes near that date (then the date is measured on its own). Shared by members in one zone.
    const geometries = new Map<string, Float64Array>();
    const geometryOf = (zoneName: string, mem: (typeof ctx.members)[number]): Float64Array => {
      let g = geometries.get(zoneName);
      if (!g) {
        g = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const day = days[i]!;
          g[i] = steady[i] && isSteadyAround(mem.workZone, day) ? offsetAt(ctx.circleZone, day) * 10_000 + offsetAt(mem.workZone, day) : NaN;
        }
        geometries.set(zoneName, g);
      }
      return g;
    };

    for (let m = 0; m < M; m++) {
      const mem = ctx.members[m]!;

      // Conflicts, per session date.
      for (let i = 0; i < n; i++) {
        const starts = startsByOccurrence[i]!;
        const r2 = i % 2;
        const r3 = i % 3;
        let lo = T;
        let hi = -1;
        if (steady[i]) {
          const s0 = starts[0]!;
          const last = starts[T - 1]! + dur;
          range[0] = T;
          range[1] = -1;
          markGrid(mem.hard, 2, s0, last, dur, stepMs, mark, range);
          markGrid(mem.tentative, 1, s0, last, dur, stepMs, mark, range);
          lo = range[0]!;
          hi = range[1]!;
        } else {
          // A date with an offset change: check each start on its own (rare).
          for (let t = 0; t < T; t++) {
            const s = starts[t]!;
            const v = overlapsAny(mem.hard, s, s + dur) ? 2 : overlapsAny(mem.tentative, s, s + dur) ? 1 : 0;
            if (v > 0) {
              mark[t] = v;
              if (t < lo) lo = t;
              if (t > hi) hi = t;
            }
          }
        }
        for (let t = lo; t <= hi; t++) {
          const v = mark[t]!;
          if (v === 0) continue;
          const c = base + t;
          if (v === 2) table.hard[c]!++;
          else table.tentative[c]!++;
          table.pointsByResidue2[c * 2 + r2]! += v;
          table.pointsByResidue3[c * 3 + r3]! += v;
          mark[t] = 0;
        }
      }

      // Working hours, once per distinct date geometry.
      const geometry = geometryOf(mem.workZone.zone, mem);
      const done = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        if (done[i]) continue;
        const key = geometry[i]!;
        const count2 = [0, 0];
        const count3 = [0, 0, 0];
        for (let j = i; j < n; j++) {
          if (done[j] || (j !== i && (Number.isNaN(key) || geometry[j] !== key))) continue;
          done[j] = 1;
          count2[j % 2]!++;
          count3[j % 3]!++;
        }
        if (!measureOutsideMany(mem.work, startsByOccurrence[i]!, dur, outsideByStart, burdenByStart)) continue;
        const count = count2[0]! + count2[1]!;
        for (let t = 0; t < T; t++) {
          const b = burdenByStart[t]!;
          if (b === 0) continue;
          const cm = (base + t) * M + m;
          table.outside[cm]! += count * outsideByStart[t]!;
          table.burden[cm]! += count * b;
          const c2 = (base + t) * 2 * M + m;
          table.burdenByResidue2[c2]! += count2[0]! * b;
          table.burdenByResidue2[c2 + M]! += count2[1]! * b;
          const c3 = (base + t) * 3 * M + m;
          table.burdenByResidue3[c3]! += count3[0]! * b;
          table.burdenByResidue3[c3 + M]! += count3[1]! * b;
          table.burdenByResidue3[c3 + 2 * M]! += count3[2]! * b;
          table.sessionsByResidue2[c2]! += count2[0]!;
          table.sessionsByResidue2[c2 + M]! += count2[1]!;
          table.sessionsByResidue3[c3]! += count3[0]!;
          table.sessionsByResidue3[c3 + M]! += count3[1]!;
          table.sessionsByResidue3[c3 + 2 * M]! += count3[2]!;
        }
      }
    }
  }

  for (let c = 0; c < C; c++) {
    if (table.membersOutside[c]! > M) continue;
    let membersOutside = 0;
    let outsideTotal = 0;
    let maxBurden = 0;
    let burdenTotal = 0;
    let maxSessions = 0;
    for (let m = 0; m < M; m++) {
      const o = table.outside[c * M + m]!;
      const b = table.burden[c * M + m]!;
      const sessions = table.sessionsByResidue2[c * 2 * M + m]! + table.sessionsByResidue2[(c * 2 + 1) * M + m]!;
      if (o > 0) membersOutside++;
      outsideTotal += o;
      burdenTotal += b;
      if (b > maxBurden) maxBurden = b;
      if (sessions > maxSessions) maxSessions = sessions;
    }
    table.points[c] = 2 * table.hard[c]! + table.tentative[c]!;
    table.membersOutside[c] = membersOutside;
    table.maxMemberSessions[c] = maxSessions;
    table.outsideTotal[c] = outsideTotal;
    table.maxBurden[c] = maxBurden;
    table.burdenTotal[c] = burdenTotal;
  }
  return table;
}

/** A conflict score no real series reaches: candidates that cannot be booked rank last, in every ordering. */
const UNAVAILABLE_POINTS = 1 << 20;

/**
 * A weekday whose series has no session before the circle's end date: its candidates must never
 * be suggested nor paired into a rotation, so they get the worst score on every key (and
 * membersOutside > M marks them for the totals pass).
 */
function markUnavailable(table: CandidateTable, base: number, T: number, M: number): void {
  for (let t = 0; t < T; t++) {
    const c = base + t;
    table.points[c] = UNAVAILABLE_POINTS;
    table.membersOutside[c] = M + 1;
    for (let r = 0; r < 2; r++) table.pointsByResidue2[c * 2 + r] = UNAVAILABLE_POINTS;
    for (let r = 0; r < 3; r++) table.pointsByResidue3[c * 3 + r] = UNAVAILABLE_POINTS;
  }
}

/** Whether a candidate can be booked at all (its weekday has sessions before the end date). */
export function isAvailable(table: CandidateTable, c: number): boolean {
  return table.points[c]! < UNAVAILABLE_POINTS;
}

/**
 * Marks the grid starts that overlap a busy interval of `set` with `value` (keeping the larger
 * mark) and widens `range` ([lowest, highest] marked index). Start s conflicts with [b, e)
 * exactly when b − dur < s < e.
 */
function markGrid(set: IntervalSet, value: number, s0: number, last: number, dur: number, stepMs: number, mark: Int8Array, range: Int32Array): void {
  const bs = set.starts;
  const be = set.ends;
  const T = mark.length;
  for (let q = firstEndingAfter(set, s0); q < bs.length && bs[q]! < last; q++) {
    const from = Math.max(0, Math.floor((bs[q]! - dur - s0) / stepMs) + 1);
    const to = Math.min(T - 1, Math.ceil((be[q]! - s0) / stepMs) - 1);
    for (let t = from; t <= to; t++) if (mark[t]! < value) mark[t] = value;
    if (from <= to) {
      if (from < range[0]!) range[0] = from;
      if (to > range[1]!) range[1] = to;
    }
  }
}

/** Conflict points of a candidate: busy/out-of-office 2, tentative 1 (tentative counts half). */
export function conflictPoints(table: CandidateTable, c: number): number {
  return table.points[c]!;
}

/**
 * Candidate order, best first: conflicts (tentative = half), members outside hours, minutes
 * outside, the heaviest individual burden (prefer shared burden), total burden, then earlier in
 * the week and the day. Keys are packed into two exact doubles so the sort compares numbers only.
 */
export function rankCandidates(table: CandidateTable): number[] {
  const primary = new Float64Array(table.count);
  const secondary = new Float64Array(table.count);
  const cap = (v: number, bits: number) => Math.min(v, 2 ** bits - 1);
  for (let c = 0; c < table.count; c++) {
    primary[c] = (cap(table.points[c]!, 16) * 64 + cap(table.membersOutside[c]!, 6)) * 2 ** 24 + cap(table.outsideTotal[c]!, 24);
    secondary[c] = cap(table.maxBurden[c]!, 22) * 2 ** 26 + cap(table.burdenTotal[c]!, 26);
  }
  const order = Array.from({ length: table.count }, (_, c) => c);
  order.sort((a, b) => primary[a]! - primary[b]! || secondary[a]! - secondary[b]! || a - b);
  return order;
}
