import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { BUILT_IN_FORMATS, copyFormat, findBuiltInFormat, FormatSchema, scaleSegments, type Format } from "../../../../../api/circles/formats";

/** product.md, "Formats that ship built in" — copied verbatim so a data edit that drifts from the product table fails here. */
const PRODUCT_TABLE: Array<[id: string, name: string, length: number, segments: string]> = [
  ["coaching-circle", "Coaching circle", 60, "check-in round (8) · commitment review (7) · case share (10) · question storm: open questions only, case owner listens (12) · ideas & feedforward (10) · commitments (8) · close & appreciation (5)"],
  ["intent-exploration-experiment", "Intent · Exploration · Experiment", 45, "check-in (5) · intent: the one performance question (10) · exploration: strategies and assumptions (15) · experiment: one small testable step (10) · close (5)"],
  ["grow-for-equals", "GROW for equals", 45, "purpose & permission (3) · goal in behavioural terms (7) · reality with examples (10) · options, role-play if agreed (12) · way forward: one experiment (8) · mutual commitments (5)"],
  ["sbi-feedforward", "SBI + feedforward", 30, "permission (2) · situation-behaviour-impact, observations before interpretations (8) · feedforward: what to try next time, co-created script (12) · one sentence to remember, practice now (8)"],
  ["action-learning-set", "Action learning set", 60, "challenge presented (10) · open questions only (15) · experiments proposed, not prescribed (15) · challenger chooses an action (10) · learning captured (10)"],
  ["micro-session", "Micro-session", 25, "intention (3) · practise one skill (12) · debrief (6) · one experiment for the week (4)"],
  ["first-session", "First session", 60, "introductions & why we're here (10) · ground rules & charter, each member agrees (15) · expectations (10) · personal development plans (20) · first commitments (5)"],
];

function minutesOf(segments: Array<{ minutes: number }>): number {
  return segments.reduce((sum, s) => sum + s.minutes, 0);
}

describe("built-in formats", () => {
  it("ships exactly the seven formats of the product table, with its names, lengths, segments and minutes", () => {
    expect(BUILT_IN_FORMATS.map((f) => f.id)).toEqual(PRODUCT_TABLE.map(([id]) => id));
    for (const [id, name, length, segments] of PRODUCT_TABLE) {
      const format = findBuiltInFormat(id);
      expect(format?.name).toBe(name);
      expect(format?.defaultMinutes).toBe(length);
      expect(format?.segments.map((s) => `${s.name} (${s.minutes})`).join(" · ")).toBe(segments);
    }
  });

  it.each(BUILT_IN_FORMATS.map((f) => [f.id, f] as const))("%s: segments add up to its length and pass the schema", (_id, format) => {
    expect(minutesOf(format.segments)).toBe(format.defaultMinutes);
    expect(() => FormatSchema.parse(format)).not.toThrow();
    for (const segment of format.segments) {
      expect(segment.purpose.length).toBeGreaterThan(10);
      expect(segment.prompts.length).toBeGreaterThan(0);
    }
  });

  it("returns undefined for an unknown format id", () => {
    expect(findBuiltInFormat("nope")).toBeUndefined();
  });
});

describe("scaleSegments", () => {
  const circle = findBuiltInFormat("coaching-circle")!;

  it("keeps the product table's minutes when booked at the format's own length", () => {
    for (const format of BUILT_IN_FORMATS) {
      expect(scaleSegments(format, format.defaultMinutes).map((s) => s.minutes)).toEqual(format.segments.map((s) => s.minutes));
    }
  });

  it("shrinks a 60-minute circle to exactly 45 whole minutes, proportionally and in order", () => {
    const scaled = scaleSegments(circle, 45);
    expect(minutesOf(scaled)).toBe(45);
    expect(scaled.map((s) => s.id)).toEqual(circle.segments.map((s) => s.id));
    // 8,7,10,12,10,8,5 × 0.75 = 6, 5.25, 7.5, 9, 7.5, 6, 3.75 → floors add to 43; the two spare minutes go to the largest remainders: 3.75, then the first 7.5
    expect(scaled.map((s) => s.minutes)).toEqual([6, 5, 8, 9, 7, 6, 4]);
  });

  it("stretches a 60-minute circle to exactly 90 minutes", () => {
    const scaled = scaleSegments(circle, 90);
    expect(minutesOf(scaled)).toBe(90);
    expect(scaled.map((s) => s.minutes)).toEqual([12, 11, 15, 18, 15, 12, 7]);
  });

  it("sums exactly for every built-in format at every bookable length (20–90 min), never below 1 minute", () => {
    for (const format of BUILT_IN_FORMATS) {
      for (let length = 20; length <= 90; length++) {
        const scaled = scaleSegments(format, length);
        expect(minutesOf(scaled)).toBe(length);
        expect(Math.min(...scaled.map((s) => s.minutes))).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it("gives every segment at least a minute even when the session is very short", () => {
    const scaled = scaleSegments(circle, 7);
    expect(scaled.map((s) => s.minutes)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(minutesOf(scaleSegments(circle, 9))).toBe(9);
  });

  it("refuses a length that cannot give each segment a whole minute", () => {
    expect(() => scaleSegments(circle, 6)).toThrow(RangeError);
    expect(() => scaleSegments(circle, 45.5)).toThrow(RangeError);
  });
});

describe("copyFormat", () => {
  const micro = findBuiltInFormat("micro-session")!;

  it("copies under a new id and keeps prompts of segments that are only retimed", () => {
    const copy = copyFormat(micro, {
      name: "Micro-session (long practice)",
      segments: micro.segments.map((s) => ({ id: s.id, name: s.name, minutes: s.id === "practise-one-skill" ? 20 : s.minutes })),
    });
    expect(copy.id).toBe("micro-session-copy");
    expect(copy.defaultMinutes).toBe(33);
    expect(copy.segments[1]?.prompts).toEqual(micro.segments[1]?.prompts);
    expect(micro.segments[1]?.minutes).toBe(12); // the built-in is untouched
  });

  it("gives new segments ids from their names, unique within the format", () => {
    const copy: Format = copyFormat(micro, {
      id: "micro-plus",
      segments: [
        { name: "Warm up", minutes: 5, purpose: "Arrive.", prompts: ["How are you?"] },
        { name: "Warm up", minutes: 5, purpose: "Arrive again." },
      ],
    });
    expect(copy.segments.map((s) => s.id)).toEqual(["warm-up", "warm-up-2"]);
  });

  it("rejects more than 12 segments, minutes outside 1–90 and names over 80 characters", () => {
    const segment = { name: "x", minutes: 5, purpose: "p" };
    expect(() => copyFormat(micro, { segments: Array.from({ length: 13 }, () => segment) })).toThrow(ZodError);
    expect(() => copyFormat(micro, { segments: [] })).toThrow(ZodError);
    expect(() => copyFormat(micro, { segments: [{ ...segment, minutes: 91 }] })).toThrow(ZodError);
    expect(() => copyFormat(micro, { segments: [{ ...segment, minutes: 0 }] })).toThrow(ZodError);
    expect(() => copyFormat(micro, { segments: [{ ...segment, name: "n".repeat(81) }] })).toThrow(ZodError);
    expect(() => copyFormat(micro, { name: "n".repeat(81) })).toThrow(ZodError);
    expect(() => copyFormat(micro, { id: "Not Kebab" })).toThrow(ZodError);
  });
});
