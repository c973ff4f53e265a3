import { describe, expect, it } from "vitest";
import { CreateCircleBodySchema } from "../../../../api/circles/schemas";
import { sessionCountForEndDate, sessionsUntil } from "../../../../api/circles/series-end";
import { AppError } from "../../../../api/shared/errors";

const base = { name: "Circle", members: ["megan.bowen@contoso.example"], formatId: "coaching-circle", cadence: "biweekly", sessionMinutes: 60 };

describe("createCircle body: a number of sessions or an end date", () => {
  it("accepts exactly one of sessionCount and endsOn", () => {
    expect(CreateCircleBodySchema.parse({ ...base, sessionCount: 6 })).toMatchObject({ sessionCount: 6 });
    expect(CreateCircleBodySchema.parse({ ...base, endsOn: "2026-12-18" })).toMatchObject({ endsOn: "2026-12-18" });
    expect(CreateCircleBodySchema.parse({ ...base, endsOn: "2026-12-18" }).sessionCount).toBeUndefined();
  });

  it("rejects both, neither, and dates that are not calendar dates", () => {
    const both = CreateCircleBodySchema.safeParse({ ...base, sessionCount: 6, endsOn: "2026-12-18" });
    expect(both.success).toBe(false);
    expect(both.error?.issues[0]?.message).toMatch(/either sessionCount or endsOn/);
    const neither = CreateCircleBodySchema.safeParse(base);
    expect(neither.success).toBe(false);
    expect(neither.error?.issues[0]?.path).toEqual(["sessionCount"]);
    for (const endsOn of ["2026-02-30", "18/12/2026", "2026-12-18T00:00:00Z"]) expect(CreateCircleBodySchema.safeParse({ ...base, endsOn }).success, endsOn).toBe(false);
    expect(CreateCircleBodySchema.safeParse({ ...base, sessionCount: 53 }).success).toBe(false);
  });
});

describe("sessions until an end date", () => {
  it("counts the most sessions any weekday's series has from the first day", () => {
    // Weekly from Wed 4 Mar 2026 to Mon 16 Mar: Mon has 2 (9, 16), Wed–Fri 2, Tue 1.
    expect(sessionsUntil("2026-03-04", "weekly", "2026-03-16")).toBe(2);
    expect(sessionsUntil("2026-03-04", "weekly", "2026-03-03")).toBe(0);
  });

  it("refuses an end date that leaves no session or more than 52, naming endsOn", () => {
    const now = new Date("2026-03-02T09:00:00Z");
    expect(sessionCountForEndDate("2026-05-29", "biweekly", "Europe/London", now)).toBe(7);
    expect(() => sessionCountForEndDate("2026-03-02", "weekly", "Europe/London", now)).toThrow(AppError);
    expect(() => sessionCountForEndDate("2027-06-30", "weekly", "Europe/London", now)).toThrow(/at most 52/);
  });
});
