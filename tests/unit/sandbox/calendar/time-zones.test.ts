import { describe, expect, it } from "vitest";
import { IANAZone } from "luxon";
import { findIanaZone, getIanaZoneOrThrow, offsetMinutes, toWindowsZone, wallToInstant } from "../../../../sandbox/graph/calendar/time-zones";
import { GraphError } from "../../../../sandbox/graph/errors";

describe("time-zone names", () => {
  it.each([
    ["GMT Standard Time", "Europe/London"],
    ["Pacific Standard Time", "America/Los_Angeles"],
    ["India Standard Time", "Asia/Kolkata"],
    ["W. Europe Standard Time", "Europe/Berlin"],
    ["Eastern Standard Time", "America/New_York"],
    ["pacific standard time", "America/Los_Angeles"],
    ["UTC", "Etc/UTC"],
    ["Europe/London", "Europe/London"],
    ["Asia/Calcutta", "Asia/Kolkata"],
  ])("reads %s as %s", (name, iana) => {
    expect(findIanaZone(name)).toBe(iana);
  });

  it.each([
    ["Europe/London", "GMT Standard Time"],
    ["America/Los_Angeles", "Pacific Standard Time"],
    ["Asia/Kolkata", "India Standard Time"],
    ["Europe/Berlin", "W. Europe Standard Time"],
    ["America/New_York", "Eastern Standard Time"],
  ])("reports %s as the Windows zone %s", (iana, windows) => {
    expect(toWindowsZone(iana)).toBe(windows);
  });

  it("answers an unknown zone with Graph's TimeZoneNotSupportedException", () => {
    expect(findIanaZone("Mars Standard Time")).toBeUndefined();
    try {
      getIanaZoneOrThrow("Mars Standard Time");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(GraphError);
      expect((err as GraphError).code).toBe("TimeZoneNotSupportedException");
    }
  });
});

describe("offsets", () => {
  it("agrees with luxon minute by minute around the London and LA switches of 2026", () => {
    const edges = [
      ["Europe/London", "2026-03-29T00:00:00Z"],
      ["Europe/London", "2026-10-25T00:00:00Z"],
      ["America/Los_Angeles", "2026-03-08T09:00:00Z"],
      ["America/Los_Angeles", "2026-11-01T08:00:00Z"],
    ] as const;
    for (const [zone, around] of edges) {
      const z = IANAZone.create(zone);
      const t0 = Date.parse(around);
      for (let m = -90; m <= 90; m++) {
        const t = t0 + m * 60_000;
        expect(offsetMinutes(zone, t)).toBe(z.offset(t));
      }
    }
  });

  it("places ordinary wall times exactly (Kolkata is UTC+05:30 all year)", () => {
    expect(new Date(wallToInstant(Date.UTC(2026, 6, 1, 9, 0), "Asia/Kolkata")).toISOString()).toBe("2026-07-01T03:30:00.000Z");
  });
});
