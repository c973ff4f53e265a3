import { findSlots } from "../api/scheduling";
import { syntheticCircle } from "../bench/synthetic-circles";
const inputs = Array.from({ length: 100 }, (_, i) => syntheticCircle(i));
for (let k = 0; k < 12; k++) { const t = performance.now(); for (const x of inputs) findSlots(x); console.log(((performance.now() - t) / inputs.length).toFixed(3)); }
