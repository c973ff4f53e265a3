import type { ReviewStatus } from "./schemas";

/**
 * Points each review status earns towards the completion rate. "changed" is left out of the rate
 * altogether (neither numerator nor denominator): the owner consciously re-planned, which the
 * practice treats as learning, not failure — counting it as 0 would punish adapting, counting it
 * as done would flatter the rate. It is still reported on its own (`changed`).
 */
export const COMPLETION_POINTS: Readonly<Record<Exclude<ReviewStatus, "changed">, number>> = {
  done: 1,
  partly: 0.5,
  notDone: 0,
};

export interface CompletionSummary {
  /** 0–1, or `null` when nothing counts yet (no reviews, or only "changed"): "no data" is not 0 %. */
  rate: number | null;
  /** Reviews that count towards the rate (done + partly + notDone). */
  counted: number;
  done: number;
  partly: number;
  notDone: number;
  changed: number;
}

/** Completion over reviewed commitments: done = 1, partly = 0.5, not done = 0, changed excluded. */
export function summariseCompletion(reviews: Iterable<{ status: ReviewStatus }>): CompletionSummary {
  const tally = { done: 0, partly: 0, notDone: 0, changed: 0 };
  for (const review of reviews) tally[review.status] += 1;
  const counted = tally.done + tally.partly + tally.notDone;
  const points = tally.done * COMPLETION_POINTS.done + tally.partly * COMPLETION_POINTS.partly + tally.notDone * COMPLETION_POINTS.notDone;
  return { rate: counted === 0 ? null : points / counted, counted, ...tally };
}

/** Shorthand for `summariseCompletion(reviews).rate`. */
export function completionRate(reviews: Iterable<{ status: ReviewStatus }>): number | null {
  return summariseCompletion(reviews).rate;
}
