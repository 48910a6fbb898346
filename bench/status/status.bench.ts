/**
 * `npm run bench -- status`: GET /api/v1/subscribers/:id/status under load (10 connections), on
 * the built api-gateway as a child process, and in the same run on its ceiling: a bare Fastify
 * route (ceiling-server.ts) on the same store doing the same reads with the same driver and
 * settings, behind the same token and session check, answering the same JSON.
 *
 * The two are measured in alternating rounds (at least 5, the order swapped every round): `ratio`
 * is the median of the rounds' ratios (gateway req/s / ceiling req/s) with its min and max, and
 * each latency and rate figure is the median over the rounds (p99_max_ms is the worst round). On
 * a shared 2-core machine a single pair of runs swings by ±10% or more; the median of paired
 * rounds is what a re-run reproduces.
 *
 * The subscriber's router is a RouterOS simulator whose API counters prove the status path never
 * talks to a router (router_calls counts connections and API commands it received). The old
 * system opened a router connection per call (about a second each).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mongoose, { Types } from 'mongoose';
import type { ChildProcess } from 'node:child_process';
import { SecretBox } from '@isp/domain';
import { repositoriesOn, type Id } from '@isp/data';
import { SimulatedRouter } from '@isp/routeros-testing';
import type { BenchContext, BenchResult } from '../bench-context';
import { median, startChildOnFreePort, stopChild } from '../bench-child';
import { autocannon } from '../load-generator';
import { infra } from '../project-tools';

const SUBSCRIBERS = 200;
const CONNECTIONS = 10;
/** At least 5 (issue 22); BENCH_ROUNDS may ask for more. */
const ROUNDS = Math.max(5, Number(process.env.BENCH_ROUNDS ?? 7));
const ROUND_S = Number(process.env.BENCH_STATUS_ROUND_S ?? 4);
const WARMUP_S = 3;

interface Round {
  perS: number;
  p50: number;
  p99: number;
  /** CPU time the server spent per answered request (user + system). */
  cpuMs: number;
}

/** A process's CPU time so far (user + system), in ms, from /proc (Linux). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
}

/** One timed run of status reads, cycling through the subscribers. */
async function load(server: { url: string; pid: number }, token: string, ids: string[], seconds: number): Promise<Round> {
  const { url } = server;
  let n = 0;
  const cpuBefore = cpuMsOf(server.pid);
  const started = process.hrtime.bigint();
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/subscribers/${ids[n++ % ids.length]}/status` }) }],
  });
  if (r.non2xx || r.errors) throw new Error(`status bench saw ${r.non2xx} non-2xx and ${r.errors} errors on ${url}`);
  return { perS: r['2xx'] / (Number(process.hrtime.bigint() - started) / 1e9), p50: r.latency.p50, p99: r.latency.p99, cpuMs: (cpuMsOf(server.pid) - cpuBefore) / r['2xx'] };
}

/**
 * A building, the simulated router, a sector and station, and subscribers: half of them down with
 * an open downtime log, and half of those impacted by an open incident on the sector (the answer
 * then carries the downtime, its cause and the incident: all three reads of the status path).
 */
async function seed(base: string, token: string, sim: SimulatedRouter, mongoUrl: string): Promise<string[]> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  const building = await post('/api/v1/buildings', { name: 'Bench Tower', code: 'BT' });
  const router = await post('/api/v1/routers', { name: 'bench-core', host: sim.host, apiPort: sim.port, apiUser: sim.user, apiPassword: sim.password, building: building.id });
  const sector = await post('/api/v1/devices', { name: 'sector', deviceType: 'sector', ipAddress: '10.0.0.2', router: router.id });
  const station = await post('/api/v1/devices', { name: 'station', deviceType: 'station', ipAddress: '10.0.0.3', router: router.id, parent: sector.id });
  const conn = await mongoose.createConnection(mongoUrl).asPromise();
  try {
    const repos = repositoriesOn(conn);
    const { incident } = await repos.incidents.openOrGet({
      rootCause: { kind: 'device', id: new Types.ObjectId(sector.id), name: 'sector', type: 'sector' },
      building: new Types.ObjectId(building.id),
      buildingName: 'Bench Tower',
      level: 2,
      openedAt: new Date(),
      impactedDevices: 1,
      impactedStations: 1,
      impactedSubscribers: SUBSCRIBERS / 4,
      path: [],
    });
    const ids: string[] = [];
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const s = await post('/api/v1/subscribers', { username: `bench${i}`, router: router.id, station: station.id });
      ids.push(s.id);
      if (i % 2) {
        const u = (await repos.subscribers.update(s.id, { isOnline: false, state: i % 4 === 1 ? 'IMPACTED' : 'DOWN', stateSince: new Date() }))!;
        const impacted = i % 4 === 1;
        await repos.downtime.open({ user: u._id as Id, router: u.router, station: u.station, building: u.building, startedAt: new Date(), cause: impacted ? 'impacted' : 'self', incident: impacted ? incident._id : null });
      } else {
        await repos.subscribers.update(s.id, { isOnline: true, state: 'UP', stateSince: new Date(), lastOnlineAt: new Date() });
      }
    }
    return ids;
  } finally {
    await conn.close();
  }
}

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const runId = randomBytes(3).toString('hex');
  const sim = await SimulatedRouter.start({ name: 'bench-core' });
  const password = 'bench-admin-password';
  const mongoUrl = infra.mongoDbUrl(ctx.mongoUrl, `bench_status_${runId}`);
  // The gateway's environment, for the gateway and for the ceiling (same store, secret, driver settings).
  const env: Record<string, string> = {
    MONGO_URL: mongoUrl,
    REDIS_URL: ctx.redisUrl,
    QUEUE_PREFIX: `bench-status-${runId}`,
    SECRETS_KEYS: SecretBox.generateKey('bench'),
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    ADMIN_EMAIL: 'bench@example.net',
    ADMIN_PASSWORD: password,
    BCRYPT_ROUNDS: '4',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    BULL_BOARD: 'false',
    HOST: '127.0.0.1',
  };
  const logs = join(ctx.root, '.local', 'bench', `status-${runId}`);
  const children: ChildProcess[] = [];
  const dist = join(ctx.root, 'dist');
  try {
    const gwProc = await startChildOnFreePort(infra.freePort, join(dist, 'apps', 'api-gateway', 'src', 'main.js'), env, join(logs, 'api-gateway.log'), '/health/live');
    children.push(gwProc.child);
    const clProc = await startChildOnFreePort(infra.freePort, join(dist, 'bench', 'status', 'ceiling-server.js'), env, join(logs, 'ceiling.log'), '/');
    children.push(clProc.child);
    const [gateway, ceiling] = [gwProc.url, clProc.url];
    const gw$ = { url: gateway, pid: gwProc.child.pid! };
    const cl$ = { url: ceiling, pid: clProc.child.pid! };

    const login = await fetch(`${gateway}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: env.ADMIN_EMAIL, password }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const ids = await seed(gateway, accessToken, sim, mongoUrl);

    // Same answer from both, before timing anything.
    for (const id of ids.slice(0, 4)) {
      const [a, b] = await Promise.all([gateway, ceiling].map(async (base) => (await fetch(`${base}/api/v1/subscribers/${id}/status`, { headers: { authorization: `Bearer ${accessToken}` } })).text()));
      if (a !== b) throw new Error(`the ceiling answers differently from the gateway:\n${a}\n${b}`);
    }

    const before = { ...sim.stats };
    await load(cl$, accessToken, ids, WARMUP_S);
    await load(gw$, accessToken, ids, WARMUP_S);
    const gw: Round[] = [];
    const cl: Round[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Swapped every round, so a drift in the machine's load does not always favour the same one.
      if (round % 2 === 0) {
        cl.push(await load(cl$, accessToken, ids, ROUND_S));
        gw.push(await load(gw$, accessToken, ids, ROUND_S));
      } else {
        gw.push(await load(gw$, accessToken, ids, ROUND_S));
        cl.push(await load(cl$, accessToken, ids, ROUND_S));
      }
      ratios.push(gw[round].perS / cl[round].perS);
      const [c, g] = [cl[round], gw[round]];
      console.log(`round ${round + 1}: ceiling ${Math.round(c.perS)}/s p99 ${c.p99} ms ${c.cpuMs.toFixed(2)} cpu-ms/req, gateway ${Math.round(g.perS)}/s p50 ${g.p50} p99 ${g.p99} ms ${g.cpuMs.toFixed(2)} cpu-ms/req, ratio ${ratios[round].toFixed(3)}`);
    }
    const routerCalls = sim.stats.connectionsAccepted - before.connectionsAccepted + (sim.stats.commands - before.commands);
    const med = (rs: Round[], f: (r: Round) => number) => median(rs.map(f));
    return {
      figures: {
        p50_ms: med(gw, (r) => r.p50),
        p99_ms: med(gw, (r) => r.p99),
        p99_max_ms: Math.max(...gw.map((r) => r.p99)),
        req_per_s: Math.round(med(gw, (r) => r.perS)),
        ceiling_req_per_s: Math.round(med(cl, (r) => r.perS)),
        ceiling_p50_ms: med(cl, (r) => r.p50),
        ceiling_p99_ms: med(cl, (r) => r.p99),
        cpu_ms_per_req: Number(med(gw, (r) => r.cpuMs).toFixed(3)),
        ceiling_cpu_ms_per_req: Number(med(cl, (r) => r.cpuMs).toFixed(3)),
        ratio: Number(median(ratios).toFixed(3)),
        ratio_min: Number(Math.min(...ratios).toFixed(3)),
        ratio_max: Number(Math.max(...ratios).toFixed(3)),
        connections: CONNECTIONS,
        rounds: ROUNDS,
        router_calls: routerCalls,
      },
      targets: {
        p50_ms: '< 100 (old system: ~1000, a router connection per call)',
        p99_ms: '<= 20 (median of the rounds)',
        req_per_s: '> 100 on 2 shared cores',
        ratio: '>= 0.7 (median of the rounds)',
        connections: '10',
        router_calls: '0',
      },
    };
  } finally {
    await Promise.all(children.map(stopChild));
    await sim.stop();
    const conn = await mongoose.createConnection(mongoUrl).asPromise();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
}
