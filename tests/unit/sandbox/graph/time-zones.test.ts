import { describe, expect, it } from "vitest";
import { ianaToWindows, windowsToIana } from "../../../../sandbox/graph/time-zones";

describe("Windows time-zone names (CLDR windowsZones)", () => {
  it("maps every seeded zone, including India's current IANA name", () => {
    expect(ianaToWindows("Europe/London")).toBe("GMT Standard Time");
    expect(ianaToWindows("Europe/Berlin")).toBe("W. Europe Standard Time");
    expect(ianaToWindows("America/New_York")).toBe("Eastern Standard Time");
    expect(ianaToWindows("America/Los_Angeles")).toBe("Pacific Standard Time");
    // CLDR lists it as the legacy Asia/Calcutta.
    expect(ianaToWindows("Asia/Kolkata")).toBe("India Standard Time");
    expect(ianaToWindows("Mars/Olympus_Mons")).toBeUndefined();
  });

  it("maps Windows names back to current IANA names", () => {
    expect(windowsToIana("India Standard Time")).toBe("Asia/Kolkata");
    expect(windowsToIana("Pacific Standard Time")).toBe("America/Los_Angeles");
    expect(windowsToIana("Nowhere Standard Time")).toBeUndefined();
  });
});
