/** One measured figure. */
export interface BenchMetric {
  metric: string;
  value: number;
  unit: string;
}

/** What every bench/*.bench.ts module exports (as its default export, or as named `name` and `run`). */
export interface BenchModule {
  name: string;
  run(): Promise<BenchMetric[]>;
}
