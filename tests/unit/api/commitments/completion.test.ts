import { describe, expect, it } from "vitest";
import { completionRate, summariseCompletion } from "../../../../api/commitments/completion";
import type { ReviewStatus } from "../../../../api/commitments/schemas";

const reviews = (...statuses: ReviewStatus[]) => statuses.map((status) => ({ status }));

describe("completion rate", () => {
  it("counts done as 1, partly as a half and not done as 0", () => {
    expect(completionRate(reviews("done", "partly", "notDone", "done"))).toBe(0.625);
  });

  it("leaves changed commitments out of the rate but still counts them", () => {
    expect(summariseCompletion(reviews("done", "changed", "notDone", "changed"))).toEqual({ rate: 0.5, counted: 2, done: 1, partly: 0, notDone: 1, changed: 2 });
  });

  it("says there is no rate yet rather than 0 % when nothing counts", () => {
    expect(completionRate([])).toBeNull();
    expect(completionRate(reviews("changed"))).toBeNull();
    expect(completionRate(reviews("notDone"))).toBe(0);
  });
});
