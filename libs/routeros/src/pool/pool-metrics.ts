import type { RouterErrorKind } from '../errors/router-errors';

/** Upper bounds (ms) of the latency histogram; Prometheus-style cumulative buckets. */
export const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;

export interface LatencyHistogram {
  bucketsMs: readonly number[];
  /** counts[i] = calls that took <= bucketsMs[i]; the last entry is +Inf (every call). */
  cumulativeCounts: number[];
  count: number;
  sumMs: number;
}

export interface PoolMetricsSnapshot {
  /** gauge: authenticated connections open now */
  openConnections: number;
  /** counter: connection attempts (first connects and reconnects) */
  connectAttempts: number;
  /** counter: connections that reached "logged in" */
  connectionsOpened: number;
  /** counter: successful connects after a router's earlier connection was lost or failed */
  reconnects: number;
  /** gauge: calls on the wire now */
  inFlight: number;
  /** gauge: calls waiting for a per-router slot */
  queued: number;
  /** counter: calls finished (ok or not) */
  calls: number;
  /** counter per error kind */
  errors: Record<RouterErrorKind | 'other', number>;
  /** gauge: routers whose circuit is open */
  openCircuits: number;
  latency: LatencyHistogram;
}

/** Plain counters; apps export them (e.g. to prom-client) by reading `pool.metrics()`. */
export class PoolMetrics {
  connectAttempts = 0;
  connectionsOpened = 0;
  reconnects = 0;
  calls = 0;
  readonly errors: Record<RouterErrorKind | 'other', number> = {
    unreachable: 0,
    timeout: 0,
    login: 0,
    trap: 0,
    fatal: 0,
    circuit_open: 0,
    busy: 0,
    other: 0,
  };
  private readonly bucketCounts = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  private latencyCount = 0;
  private latencySum = 0;

  observeLatency(ms: number): void {
    this.latencyCount++;
    this.latencySum += ms;
    const i = LATENCY_BUCKETS_MS.findIndex((b) => ms <= b);
    this.bucketCounts[i < 0 ? LATENCY_BUCKETS_MS.length : i]++;
  }

  snapshot(gauges: { openConnections: number; inFlight: number; queued: number; openCircuits: number }): PoolMetricsSnapshot {
    let running = 0;
    const cumulativeCounts = this.bucketCounts.map((c) => (running += c));
    return {
      ...gauges,
      connectAttempts: this.connectAttempts,
      connectionsOpened: this.connectionsOpened,
      reconnects: this.reconnects,
      calls: this.calls,
      errors: { ...this.errors },
      latency: { bucketsMs: LATENCY_BUCKETS_MS, cumulativeCounts, count: this.latencyCount, sumMs: this.latencySum },
    };
  }
}
