import { prepareSearch } from "../api/scheduling/slot-search-context";
import { describeSlot } from "../api/scheduling/describe-slot";
import { syntheticCircle } from "../bench/synthetic-circles";
const ctxs = Array.from({ length: 50 }, (_, i) => prepareSearch(syntheticCircle(i)));
for (let rep = 0; rep < 12; rep++) {
  const t = performance.now(); let n = 0;
  for (let k = 0; k < 20; k++) for (const ctx of ctxs) { describeSlot(ctx, 2, 900); n++; }
  console.log(((performance.now() - t) / n * 1000).toFixed(1), "µs per describeSlot");
}
