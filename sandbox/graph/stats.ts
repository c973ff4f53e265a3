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
  /** Outlook requests (top-level or $batch items) that reached a mailbox's concurrency check, throttled ones included. */
  mailboxRequests: number;
  injectedFaults: number;
  /** Injected faults by HTTP status ("429", "503", "504"). */
  injectedByStatus: Record<string, number>;
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
    return { ...this.s, injectedByStatus: { ...this.s.injectedByStatus }, byMethodAndPath: { ...this.s.byMethodAndPath } };
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
  countMailboxRequest(): void {
    this.s.mailboxRequests += 1;
  }
  countFault(kind: "injected" | "throttled", status?: number): void {
    if (kind === "injected") {
      this.s.injectedFaults += 1;
      if (status !== undefined) this.s.injectedByStatus[status] = (this.s.injectedByStatus[status] ?? 0) + 1;
    } else this.s.concurrencyThrottled += 1;
  }
}

function empty(): StatsSnapshot {
  return { graphRequests: 0, batchItems: 0, mailboxRequests: 0, injectedFaults: 0, injectedByStatus: {}, concurrencyThrottled: 0, byMethodAndPath: {} };
}
