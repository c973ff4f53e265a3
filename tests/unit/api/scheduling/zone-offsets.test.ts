import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { getZoneOffsets, isValidTimeZone, localToUtc, offsetAt, utcToLocal } from "../../../../api/scheduling";

const span = (zone: string) => getZoneOffsets(zone, Date.UTC(2026, 0, 1), Date.UTC(2027, 11, 31));

describe("zone offset tables", () => {
  it.each(["Europe/London", "America/Los_Angeles", "Asia/Kolkata", "Australia/Sydney", "America/Sao_Paulo", "Asia/Kathmandu", "Australia/Lord_Howe", "Africa/Casablanca"])(
    "%s agrees with the tz database every 6 hours over two years",
    (zone) => {
      const z = span(zone);
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 11, 31); t += 6 * 3_600_000) {
        expect(offsetAt(z, t)).toBe(DateTime.fromMillis(t, { zone }).offset);
      }
    },
  );

  it("India is +05:30 all year, Nepal +05:45", () => {
    expect(span("Asia/Kolkata").transitions).toEqual([]);
    expect(offsetAt(span("Asia/Kolkata"), Date.UTC(2026, 6, 1))).toBe(330);
    expect(offsetAt(span("Asia/Kathmandu"), Date.UTC(2026, 6, 1))).toBe(345);
  });

  it("a wall time skipped by spring-forward moves forward by the gap; a repeated one takes its first occurrence", () => {
    const london = span("Europe/London");
    // 29 Mar 2026 01:30 does not exist in London; 25 Oct 2026 01:30 happens twice.
    expect(new Date(localToUtc(london, Date.UTC(2026, 2, 29, 1, 30))).toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(new Date(localToUtc(london, Date.UTC(2026, 9, 25, 1, 30))).toISOString()).toBe("2026-10-25T00:30:00.000Z");
    expect(new Date(localToUtc(london, Date.UTC(2026, 6, 1, 15))).toISOString()).toBe("2026-07-01T14:00:00.000Z");
    expect(utcToLocal(london, Date.UTC(2026, 6, 1, 14))).toBe(Date.UTC(2026, 6, 1, 15));
  });

  it("knows which names are zones", () => {
    expect(isValidTimeZone("Asia/Kolkata")).toBe(true);
    expect(isValidTimeZone("GMT Standard Time")).toBe(false);
    expect(() => getZoneOffsets("Nowhere/Special", 0, 1)).toThrow(RangeError);
  });
});
