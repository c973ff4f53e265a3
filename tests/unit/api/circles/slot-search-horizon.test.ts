import { describe, expect, it } from "vitest";
import { seriesHorizon, tomorrowIn } from "../../../../api/circles/slot-search";

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);

describe("seriesHorizon", () => {
  it("covers the last session of the latest weekday's series, not just the first weeks", () => {
    // Weekly × 12 from Mon 9 Mar 2026: Sunday's series (first on 15 Mar) ends on 31 May.
    const h = seriesHorizon("2026-03-09", "weekly", 12);
    expect(h.start).toBeLessThanOrEqual(at("2026-03-08T10:00:00Z"));
    expect(h.end).toBeGreaterThanOrEqual(at("2026-06-01T12:00:00Z"));
    // Longer than one getSchedule window: the Graph layer must split it.
    expect(h.end - h.start).toBeGreaterThan(62 * DAY);
  });

  it("follows the monthly cadence by calendar month", () => {
    // Monthly × 6 from 30 Jan 2026 (a fifth weekday → "last"): the last session is in late June/early July.
    const h = seriesHorizon("2026-01-30", "monthly", 6);
    expect(h.end).toBeGreaterThanOrEqual(at("2026-07-01T00:00:00Z"));
    expect(h.end).toBeLessThan(at("2026-07-15T00:00:00Z"));
  });

  it("is a single session's day (plus margins) for one session", () => {
    const h = seriesHorizon("2026-03-09", "biweekly", 1);
    expect(h.end - h.start).toBeLessThanOrEqual(10 * DAY);
  });
});

describe("tomorrowIn", () => {
  it("is tomorrow in the circle's zone, which may differ from UTC's tomorrow", () => {
    const lateUtc = new Date("2026-03-02T20:00:00Z");
    expect(tomorrowIn("Europe/London", lateUtc)).toBe("2026-03-03");
    // Already 3 March (01:00) in Auckland.
    expect(tomorrowIn("Pacific/Auckland", lateUtc)).toBe("2026-03-04");
    // Still 2 March in Los Angeles.
    expect(tomorrowIn("America/Los_Angeles", new Date("2026-03-03T02:00:00Z"))).toBe("2026-03-03");
  });
});
