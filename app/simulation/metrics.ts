// What a rehearsal measures while it runs: latency per route, errors seen by
// clients (attributed to the fault going on, if any), outcomes, and samples
// of the queue over time (the staffing advice has its own samples:
// staffing-advice.ts). Plain data in, plain data out.

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarise(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? 0),
  };
}

export interface ClientError {
  at: number;
  route: string;
  what: string;
  /** The fault going on when it happened, or null. */
  fault: string | null;
}

export interface FaultRecord {
  name: string;
  /** Real milliseconds since the start of the run. */
  startedAt: number;
  /** When the cluster answered every route again (the first success after the fault on each instance), or null. */
  recoveredAt: number | null;
  errors: number;
  detail: string;
}

export interface BacklogSample {
  /** Real milliseconds since the start. */
  at: number;
  /** Simulated seconds since the start of the day. */
  simSeconds: number;
  byChannel: Record<string, number>;
  byLanguage: Record<string, number>;
  agentsOnline: number;
  arrived: number;
  resolved: number;
}

export class Metrics {
  readonly latencies = new Map<string, number[]>();
  readonly statuses = new Map<string, Map<number, number>>();
  readonly errors: ClientError[] = [];
  readonly faults: FaultRecord[] = [];
  readonly samples: BacklogSample[] = [];
  readonly counters = new Map<string, number>();
  readonly startedAt = Date.now();
  private currentFault: FaultRecord | null = null;

  elapsed(): number {
    return Date.now() - this.startedAt;
  }

  record(route: string, ms: number, status: number) {
    let list = this.latencies.get(route);
    if (!list) this.latencies.set(route, (list = []));
    list.push(ms);
    let counts = this.statuses.get(route);
    if (!counts) this.statuses.set(route, (counts = new Map()));
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }

  error(route: string, what: string) {
    this.errors.push({ at: this.elapsed(), route, what, fault: this.currentFault?.name ?? null });
    if (this.currentFault) this.currentFault.errors++;
  }

  count(name: string, by = 1) {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  counter(name: string): number {
    return this.counters.get(name) ?? 0;
  }

  beginFault(name: string, detail: string): FaultRecord {
    const record: FaultRecord = { name, startedAt: this.elapsed(), recoveredAt: null, errors: 0, detail };
    this.faults.push(record);
    this.currentFault = record;
    return record;
  }

  /**
   * The fault is over for clients now; errors in the next `attributeMs` are
   * still counted against it (a request that was already on its way).
   */
  endFault(record: FaultRecord, attributeMs = 0) {
    record.recoveredAt = this.elapsed();
    const clear = () => {
      if (this.currentFault === record) this.currentFault = null;
    };
    if (attributeMs > 0) setTimeout(clear, attributeMs).unref?.();
    else clear();
  }

  /** Errors outside any fault: what must be zero. */
  errorsWithoutFault(): number {
    return this.errors.filter((e) => e.fault === null).length;
  }

  latencySummary(): Record<string, LatencySummary> {
    return Object.fromEntries([...this.latencies].sort(([a], [b]) => a.localeCompare(b)).map(([route, values]) => [route, summarise(values)]));
  }
}
