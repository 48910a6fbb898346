/**
 * Heartbeat benchmark (`npm run bench -- heartbeat`): 5,000 simulated core routers (one building
 * and one sector each, all served by one simulator in this process, one listening port each),
 * diagnostics built and run as a child process at the real 60 s interval. Warm-up lasts until
 * every router has been checked and recorded UP (the first cycle opens the connections and takes
 * each router UNKNOWN -> UP); after one cycle to align on a cycle boundary, one whole cycle is
 * measured (BENCH_CYCLES for more). Measured: connections the routers accepted (one per router is
 * the target: the pool keeps them open between cycles), connections accepted after warm-up
 * (reconnects), the diagnostics process' CPU over the measured cycle (/proc/<pid>/stat; the
 * whole-run figure is printed too), and how long that cycle took to have checked every router
 * (it is spread over 80% of the interval by design).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { ensureIndexes, modelsOn } from '@isp/data';
import { NodeState, SecretBox } from '@isp/domain';
import { generateTopology, SimulatedNetwork } from '@isp/routeros-testing';
import type { BenchContext, BenchResult } from '../bench-context';
import { infra, stack, type AppHandle } from '../project-tools';

const ROUTERS = Number(process.env.BENCH_ROUTERS ?? 5000);
const INTERVAL_MS = Number(process.env.BENCH_HEARTBEAT_INTERVAL_MS ?? 60000);
/** Whole cycles measured after warm-up and one cycle to align on a cycle boundary. */
/** Routers start recorded UP (database and diagnostics' Redis mirror), as in a running deployment. */
const SEED_UP = process.env.BENCH_SEED_UP !== 'false';
const MEASURED_CYCLES = Math.max(1, Number(process.env.BENCH_CYCLES ?? 1));
/** Longest warm-up (every router checked once and recorded UP) before the run counts as failed. */
const WARMUP_MAX_MS = Number(process.env.BENCH_WARMUP_MAX_MS ?? 10 * 60 * 1000);
/** Setup (simulator, database, diagnostics' start), warm-up, alignment and the measured cycles. */
export const timeoutMs = 5 * 60 * 1000 + WARMUP_MAX_MS + (MEASURED_CYCLES + 1) * INTERVAL_MS * 3;
/** Linux clock ticks per second (USER_HZ), what /proc/<pid>/stat counts in. */
const CLK_TCK = 100;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** The soft limit on open files: this process holds a listening and an accepted socket per router. */
function openFilesLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === undefined || soft === 'unlimited' ? Infinity : Number(soft);
}

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const needed = ROUTERS * 2 + 1000;
  if (openFilesLimit() < needed) throw new Error(`heartbeat bench: ${ROUTERS} routers need about ${needed} open files, the soft limit is ${openFilesLimit()} (tools/bench.sh raises it to the hard limit; raise that)`);
  const runId = randomBytes(3).toString('hex');
  const mongoUrl = infra.mongoDbUrl(ctx.mongoUrl, `bench_heartbeat_${runId}`);
  const key = SecretBox.generateKey();
  const box = new SecretBox(key);
  const logDir = join(ctx.root, '.local', 'bench', `heartbeat-${runId}`);
  const queuePrefix = `bench-heartbeat-${runId}`;

  const topology = generateTopology({ routers: ROUTERS, backhaulsPerRouter: 0, sectorsPerRouter: 1, stationsPerSector: 0, subscribersPerStation: 0 });
  const net = await SimulatedNetwork.start({ topology });
  const conn = await mongoose.createConnection(mongoUrl).asPromise();
  const models = modelsOn(conn);
  await ensureIndexes(models);
  let app: AppHandle | undefined;
  try {
    // The same network in the database, in bulk (a topology file load upserts record by record).
    const routers = net.describe().routers;
    const buildingIds = routers.map(() => new mongoose.Types.ObjectId());
    await models.building.insertMany(routers.map((r, i) => ({ _id: buildingIds[i], name: r.building!.name, code: r.building!.code })));
    // Recorded UP already, as in a deployment that has been running (SEED_UP): the first check of
    // an unknown router writes its record, and the embedded store does not take 5,000 of those
    // within a warm-up (README, Benchmarks). Without it the bench waits for them (BENCH_SEED_UP=false).
    const now = new Date();
    const status = SEED_UP ? { state: NodeState.UP, since: now, lastCheckAt: now, lastSeenAt: now } : undefined;
    await models.router.insertMany(
      routers.map((r, i) => ({ _id: r.id, name: r.name, host: r.host, apiPort: r.port, apiUser: r.user, apiPassword: box.encrypt(r.password, 'router.apiPassword', r.id), building: buildingIds[i], role: 'core', status })),
    );
    if (SEED_UP) {
      // Diagnostics' mirror of the recorded state (RouterStateCache), which a check that finds a
      // router UP again reads instead of the record. It lives five intervals and is renewed by
      // the check that finds it gone: in a running deployment a fifth of the routers renew it each
      // cycle, so the seeded entries expire spread over five intervals too (after the setup's 2 min).
      const redis = new Redis(ctx.redisUrl);
      const tx = redis.pipeline();
      routers.forEach((r, i) => tx.set(`${queuePrefix}:diag:router-state:${r.id}`, NodeState.UP, 'EX', 120 + Math.ceil(((1 + (i % 5)) * INTERVAL_MS) / 1000)));
      await tx.exec();
      redis.disconnect();
    }
    await models.device.insertMany(
      routers.flatMap((r, i) => r.devices.map((d) => ({ name: d.name, deviceType: d.type, ipAddress: d.ip, router: r.id, building: buildingIds[i], parent: null }))),
    );

    app = await stack.launchApp('diagnostics', {
      env: {
        MONGO_URL: mongoUrl,
        REDIS_URL: ctx.redisUrl,
        QUEUE_PREFIX: queuePrefix,
        SECRETS_KEYS: key,
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
        HEARTBEAT_ENABLED: 'true',
        HEARTBEAT_INTERVAL_MS: String(INTERVAL_MS),
      },
      logDir,
    });
    const pid = app.child.pid!;
    const accepted = () => net.routers.reduce((n, r) => n + r.stats.connectionsAccepted, 0);

    // A heartbeat check is one /system/identity/print on the router: a cycle is done when every
    // simulated router has answered one more of them (read from the simulator, not the database,
    // so that measuring puts no load on the store).
    const identities = () => net.routers.map((r) => r.stats.commandsByPath['/system/identity/print'] ?? 0);
    const cpu0 = cpuSeconds(pid);
    const t0 = Date.now();

    // Warm-up: every router checked once and recorded UP. The first cycle opens the connections
    // and takes each router UNKNOWN -> UP through the slow path (a read and a write of its record
    // each); on a loaded machine the embedded store needs more than one interval for 5,000 of
    // them, and what is left is done in the next cycle. Polled every 15 s (a count: one scan).
    const warmDeadline = Date.now() + WARMUP_MAX_MS;
    for (;;) {
      const up = await models.router.countDocuments({ 'status.state': NodeState.UP });
      if (up >= ROUTERS) break;
      if (Date.now() > warmDeadline) throw new Error(`heartbeat bench: after ${WARMUP_MAX_MS / 1000} s of warm-up ${up} of ${ROUTERS} routers recorded UP`);
      await sleep(15000);
    }
    const warmupSeconds = (Date.now() - t0) / 1000;

    /** Waits until every router has answered one more check than at `base`; returns the new counts and how long the cycle took. */
    const nextCycle = async (base: number[], label: string) => {
      const deadline = Date.now() + INTERVAL_MS * 3;
      let firstAt = 0;
      for (;;) {
        const now = identities();
        const done = now.filter((n, i) => n > base[i]).length;
        if (done && !firstAt) firstAt = Date.now();
        if (done >= ROUTERS) return { counts: now, seconds: (Date.now() - firstAt) / 1000 };
        if (Date.now() > deadline) throw new Error(`heartbeat bench: ${label} checked ${done} of ${ROUTERS} routers`);
        await sleep(100);
      }
    };
    // Align on a cycle boundary (the cycle under way when warm-up ended: with routers seeded UP,
    // the first, which opens the connections), then measure whole cycles.
    let { counts } = await nextCycle(identities(), 'the cycle after warm-up');
    const acceptedAfterWarmup = accepted();
    const steady = { cpu: cpuSeconds(pid), at: Date.now() };
    const cycleTimes: number[] = [];
    for (let c = 0; c < MEASURED_CYCLES; c++) {
      const cycle = await nextCycle(counts, `measured cycle ${c + 1}`);
      counts = cycle.counts;
      cycleTimes.push(cycle.seconds);
    }
    const cpuNow = cpuSeconds(pid);
    const cpuPercent = ((cpuNow - steady.cpu) / ((Date.now() - steady.at) / 1000)) * 100;
    const cpuWholeRun = ((cpuNow - cpu0) / ((Date.now() - t0) / 1000)) * 100;
    const connections = accepted();
    console.table([{ routers: ROUTERS, intervalMs: INTERVAL_MS, warmupSeconds, measuredCycles: MEASURED_CYCLES, cycleSeconds: cycleTimes.join(' / '), cpuWholeRun: +cpuWholeRun.toFixed(2), openNow: net.routers.reduce((n, r) => n + r.stats.activeConnections, 0) }]);
    return {
      figures: {
        routers: ROUTERS,
        interval_s: INTERVAL_MS / 1000,
        cpu_percent: +cpuPercent.toFixed(2),
        connections,
        reconnects: connections - acceptedAfterWarmup,
        cycle_s: +Math.max(...cycleTimes).toFixed(2),
      },
      targets: {
        cpu_percent: '< 10 (% of one core, over the measured cycle)',
        connections: `= routers (${ROUTERS})`,
        reconnects: '0',
        cycle_s: `<= interval_s (checks are spread over 80% of it)`,
      },
    };
  } finally {
    // A profiled app writes its profile on the way out (BENCH_PROF): give it the time.
    if (app) await stack.stopApp(app.child, process.env.BENCH_PROF ? 60000 : 5000);
    await net.stop();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
}
