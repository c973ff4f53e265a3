/**
 * Benchmark runner: `npm run bench` runs every bench/*.bench.ts, `npm run bench -- NAME` runs one.
 * Prints one JSON object per metric and line: {"bench","metric","value","unit"}.
 * Exits 2 on an unknown name (listing the known ones), 1 when a bench throws.
 */
import { readdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BenchModule } from "./types";

function isBenchModule(value: unknown): value is BenchModule {
  return typeof value === "object" && value !== null && typeof (value as BenchModule).name === "string" && typeof (value as BenchModule).run === "function";
}

async function discoverBenches(dir: string): Promise<BenchModule[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".bench.ts")).sort();
  const benches: BenchModule[] = [];
  for (const file of files) {
    const mod: Record<string, unknown> = await import(pathToFileURL(join(dir, file)).href);
    const candidate = isBenchModule(mod.default) ? mod.default : mod;
    if (!isBenchModule(candidate)) throw new Error(`${file} must export { name: string, run(): Promise<metrics> }`);
    benches.push(candidate);
  }
  return benches;
}

async function main(argv: string[]): Promise<number> {
  const benches = await discoverBenches(dirname(fileURLToPath(import.meta.url)));
  const wanted = argv[0];
  const selected = wanted === undefined ? benches : benches.filter((b) => b.name === wanted);
  if (selected.length === 0) {
    process.stderr.write(`Unknown bench "${wanted}". Known benches: ${benches.map((b) => b.name).join(", ") || "(none)"}\n`);
    return 2;
  }
  for (const bench of selected) {
    for (const m of await bench.run()) {
      process.stdout.write(`${JSON.stringify({ bench: bench.name, metric: m.metric, value: m.value, unit: m.unit })}\n`);
    }
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
