/**
 * Half-open intervals `[start, end)` on a number line (epoch ms for instants) and the algebra
 * availability needs. Sets of intervals are kept sorted, disjoint and non-touching ("merged"),
 * so membership and overlap questions are a binary search.
 */
export interface Interval {
  start: number;
  end: number;
}

/** Sorted, disjoint, non-touching intervals stored column-wise for fast scanning. */
export interface IntervalSet {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

export const EMPTY_SET: IntervalSet = { starts: [], ends: [] };

/**
 * Sorts (only when needed — Graph already returns schedule items in order) and merges
 * overlapping or touching intervals; empty and inverted intervals are dropped.
 */
export function mergeIntervals(intervals: readonly Interval[]): IntervalSet {
  let sorted = true;
  for (let i = 1; i < intervals.length; i++) {
    if (intervals[i]!.start < intervals[i - 1]!.start) {
      sorted = false;
      break;
    }
  }
  const list = sorted ? intervals : [...intervals].sort((a, b) => a.start - b.start);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const { start, end } of list) {
    if (!(end > start)) continue;
    const n = ends.length;
    if (n > 0 && start <= ends[n - 1]!) {
      if (end > ends[n - 1]!) ends[n - 1] = end;
    } else {
      starts.push(start);
      ends.push(end);
    }
  }
  return { starts, ends };
}

/** The intervals of a set, as objects. */
export function toIntervals(set: IntervalSet): Interval[] {
  return set.starts.map((start, i) => ({ start, end: set.ends[i]! }));
}

/** Index of the first interval that ends after `at` (= set length when none). */
export function firstEndingAfter(set: IntervalSet, at: number): number {
  const ends = set.ends;
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ends[mid]! <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether `[start, end)` overlaps any interval of the set. O(log n). */
export function overlapsAny(set: IntervalSet, start: number, end: number): boolean {
  const i = firstEndingAfter(set, start);
  return i < set.starts.length && set.starts[i]! < end;
}

/** How much of `[start, end)` the set covers. O(log n + k). */
export function coveredLength(set: IntervalSet, start: number, end: number): number {
  let total = 0;
  for (let i = firstEndingAfter(set, start); i < set.starts.length && set.starts[i]! < end; i++) {
    total += Math.min(end, set.ends[i]!) - Math.max(start, set.starts[i]!);
  }
  return total;
}

/** Intersection of two merged sets. O(n + m). */
export function intersect(a: IntervalSet, b: IntervalSet): IntervalSet {
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.starts.length && j < b.starts.length) {
    const start = Math.max(a.starts[i]!, b.starts[j]!);
    const end = Math.min(a.ends[i]!, b.ends[j]!);
    if (start < end) {
      starts.push(start);
      ends.push(end);
    }
    if (a.ends[i]! < b.ends[j]!) i++;
    else j++;
  }
  return { starts, ends };
}

/** `a` minus `b` for merged sets. O(n + m). */
export function subtract(a: IntervalSet, b: IntervalSet): IntervalSet {
  const starts: number[] = [];
  const ends: number[] = [];
  let j = 0;
  for (let i = 0; i < a.starts.length; i++) {
    let start = a.starts[i]!;
    const end = a.ends[i]!;
    while (j < b.starts.length && b.ends[j]! <= start) j++;
    let k = j;
    while (k < b.starts.length && b.starts[k]! < end) {
      if (b.starts[k]! > start) {
        starts.push(start);
        ends.push(b.starts[k]!);
      }
      start = Math.max(start, b.ends[k]!);
      k++;
    }
    if (start < end) {
      starts.push(start);
      ends.push(end);
    }
  }
  return { starts, ends };
}
