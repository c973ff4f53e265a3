import { findSlots } from "../api/scheduling";
import { syntheticCircle } from "./synthetic-circles";
import type { BenchModule } from "./types";

/**
 * Fair slot search over synthetic circles (8 members in London, New York, Los Angeles and Kolkata,
 * 12 fortnightly sessions, ~25 busy items per member per week). Only `findSlots` is timed; the
 * synthetic calendars are built before each timed call. Targets: median ≤ 2 ms per circle,
 * ≤ 3000 ms for 1000 different circles, on a 2-core CI machine.
 */
const CIRCLES = 1000;
const WARM_UP = 20;

function timeOne(index: number): number {
  const input = syntheticCircle(index);
  const started = performance.now();
  findSlots(input);
  return performance.now() - started;
}

const bench: BenchModule = {
  name: "slot-search",
  async run() {
    // The very first search pays for JIT warm-up and for building the zones' offset tables
    // (cached per zone and year for the life of the process); report it, then measure warm.
    const cold = timeOne(1_000_000);
    for (let i = 0; i < WARM_UP; i++) timeOne(2_000_000 + i);
    const times: number[] = [];
    for (let i = 0; i < CIRCLES; i++) times.push(timeOne(i));
    const total = times.reduce((sum, t) => sum + t, 0);
    const sorted = [...times].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    const round = (n: number) => Math.round(n * 1000) / 1000;
    return [
      { metric: "median_ms_per_circle", value: round(at(0.5)), unit: "ms" },
      { metric: "p95_ms_per_circle", value: round(at(0.95)), unit: "ms" },
      { metric: "total_ms_1000_circles", value: round(total), unit: "ms" },
      { metric: "first_call_ms", value: round(cold), unit: "ms" },
    ];
  },
};

export default bench;
