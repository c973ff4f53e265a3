import { prepareSearch } from "../api/scheduling/slot-search-context";
import { scoreCandidates, rankCandidates, CIRCLE_WEEKDAYS } from "../api/scheduling/score-candidates";
import { describeSlot, describeRotation } from "../api/scheduling/describe-slot";
import { chooseRotation } from "../api/scheduling/choose-rotation";
import { syntheticCircle } from "../bench/synthetic-circles";
const inputs = Array.from({ length: 200 }, (_, i) => syntheticCircle(i));
const acc = { prep: 0, score: 0, rank: 0, describe: 0, choose: 0, rot: 0 };
for (let rep = 0; rep < 4; rep++) {
  for (const k in acc) (acc as Record<string, number>)[k] = 0;
  for (const input of inputs) {
    let t = performance.now(); const ctx = prepareSearch(input); let u = performance.now(); acc.prep += u - t;
    t = u; const table = scoreCandidates(ctx); u = performance.now(); acc.score += u - t;
    t = u; const order = rankCandidates(table); u = performance.now(); acc.rank += u - t;
    const T = ctx.startMinutes.length;
    t = u; for (const c of order.slice(0, 5)) describeSlot(ctx, CIRCLE_WEEKDAYS[Math.floor(c / T)]!, ctx.startMinutes[c % T]!); u = performance.now(); acc.describe += u - t;
    t = u; const ch = chooseRotation(table, order, ctx.members.length, ctx.sessionCount); u = performance.now(); acc.choose += u - t;
    t = u; if (ch) describeRotation(ctx, ch.candidates.map((c) => ({ weekday: CIRCLE_WEEKDAYS[Math.floor(c / T)]!, startMinute: ctx.startMinutes[c % T]! }))); u = performance.now(); acc.rot += u - t;
  }
  console.log(Object.entries(acc).map(([k, v]) => `${k} ${(v / inputs.length * 1000).toFixed(0)}µs`).join("  "));
}
