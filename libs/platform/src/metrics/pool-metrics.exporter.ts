import type { Metric, MetricValueWithName } from 'prom-client';
import type { PoolMetricsSnapshot } from '@isp/routeros';
import type { AppMetrics } from './app-metrics';

/** What exportPoolMetrics needs of a RouterConnectionPool (a structural type keeps platform free of the pool's construction). */
export interface PoolMetricsSource {
  metrics(): PoolMetricsSnapshot;
}

/**
 * Exports a RouterOS connection pool's counters (libs/routeros PoolMetrics) read at scrape time.
 * The command-latency histogram is rebuilt from the pool's own cumulative buckets, so the pool
 * needs no prom-client and nothing is counted twice.
 */
export function exportPoolMetrics(metrics: AppMetrics, pool: PoolMetricsSource): void {
  let snap: PoolMetricsSnapshot | undefined;
  let at = 0;
  // One snapshot per scrape for all the series below.
  const read = () => {
    if (!snap || Date.now() - at > 500) {
      snap = pool.metrics();
      at = Date.now();
    }
    return snap;
  };
  const gauge = (name: string, help: string, pick: (s: PoolMetricsSnapshot) => number) =>
    metrics.gauge(name, help, [], function () {
      this.set(pick(read()));
    });
  const counter = (name: string, help: string, pick: (s: PoolMetricsSnapshot) => number) => replaceWithCollected(metrics, name, help, 'counter', () => [{ labels: {}, value: pick(read()) }]);

  gauge('routeros_pool_connections_open', 'Authenticated RouterOS API connections open now', (s) => s.openConnections);
  gauge('routeros_pool_commands_in_flight', 'RouterOS API commands on the wire now', (s) => s.inFlight);
  gauge('routeros_pool_commands_queued', 'RouterOS API commands waiting for a per-router slot', (s) => s.queued);
  gauge('routeros_pool_breakers_open', 'Routers whose circuit breaker is open or half-open', (s) => s.openCircuits);
  counter('routeros_pool_connect_attempts_total', 'RouterOS API connection attempts (first connects and reconnects)', (s) => s.connectAttempts);
  counter('routeros_pool_connections_opened_total', 'RouterOS API connections that logged in', (s) => s.connectionsOpened);
  counter('routeros_pool_reconnects_total', "Successful connects after a router's earlier connection was lost or failed", (s) => s.reconnects);
  counter('routeros_pool_commands_total', 'RouterOS API commands finished, ok or not', (s) => s.calls);
  replaceWithCollected(metrics, 'routeros_pool_command_errors_total', 'RouterOS API command failures by kind', 'counter', () =>
    Object.entries(read().errors).map(([kind, value]) => ({ labels: { kind }, value })),
  );
  const name = 'routeros_pool_command_duration_seconds';
  replaceWithCollected(metrics, name, 'RouterOS API command latency, queueing and connecting included', 'histogram', () => {
    const h = read().latency;
    const values: MetricValueWithName<string>[] = h.bucketsMs.map((le, i) => ({ metricName: `${name}_bucket`, labels: { le: le / 1000 }, value: h.cumulativeCounts[i] }));
    values.push({ metricName: `${name}_bucket`, labels: { le: '+Inf' }, value: h.count });
    values.push({ metricName: `${name}_sum`, labels: {}, value: h.sumMs / 1000 });
    values.push({ metricName: `${name}_count`, labels: {}, value: h.count });
    return values;
  });
}

/**
 * A metric whose samples are computed at scrape time from counters kept elsewhere (prom-client's
 * Counter and Histogram can only be incremented, not set).
 */
function replaceWithCollected(metrics: AppMetrics, name: string, help: string, type: 'counter' | 'histogram', values: () => MetricValueWithName<string>[]): void {
  metrics.registry.removeSingleMetric(name);
  const metric = {
    name,
    help,
    type,
    aggregator: 'sum',
    get: () => ({ name, help, type, aggregator: 'sum', values: values() }),
    reset: () => undefined,
  };
  metrics.registry.registerMetric(metric as unknown as Metric);
}
