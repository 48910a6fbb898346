// Issue 18 ("Monitoring the monitor"): the five apps as processes from dist/ and the RouterOS
// simulator (the scenario matrix's stack), an outage driven through it, and every app's /metrics
// scraped before and after: the series each app promises are there and moved. Then the Grafana
// dashboard and the alert rules are checked against what the scrape returned, and the rules with
// `promtool check rules`.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEVICES, ScenarioStack, SUBSCRIBERS, type StackTools } from '../../bench/scenarios/scenario-stack';
import { testMongoUrl, testQueuePrefix, testRedisUrl, waitFor } from '../support';

const stack = require('../../tools/stack') as Pick<StackTools, 'launchApp' | 'stopApp'>;
const until: StackTools['until'] = (what, fn, timeoutMs) => waitFor(fn, { timeoutMs, intervalMs: 100, message: what }) as never;
const ROOT = join(__dirname, '..', '..');
const APPS = ['webhook-ingest', 'diagnostics', 'notifier', 'provisioning', 'api-gateway'] as const;
type App = (typeof APPS)[number];

/** One scrape: sample value by `name{labels}` as printed, plus the metric names declared or sampled. */
interface Scrape {
  samples: Map<string, number>;
  names: Set<string>;
}

function parse(text: string): Scrape {
  const samples = new Map<string, number>();
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    // A labelled series that has not happened yet has its HELP and TYPE lines but no sample.
    const typed = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) /.exec(line);
    if (typed) names.add(typed[1]);
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a Prometheus text line: ${line}`);
    names.add(m[1]);
    samples.set(m[1] + (m[2] ?? ''), Number(m[3]));
  }
  return { samples, names };
}

/** Sum of a series' samples whose labels contain every `label="value"` given. */
function total(s: Scrape, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const [key, v] of s.samples) {
    const [n, rest = ''] = key.split('{');
    if (n !== name) continue;
    if (Object.entries(labels).every(([k, val]) => rest.includes(`${k}="${val}"`))) sum += v;
  }
  return sum;
}

/** Metric names an expression refers to (identifiers that are not functions, keywords or labels). */
function seriesIn(expr: string): string[] {
  const cleaned = expr
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/"[^"]*"/g, '')
    .replace(/\b\d+(\.\d+)?(e[+-]?\d+)?\b/gi, '');
  const words = cleaned.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  const notSeries = new Set(['sum', 'max', 'min', 'avg', 'by', 'on', 'and', 'or', 'unless', 'rate', 'increase', 'delta', 'histogram_quantile', 'clamp_min', 'time', 'absent', 'vector', 'count', 'le', 'bool', 'without', 'ignoring', 'group_left', 'group_right']);
  const grouped = new Set<string>();
  for (const g of cleaned.matchAll(/\b(?:by|without|on|ignoring)\s*\(([^)]*)\)/g)) for (const w of g[1].split(',')) grouped.add(w.trim());
  return words.filter((w) => !notSeries.has(w) && !grouped.has(w) && !/^\d/.test(w));
}

describe('metrics in every app (issue 18)', () => {
  let s: ScenarioStack;
  const before = new Map<App, Scrape>();
  const after = new Map<App, Scrape>();
  const scrape = async (app: App) => {
    const res = await fetch(`${s.appUrl(app)}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    return parse(await res.text());
  };

  beforeAll(async () => {
    const NAME = 'metrics';
    s = await ScenarioStack.start({
      redisUrl: testRedisUrl(),
      mongoUrl: testMongoUrl(NAME),
      prefix: testQueuePrefix(NAME),
      logDir: join(ROOT, '.local', 'test', `${testQueuePrefix(NAME)}-logs`),
      tools: { ...stack, until },
    });
    for (const app of APPS) before.set(app, await scrape(app));

    // An outage through the simulator: a sector goes down (Netwatch webhook -> ingest ->
    // diagnostics walks and probes -> incident -> the technician's chat page), then comes back.
    s.sim.setDeviceUp(DEVICES.SEC1.ip, false);
    await until('sector incident opened', async () => (await s.models.incident.countDocuments({ 'rootCause.id': s.ids.devices.SEC1 })) > 0, 30000);
    await s.settle();
    s.sim.setDeviceUp(DEVICES.SEC1.ip, true);
    await until('sector incident resolved', async () => (await s.models.incident.countDocuments({ 'rootCause.id': s.ids.devices.SEC1, state: 'resolved' })) > 0, 30000);
    await s.settle();
    // The gateway answers a few API calls (one refused, one served).
    const gw = s.appUrl('api-gateway');
    expect((await fetch(`${gw}/api/v1/incidents`)).status).toBe(401);
    const login = await fetch(`${gw}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'root@isp.test', password: 'first admin password 1' }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    expect((await fetch(`${gw}/api/v1/incidents`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(200);
    // The database gauges are recomputed on diagnostics' timer (5 s here): wait for one refresh
    // that saw the resolved state.
    await until('subscribers_online refreshed', async () => total(await scrape('diagnostics'), 'subscribers_online') >= Object.keys(SUBSCRIBERS).length, 10000);
    for (const app of APPS) after.set(app, await scrape(app));
  }, 240000);

  afterAll(async () => {
    await s?.stop();
  }, 60000);

  const moved = (app: App, name: string, labels: Record<string, string> = {}) => total(after.get(app)!, name, labels) - total(before.get(app)!, name, labels);

  it('every app serves the process metrics, queue depths and job counts', () => {
    for (const app of APPS) {
      const a = after.get(app)!;
      expect({ app, cpu: a.names.has('process_cpu_seconds_total'), queues: a.names.has('bullmq_queue_jobs'), oldest: a.names.has('bullmq_queue_oldest_waiting_age_seconds') }).toEqual({ app, cpu: true, queues: true, oldest: true });
    }
    expect(moved('diagnostics', 'bullmq_job_attempts_total', { queue: 'monitoring-queue', outcome: 'completed' })).toBeGreaterThan(0);
    expect(moved('notifier', 'bullmq_job_attempts_total', { queue: 'notification-queue', outcome: 'completed' })).toBeGreaterThan(0);
  });

  it('ingest: events accepted by kind and the enqueue latency moved', () => {
    expect(moved('webhook-ingest', 'webhook_events_accepted_total', { kind: 'netwatch' })).toBeGreaterThanOrEqual(2);
    expect(moved('webhook-ingest', 'webhook_enqueue_duration_seconds_count')).toBeGreaterThanOrEqual(2);
  });

  it('diagnostics: findings, probes and their latency, walks, batches, heartbeats, incidents and subscribers online', async () => {
    // One outage (one incident), found by the batch of the sector's own event and perhaps again by a later batch of its children's.
    expect(moved('diagnostics', 'diagnostics_findings_total', { outcome: 'outage' })).toBeGreaterThanOrEqual(1);
    expect(await s.models.incident.countDocuments({ 'rootCause.id': s.ids.devices.SEC1 })).toBe(1);
    expect(moved('diagnostics', 'diagnostics_probes_total', { kind: 'device', result: 'DOWN' })).toBeGreaterThan(0);
    expect(moved('diagnostics', 'diagnostics_probe_duration_seconds_count')).toBeGreaterThan(0);
    expect(moved('diagnostics', 'diagnostics_walk_duration_seconds_count')).toBeGreaterThan(0);
    expect(moved('diagnostics', 'diagnostics_holddown_batch_size_count')).toBeGreaterThan(0);
    expect(moved('diagnostics', 'diagnostics_heartbeat_checks_total', { result: 'UP' })).toBeGreaterThan(0);
    expect(total(after.get('diagnostics')!, 'diagnostics_heartbeat_last_tick_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 60);
    const a = after.get('diagnostics')!;
    expect([...a.samples.keys()].filter((k) => k.startsWith('diagnostics_incidents_open{')).sort()).toEqual(['diagnostics_incidents_open{level="1"}', 'diagnostics_incidents_open{level="2"}', 'diagnostics_incidents_open{level="3"}']);
    // Every simulated subscriber is online again, in the stack's one building (labelled by name).
    expect(total(a, 'subscribers_online')).toBe(Object.keys(SUBSCRIBERS).length);
    expect([...a.samples.keys()].some((k) => /^subscribers_online\{building="[^"]+"\}$/.test(k))).toBe(true);
    expect(moved('diagnostics', 'routeros_pool_commands_total')).toBeGreaterThan(0);
    expect(moved('diagnostics', 'routeros_pool_command_duration_seconds_count')).toBeGreaterThan(0);
    expect(total(a, 'routeros_pool_connections_open')).toBeGreaterThan(0);
  });

  it('notifier: deliveries by channel and result, and the incident-to-page latency', () => {
    // The technician's opened and resolved chat pages (a chat post's answer is proof of delivery).
    expect(moved('notifier', 'notifier_deliveries_total', { channel: 'chat', result: 'delivered' })).toBe(2);
    expect(moved('notifier', 'notifier_delivery_latency_seconds_count', { channel: 'chat' })).toBe(2);
  });

  it('provisioning: router passes and their duration, sync jobs, and its router pool', () => {
    const a = after.get('provisioning')!;
    expect(total(a, 'provisioning_router_passes_total')).toBeGreaterThan(0);
    expect(total(a, 'provisioning_router_pass_duration_seconds_count')).toBeGreaterThan(0);
    expect(a.names.has('provisioning_drift_items_total') && a.names.has('provisioning_router_writes_total') && a.names.has('provisioning_scripts_repaired_total')).toBe(true);
    expect(total(a, 'routeros_pool_connections_opened_total')).toBeGreaterThan(0);
  });

  it('gateway: requests by route template, method and status, with latency', () => {
    expect(moved('api-gateway', 'http_requests_total', { route: '/api/v1/incidents', method: 'GET', status: '401' })).toBe(1);
    expect(moved('api-gateway', 'http_requests_total', { route: '/api/v1/incidents', method: 'GET', status: '200' })).toBe(1);
    expect(moved('api-gateway', 'http_request_duration_seconds_count', { route: '/api/v1/auth/login' })).toBe(1);
    // Route templates, never concrete ids or subscriber names.
    for (const key of after.get('api-gateway')!.samples.keys()) expect(key).not.toMatch(/route="[^"]*[0-9a-f]{24}/);
  });

  it('the Grafana dashboard and the alert rules name only series the apps export', () => {
    const exported = new Set([...after.values()].flatMap((a) => [...a.names]));
    const dashboard = JSON.parse(readFileSync(join(ROOT, 'deploy', 'grafana', 'isp-netops.json'), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    const fromDashboard = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => seriesIn(t.expr).map((name) => ({ panel: p.title, name }))));
    expect(fromDashboard.length).toBeGreaterThan(20);
    expect(fromDashboard.filter((x) => !exported.has(x.name))).toEqual([]);
    const rules = readFileSync(join(ROOT, 'deploy', 'prometheus', 'rules.yaml'), 'utf8');
    const exprs = [...rules.matchAll(/expr: \|\n((?:\s{10}.*\n)+)|expr: (.+)\n/g)].map((m) => (m[1] ?? m[2]).trim());
    expect(exprs.length).toBeGreaterThan(5);
    expect(exprs.flatMap(seriesIn).filter((name) => !exported.has(name))).toEqual([]);
  });

  it('the alert rules pass promtool check rules', () => {
    const out = execFileSync('promtool', ['check', 'rules', join(ROOT, 'deploy', 'prometheus', 'rules.yaml')], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS: \d+ rules found/);
  });
});
