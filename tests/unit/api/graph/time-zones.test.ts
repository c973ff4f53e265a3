import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { toEpochMs, toGraphDateTimeUtc } from "../../../../api/graph/date-time";
import { findIanaZone, findWindowsZone, getIanaZoneOrThrow, getWindowsZoneOrThrow, ianaToWindows, windowsToIana } from "../../../../api/graph/time-zones";

// The team's pinned copy of CLDR 48 windowsZones, next to the repo: <repo>/../shared/reference/.
const referencePath = fileURLToPath(new URL("../../../../../shared/reference/timezones/windowsZones.cldr48.json", import.meta.url));
const reference = JSON.parse(readFileSync(referencePath, "utf8")) as {
  supplemental: { windowsZones: { mapTimezones: Array<{ mapZone: { _other: string; _type: string; _territory: string } }> } };
};
const entries = reference.supplemental.windowsZones.mapTimezones.map((m) => m.mapZone);

describe("Windows ↔ IANA against the CLDR 48 reference", () => {
  it("maps every Windows name to its territory-001 zone", () => {
    const primaries = entries.filter((e) => e._territory === "001");
    expect(primaries.length).toBeGreaterThan(130);
    // The same zone, under the tz database's current name where CLDR keeps an old one.
    const sameZone = (zone: string) => new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
    for (const entry of primaries) expect(sameZone(windowsToIana(entry._other) ?? ""), entry._other).toBe(sameZone(entry._type));
  });

  it("answers with the tz database's current names, not CLDR's historical ones", () => {
    expect(windowsToIana("India Standard Time")).toBe("Asia/Kolkata");
    expect(windowsToIana("Nepal Standard Time")).toBe("Asia/Kathmandu");
    expect(windowsToIana("FLE Standard Time")).toBe("Europe/Kyiv");
  });

  it("maps every IANA zone listed for a Windows name back to that Windows name", () => {
    for (const entry of entries) {
      for (const zone of entry._type.split(/\s+/).filter(Boolean)) expect(ianaToWindows(zone), zone).toBe(entry._other);
    }
  });

  it("passes every listed IANA zone through findIanaZone unchanged", () => {
    for (const entry of entries) {
      for (const zone of entry._type.split(/\s+/).filter(Boolean)) expect(findIanaZone(zone), zone).toBe(zone);
    }
  });
});

describe("time zone names from Graph", () => {
  it("maps the zones our seeded people use", () => {
    expect(windowsToIana("W. Europe Standard Time")).toBe("Europe/Berlin");
    expect(windowsToIana("Pacific Standard Time")).toBe("America/Los_Angeles");
    expect(windowsToIana("GMT Standard Time")).toBe("Europe/London");
    expect(windowsToIana("UTC")).toBe("Etc/UTC");
    expect(windowsToIana("tzone://Microsoft/Utc")).toBe("Etc/UTC");
  });

  it("accepts IANA names Graph sometimes returns instead of Windows names", () => {
    expect(windowsToIana("Europe/Paris")).toBe("Europe/Paris");
    expect(findIanaZone("America/Argentina/Buenos_Aires")).toBe("America/Argentina/Buenos_Aires");
  });

  it("resolves IANA aliases to the Windows name", () => {
    expect(ianaToWindows("Asia/Kolkata")).toBe("India Standard Time");
    expect(ianaToWindows("Europe/Kyiv")).toBe("FLE Standard Time");
    expect(ianaToWindows("Etc/UTC")).toBe("UTC");
    expect(ianaToWindows("UTC")).toBe("UTC");
  });

  it("finds nothing for unknown names and throws a message naming them", () => {
    expect(findIanaZone("Customized Time Zone")).toBeUndefined();
    expect(findIanaZone("EST")).toBeUndefined();
    expect(findWindowsZone("Mars/Olympus_Mons")).toBeUndefined();
    expect(() => getIanaZoneOrThrow("Mars Standard Time")).toThrow(/"Mars Standard Time"/);
    expect(() => getWindowsZoneOrThrow("Mars/Olympus_Mons")).toThrow(/"Mars\/Olympus_Mons"/);
  });
});

describe("Graph dateTimeTimeZone", () => {
  it("reads Graph's 7-digit fractions in UTC", () => {
    expect(toEpochMs({ dateTime: "2025-01-15T09:00:00.0000000", timeZone: "UTC" })).toBe(Date.UTC(2025, 0, 15, 9));
  });

  it("reads a Windows zone across the spring-forward edge (Europe/Berlin, 2025-03-30)", () => {
    expect(toEpochMs({ dateTime: "2025-03-29T09:00:00", timeZone: "W. Europe Standard Time" })).toBe(Date.UTC(2025, 2, 29, 8));
    expect(toEpochMs({ dateTime: "2025-03-30T09:00:00", timeZone: "W. Europe Standard Time" })).toBe(Date.UTC(2025, 2, 30, 7));
  });

  it("writes instants as UTC wall-clock without an offset", () => {
    expect(toGraphDateTimeUtc(Date.UTC(2025, 5, 1, 12, 30))).toEqual({ dateTime: "2025-06-01T12:30:00.000", timeZone: "UTC" });
  });

  it("rejects an unknown zone", () => {
    expect(() => toEpochMs({ dateTime: "2025-01-15T09:00:00", timeZone: "Customized Time Zone" })).toThrow(/Customized Time Zone/);
  });
});
