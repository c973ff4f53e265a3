import { findSlots } from "../api/scheduling";
import { syntheticCircle } from "../bench/synthetic-circles";
for (let i = 0; i < 30; i++) findSlots(syntheticCircle(9000 + i));
let cpu = 0, wall = 0; const walls: number[] = [];
for (let i = 0; i < 1000; i++) {
  const x = syntheticCircle(i);
  const c0 = process.cpuUsage(); const t0 = performance.now();
  findSlots(x);
  const w = performance.now() - t0; const c = process.cpuUsage(c0);
  cpu += (c.user + c.system) / 1000; wall += w; walls.push(w);
}
walls.sort((a, b) => a - b);
console.log(`cpu ${cpu.toFixed(0)}ms wall ${wall.toFixed(0)}ms median ${walls[500]!.toFixed(3)} p95 ${walls[950]!.toFixed(3)}`);
