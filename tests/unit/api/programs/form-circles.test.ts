import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { type FormCirclesResult, formCircles } from "../../../../api/programs/form-circles";
import type { FormCirclesOptions, PoolMember } from "../../../../api/programs/schemas";

/** mulberry32: the test's own generator, so pools are reproducible per seed. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "America/Chicago", "Asia/Kolkata", "America/Los_Angeles", "Australia/Sydney", "Asia/Tokyo"];
const DEPARTMENTS = ["Engineering", "Sales", "Finance", "People", "Operations"];

/** A pool with an org chart: ~1 in 6 people manage someone, ~20 % newcomers. */
function generatePool(seed: number, size: number): PoolMember[] {
  const rand = generator(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const pool: PoolMember[] = [];
  for (let i = 0; i < size; i++) {
    const managerIndex = i === 0 ? -1 : Math.floor(rand() * Math.min(i, Math.ceil(size / 6)));
    pool.push({
      id: `person-${seed}-${i}`,
      timeZone: pick(ZONES),
      department: pick(DEPARTMENTS),
      level: Math.floor(rand() * 5) + 1,
      managerId: managerIndex < 0 ? null : `person-${seed}-${managerIndex}`,
      tenureMonths: rand() < 0.2 ? Math.floor(rand() * 6) : 6 + Math.floor(rand() * 100),
    });
  }
  return pool;
}

const BASE: FormCirclesOptions = { seed: 1, size: { min: 3, max: 8 }, startsOn: "2026-03-01" };

function byId(pool: readonly PoolMember[]) {
  return new Map(pool.map((m) => [m.id, m]));
}

/** Everyone placed at most once, and placed + unplaced is exactly the pool. */
function expectEveryoneAccountedFor(pool: readonly PoolMember[], result: FormCirclesResult) {
  const placed = result.circles.flatMap((c) => c.memberIds);
  expect(new Set(placed).size).toBe(placed.length);
  const all = [...placed, ...result.unplaced.map((u) => u.id)].sort();
  expect(all).toEqual(pool.map((m) => m.id).sort());
}

const localCache = new Map<string, { weekday: number; minutes: number; iso: string }>();
function localTime(utcMs: number, zone: string) {
  const key = `${zone}|${utcMs}`;
  let hit = localCache.get(key);
  if (!hit) {
    const local = DateTime.fromMillis(utcMs, { zone });
    hit = { weekday: local.weekday, minutes: local.hour * 60 + local.minute, iso: local.toISO()! };
    localCache.set(key, hit);
  }
  return hit;
}

const DAY_MS = 86_400_000;
const WEEKDAY_INDEX: Record<string, number> = { monday: 0, tuesday: 1, wednesday: 2, thursday: 3, friday: 4, saturday: 5, sunday: 6 };

/**
 * Independent check of the shared hours a circle claims, with luxon rather than the code under
 * test: on the claimed UTC days, every week of the year from the start, the claimed stretch lies
 * within every member's 09:00–17:00, Monday–Friday, in their own zone.
 */
function expectClaimedHoursHold(members: readonly PoolMember[], claim: { startUtc: string; longestMinutes: number; daysUtc: string[] }, minMinutes: number) {
  expect(claim.longestMinutes).toBeGreaterThanOrEqual(minMinutes);
  expect(claim.daysUtc.length).toBeGreaterThan(0);
  const [hh, mm] = claim.startUtc.split(":").map(Number);
  const firstMonday = Date.UTC(2026, 2, 2);
  // The first and last claimed day, every week of the year (both daylight-saving changes and the gaps between zones).
  for (const day of new Set([claim.daysUtc[0]!, claim.daysUtc[claim.daysUtc.length - 1]!])) {
    for (let week = 0; week < 52; week++) {
      const start = firstMonday + (week * 7 + WEEKDAY_INDEX[day]!) * DAY_MS + (hh! * 60 + mm!) * 60_000;
      for (const instant of [start, start + (minMinutes - 1) * 60_000]) {
        for (const member of members) {
          const local = localTime(instant, member.timeZone);
          const ok = local.weekday <= 5 && local.minutes >= 9 * 60 && local.minutes < 17 * 60;
          if (!ok) expect.fail(`${member.id} (${member.timeZone}) is not at work at ${local.iso}`);
        }
      }
    }
  }
}

describe("forming circles from a pool", () => {
  it("keeps every rule on generated pools, whatever the seed", () => {
    for (let seed = 1; seed <= 12; seed++) {
      const pool = generatePool(seed, 60 + seed * 17);
      const avoidSkipLevel = seed % 2 === 0;
      const result = formCircles(pool, { ...BASE, seed, avoidSkipLevel });
      const people = byId(pool);
      expectEveryoneAccountedFor(pool, result);
      for (const circle of result.circles) {
        expect(circle.memberIds.length).toBeGreaterThanOrEqual(3);
        expect(circle.memberIds.length).toBeLessThanOrEqual(8);
        const ids = new Set(circle.memberIds);
        const members = circle.memberIds.map((id) => people.get(id)!);
        for (const member of members) {
          expect(ids.has(member.managerId ?? ""), `${member.id} is with their manager`).toBe(false);
          if (avoidSkipLevel && member.managerId) {
            const skip = people.get(member.managerId)?.managerId ?? "";
            expect(ids.has(skip), `${member.id} is with their skip-level manager`).toBe(false);
          }
        }
        const seasoned = members.filter((m) => (m.tenureMonths ?? 99) >= 6).length;
        expect(seasoned, "a circle of newcomers only").toBeGreaterThanOrEqual(1);
        expect(circle.explanation.seasoned).toBe(seasoned);
        expectClaimedHoursHold(members, circle.explanation.sharedHours, 60);
      }
      // Most of a reasonably spread pool finds a circle.
      expect(result.unplaced.length).toBeLessThan(pool.length * 0.1);
      for (const u of result.unplaced) expect(u.reason.message.length).toBeGreaterThan(0);
    }
  });

  it("forms only pairs in pairs mode, each with a seasoned member", () => {
    for (let seed = 1; seed <= 8; seed++) {
      const pool = generatePool(seed, 41 + seed * 2);
      const result = formCircles(pool, { ...BASE, seed, size: "pairs" });
      expectEveryoneAccountedFor(pool, result);
      const people = byId(pool);
      for (const circle of result.circles) {
        expect(circle.memberIds).toHaveLength(2);
        const [a, b] = circle.memberIds.map((id) => people.get(id)!);
        expect(a!.managerId).not.toBe(b!.id);
        expect(b!.managerId).not.toBe(a!.id);
        expect(circle.explanation.seasoned, "two newcomers paired").toBeGreaterThanOrEqual(1);
        expectClaimedHoursHold([a!, b!], circle.explanation.sharedHours, 60);
      }
    }
  });

  it("gives the same circles for the same seed, in whatever order the pool is listed", () => {
    const pool = generatePool(7, 150);
    const first = formCircles(pool, BASE);
    expect(formCircles([...pool].reverse(), BASE)).toEqual(first);
    const other = formCircles(pool, { ...BASE, seed: "another proposal" });
    expect(other.circles.map((c) => c.memberIds)).not.toEqual(first.circles.map((c) => c.memberIds));
  });

  it("mixes departments and spreads newcomers in a single-zone pool", () => {
    const pool: PoolMember[] = Array.from({ length: 40 }, (_, i) => ({
      id: `p${String(i).padStart(2, "0")}`,
      timeZone: "Europe/Paris",
      department: DEPARTMENTS[i % 5]!,
      level: (i % 4) + 1,
      isNewcomer: i % 5 === 1,
    }));
    const result = formCircles(pool, { ...BASE, size: { min: 4, max: 6, target: 5 } });
    expect(result.unplaced).toEqual([]);
    expect(result.circles).toHaveLength(8);
    const newcomers = result.circles.map((c) => c.explanation.newcomers);
    expect(Math.max(...newcomers) - Math.min(...newcomers)).toBeLessThanOrEqual(1);
    for (const circle of result.circles) expect(circle.explanation.departments).toBe(5);
    for (const circle of result.circles) expect(circle.explanation.levels).toBeGreaterThanOrEqual(3);
  });

  it("clusters by a chosen attribute when asked", () => {
    const goals = ["negotiation", "delegation", "feedback"];
    const pool: PoolMember[] = Array.from({ length: 36 }, (_, i) => ({
      id: `p${String(i).padStart(2, "0")}`,
      timeZone: "America/New_York",
      department: DEPARTMENTS[i % 5]!,
      attributes: { goal: goals[i % 3]! },
    }));
    const result = formCircles(pool, { ...BASE, grouping: { mode: "cluster", attribute: "goal" } });
    expect(result.unplaced).toEqual([]);
    const goalOf = byId(pool);
    for (const circle of result.circles) {
      const values = new Set(circle.memberIds.map((id) => goalOf.get(id)!.attributes!.goal));
      expect(values.size).toBe(1);
      expect(circle.explanation.cluster).toEqual({ attribute: "goal", value: [...values][0] });
    }
  });

  it("counts only hours shared on both sides of the US/EU daylight-saving gap (London–New York: 2 h, not 3 h)", () => {
    const pool: PoolMember[] = [
      ...["l1", "l2", "l3"].map((id) => ({ id, timeZone: "Europe/London" })),
      ...["n1", "n2", "n3"].map((id) => ({ id, timeZone: "America/New_York" })),
    ];
    const together = formCircles(pool, { ...BASE, minSharedMinutes: 120 });
    expect(together.circles.map((c) => c.memberIds)).toEqual([["l1", "l2", "l3", "n1", "n2", "n3"]]);
    expect(together.circles[0]!.explanation.sharedHours).toMatchObject({ startUtc: "14:00", endUtc: "16:00", longestMinutes: 120 });
    const apart = formCircles(pool, { ...BASE, minSharedMinutes: 150 });
    expect(apart.circles.map((c) => c.memberIds).sort()).toEqual([
      ["l1", "l2", "l3"],
      ["n1", "n2", "n3"],
    ]);
  });

  it("finds shared hours that cross midnight UTC (Auckland and Sydney share 23:00–04:00 UTC)", () => {
    const pool: PoolMember[] = [
      ...["a1", "a2"].map((id) => ({ id, timeZone: "Pacific/Auckland" })),
      ...["s1", "s2"].map((id) => ({ id, timeZone: "Australia/Sydney" })),
    ];
    const result = formCircles(pool, { ...BASE, minSharedMinutes: 300 });
    expect(result.circles.map((c) => c.memberIds)).toEqual([["a1", "a2", "s1", "s2"]]);
    expect(result.circles[0]!.explanation.sharedHours).toMatchObject({ startUtc: "23:00", endUtc: "04:00", longestMinutes: 300 });
  });

  it("respects each person's own working hours", () => {
    const early = { daysOfWeek: ["monday", "tuesday", "wednesday", "thursday", "friday"] as const, startTime: "06:00", endTime: "10:00" };
    const pool: PoolMember[] = [
      ...["e1", "e2", "e3"].map((id) => ({ id, timeZone: "Europe/Berlin", workingHours: { ...early, daysOfWeek: [...early.daysOfWeek] } })),
      ...["x1", "x2", "x3"].map((id) => ({ id, timeZone: "Europe/Berlin", workingHours: { daysOfWeek: [...early.daysOfWeek], startTime: "12:00", endTime: "18:00" } })),
    ];
    const result = formCircles(pool, BASE);
    expect(result.circles.map((c) => c.memberIds).sort()).toEqual([
      ["e1", "e2", "e3"],
      ["x1", "x2", "x3"],
    ]);
  });

  it("says why people were left out", () => {
    const pool: PoolMember[] = [
      ...Array.from({ length: 6 }, (_, i) => ({ id: `tokyo${i}`, timeZone: "Asia/Tokyo" })),
      { id: "weekender", timeZone: "Europe/London", workingHours: { daysOfWeek: ["saturday"], startTime: "09:00", endTime: "17:00" } },
      { id: "ny1", timeZone: "America/New_York" },
      { id: "ny2", timeZone: "America/New_York" },
      { id: "tokyo0", timeZone: "Asia/Tokyo" },
      { id: "mars", timeZone: "Mars/Olympus_Mons" },
      { id: "", timeZone: "Europe/London" },
    ];
    const result = formCircles(pool, BASE);
    const reasons = Object.fromEntries(result.unplaced.map((u) => [u.id, u.reason.code]));
    expect(reasons).toEqual({ weekender: "noSharedHours", ny1: "tooFewSharingHours", ny2: "tooFewSharingHours", tokyo0: "duplicate", mars: "unknownTimeZone", "": "invalidEntry" });
    expect(result.unplaced.find((u) => u.id === "ny1")!.reason.message).toContain("Only 1 other person");
    expect(result.circles.map((c) => c.memberIds)).toEqual([["tokyo0", "tokyo1", "tokyo2", "tokyo3", "tokyo4", "tokyo5"]]);
  });

  it("leaves a manager out rather than seat them with their reports, and says so", () => {
    const pool: PoolMember[] = [
      { id: "boss", timeZone: "Europe/London" },
      ...["r1", "r2", "r3"].map((id) => ({ id, timeZone: "Europe/London", managerId: "boss" })),
    ];
    const result = formCircles(pool, BASE);
    expect(result.circles.map((c) => c.memberIds)).toEqual([["r1", "r2", "r3"]]);
    expect(result.unplaced).toEqual([{ id: "boss", reason: expect.objectContaining({ code: "managerConflict" }) }]);
  });

  it("moves someone to make room when the only open seat is next to a manager", () => {
    // Six people in one zone → two circles of three; m manages a and b, so they cannot share.
    const pool: PoolMember[] = [
      { id: "m", timeZone: "Europe/London" },
      { id: "a", timeZone: "Europe/London", managerId: "m" },
      { id: "b", timeZone: "Europe/London", managerId: "m" },
      ...["c", "d", "e"].map((id) => ({ id, timeZone: "Europe/London" })),
    ];
    const result = formCircles(pool, { ...BASE, size: { min: 3, max: 3 } });
    expect(result.unplaced).toEqual([]);
    const withManager = result.circles.find((c) => c.memberIds.includes("m"))!;
    expect(withManager.memberIds).not.toContain("a");
    expect(withManager.memberIds).not.toContain("b");
  });

  it("never pairs two newcomers while the pool has seasoned people, and says why one waits", () => {
    const pool: PoolMember[] = [
      ...["s1", "s2"].map((id) => ({ id, timeZone: "Europe/Berlin", tenureMonths: 40 })),
      ...["n1", "n2", "n3"].map((id) => ({ id, timeZone: "Europe/Berlin", tenureMonths: 2 })),
    ];
    const result = formCircles(pool, { ...BASE, size: "pairs" });
    expect(result.circles).toHaveLength(2);
    for (const circle of result.circles) expect(circle.explanation).toMatchObject({ newcomers: 1, seasoned: 1 });
    expect(result.unplaced).toEqual([{ id: expect.stringMatching(/^n/), reason: expect.objectContaining({ code: "noSeasonedMember" }) }]);
  });

  it("forms circles of newcomers for an all-newcomer cohort, and notes it", () => {
    const pool: PoolMember[] = ["a", "b", "c", "d"].map((id) => ({ id, timeZone: "Asia/Singapore", isNewcomer: true }));
    const result = formCircles(pool, BASE);
    expect(result.circles.map((c) => c.memberIds)).toEqual([["a", "b", "c", "d"]]);
    expect(result.circles[0]!.explanation.notes).toEqual([expect.stringContaining("Only newcomers")]);
  });

  it("rejects invalid options", () => {
    expect(() => formCircles([], { ...BASE, size: { min: 6, max: 4 } })).toThrow();
    expect(() => formCircles([], { ...BASE, size: { min: 2, max: 8 } })).toThrow();
    expect(() => formCircles([], { ...BASE, startsOn: "soon" })).toThrow();
  });
});
