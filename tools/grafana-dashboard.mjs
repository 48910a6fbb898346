// Writes deploy/grafana/isp-netops.json, the NOC dashboard (Grafana 10+ JSON model), from the
// panel list below: one place to read and edit the queries, which test/metrics checks against a
// real scrape. Run: node tools/grafana-dashboard.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const panels = [
  // [title, unit, [[legend, expr], ...], kind]
  ['Open incidents by level', 'none', [['L{{level}}', 'max by (level) (diagnostics_incidents_open)']], 'stat'],
  ['Subscribers online per building', 'none', [['{{building}}', 'max by (building) (subscribers_online)']]],
  ['Webhook events accepted per second', 'reqps', [['{{kind}}', 'sum by (kind) (rate(webhook_events_accepted_total[5m]))']]],
  ['Webhook events rejected per second', 'reqps', [['{{reason}}', 'sum by (reason) (rate(webhook_events_rejected_total[5m]))']]],
  ['Diagnosis findings (last hour)', 'none', [['{{outcome}}', 'sum by (outcome) (increase(diagnostics_findings_total[1h]))']]],
  [
    'Probe latency',
    's',
    [
      ['p50', 'histogram_quantile(0.5, sum by (le) (rate(diagnostics_probe_duration_seconds_bucket[5m])))'],
      ['p95', 'histogram_quantile(0.95, sum by (le) (rate(diagnostics_probe_duration_seconds_bucket[5m])))'],
    ],
  ],
  ['Probes by result', 'ops', [['{{kind}} {{result}}', 'sum by (kind, result) (rate(diagnostics_probes_total[5m]))']]],
  ['Hold-down batch size (p95) and walk time (p95)', 'none', [
    ['facts per batch', 'histogram_quantile(0.95, sum by (le) (rate(diagnostics_holddown_batch_size_bucket[15m])))'],
    ['walk seconds', 'histogram_quantile(0.95, sum by (le) (rate(diagnostics_walk_duration_seconds_bucket[15m])))'],
  ]],
  ['Heartbeat checks by verdict', 'ops', [['{{result}}', 'sum by (result) (rate(diagnostics_heartbeat_checks_total[5m]))']]],
  ['Notifications by channel and result (last hour)', 'none', [['{{channel}} {{result}}', 'sum by (channel, result) (increase(notifier_deliveries_total[1h]))']]],
  ['Notification failures', 'none', [['{{channel}} {{result}}', 'sum by (channel, result) (increase(notifier_deliveries_total{result=~"failed|uncertain|retrying"}[15m]))']]],
  ['Provider errors', 'none', [['{{channel}} {{kind}}', 'sum by (channel, kind) (increase(notifier_provider_errors_total[15m]))']]],
  ['Incident to page latency (p95)', 's', [['{{channel}}', 'histogram_quantile(0.95, sum by (le, channel) (rate(notifier_delivery_latency_seconds_bucket[15m])))']]],
  ['Queue depth', 'none', [['{{queue}} {{state}}', 'max by (queue, state) (bullmq_queue_jobs{state=~"waiting|active|delayed|prioritized|failed"})']]],
  ['Oldest waiting job', 's', [['{{queue}}', 'max by (queue) (bullmq_queue_oldest_waiting_age_seconds)']]],
  ['Jobs processed per second', 'ops', [['{{queue}} {{job}} {{outcome}}', 'sum by (queue, job, outcome) (rate(bullmq_job_attempts_total[5m]))']]],
  ['Router pool: connections and open breakers', 'none', [
    ['connections {{job}}', 'sum by (job) (routeros_pool_connections_open)'],
    ['breakers open {{job}}', 'sum by (job) (routeros_pool_breakers_open)'],
  ]],
  ['Router pool: reconnects and errors', 'ops', [
    ['reconnects {{job}}', 'sum by (job) (rate(routeros_pool_reconnects_total[5m]))'],
    ['errors {{kind}}', 'sum by (kind) (rate(routeros_pool_command_errors_total[5m]))'],
  ]],
  ['Router command latency (p95)', 's', [['{{job}}', 'histogram_quantile(0.95, sum by (le, job) (rate(routeros_pool_command_duration_seconds_bucket[5m])))']]],
  ['Router passes (last hour)', 'none', [['{{kind}} {{outcome}}', 'sum by (kind, outcome) (increase(provisioning_router_passes_total[1h]))']]],
  ['Drift found and writes made (last hour)', 'none', [
    ['drift', 'sum(increase(provisioning_drift_items_total[1h]))'],
    ['writes', 'sum(increase(provisioning_router_writes_total[1h]))'],
    ['scripts repaired', 'sum(increase(provisioning_scripts_repaired_total[1h]))'],
  ]],
  ['API requests by status', 'reqps', [['{{status}}', 'sum by (status) (rate(http_requests_total[5m]))']]],
  ['API latency (p95) by route', 's', [['{{route}}', 'histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket[5m])))']]],
];

const dashboard = {
  title: 'ISP NetOps',
  uid: 'isp-netops',
  tags: ['isp-netops'],
  timezone: 'browser',
  schemaVersion: 39,
  version: 1,
  refresh: '30s',
  time: { from: 'now-6h', to: 'now' },
  templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus' }] },
  panels: panels.map(([title, unit, targets, kind = 'timeseries'], i) => ({
    id: i + 1,
    title,
    type: kind,
    datasource: { type: 'prometheus', uid: '${datasource}' },
    gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
    fieldConfig: { defaults: { unit }, overrides: [] },
    targets: targets.map(([legendFormat, expr], j) => ({ refId: String.fromCharCode(65 + j), expr, legendFormat })),
  })),
};

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'deploy', 'grafana', 'isp-netops.json');
writeFileSync(out, JSON.stringify(dashboard, null, 2) + '\n');
console.log(`wrote ${out} (${panels.length} panels)`);
