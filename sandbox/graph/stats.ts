/** Counters for tests and benchmarks: how hard did the product hit Graph? */
export interface SandboxStats {
  /** Outer HTTP requests to /v1.0 (a $batch counts once, its items do not). */
  graphRequests(): number;
  reset(): void;
  snapshot(): StatsSnapshot;
}

export interface StatsSnapshot {
  graphRequests: number;
  batchItems: number;
  injectedFaults: number;
  concurrencyThrottled: number;
  byMethodAndPath: Record<string, number>;
}

export class StatsCounter implements SandboxStats {
  private s: StatsSnapshot = empty();

  graphRequests(): number {
    return this.s.graphRequests;
  }
  reset(): void {
    this.s = empty();
  }
  snapshot(): StatsSnapshot {
    return { ...this.s, byMethodAndPath: { ...this.s.byMethodAndPath } };
  }
  countOuter(method: string, path: string): void {
    this.s.graphRequests += 1;
    // Ids make every path unique; collapse GUID-ish and long opaque segments to keep keys useful.
    const key = `${method} ${path.split("?")[0]!.replace(/\/[^/]*[0-9][^/]{15,}/g, "/{id}")}`;
    this.s.byMethodAndPath[key] = (this.s.byMethodAndPath[key] ?? 0) + 1;
  }
  countBatchItems(n: number): void {
    this.s.batchItems += n;
  }
  countFault(kind: "injected" | "throttled"): void {
    if (kind === "injected") this.s.injectedFaults += 1;
    else this.s.concurrencyThrottled += 1;
  }
}

function empty(): StatsSnapshot {
  return { graphRequests: 0, batchItems: 0, injectedFaults: 0, concurrencyThrottled: 0, byMethodAndPath: {} };
}
