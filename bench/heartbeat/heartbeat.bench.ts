/**
 * Heartbeat benchmark (`npm run bench -- heartbeat`): 5,000 simulated core routers (one building
 * and one sector each, all served by one simulator in this process, one listening port each),
 * diagnostics built and run as a child process at the real 60 s interval, for three cycles.
 * Measured: connections the routers accepted (one per router is the target: the pool keeps them
 * open between cycles), connections accepted after the first cycle (reconnects), the diagnostics
 * process' CPU over the last full cycle (/proc/<pid>/stat; the first cycle opens the connections
 * and records every router going UNKNOWN -> UP, the second catches up with what the first left
 * queued; the whole-run figure is printed too), and how long that cycle took to have checked
 * every router (it is spread over 80% of the interval by design).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { ensureIndexes, modelsOn } from '@isp/data';
import { SecretBox } from '@isp/domain';
import { generateTopology, SimulatedNetwork } from '@isp/routeros-testing';
import type { BenchContext, BenchResult } from '../bench-context';
import { infra, stack, type AppHandle } from '../project-tools';

const ROUTERS = Number(process.env.BENCH_ROUTERS ?? 5000);
const INTERVAL_MS = Number(process.env.BENCH_HEARTBEAT_INTERVAL_MS ?? 60000);
/** Two warm-up cycles, then the measured one(s). */
const WARMUP_CYCLES = 2;
const CYCLES = Math.max(WARMUP_CYCLES + 1, Number(process.env.BENCH_CYCLES ?? 3));
/** Setup (simulator, database, diagnostics' start) plus the cycles, each allowed up to two intervals. */
export const timeoutMs = 5 * 60 * 1000 + CYCLES * INTERVAL_MS * 2;
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
    await models.router.insertMany(
      routers.map((r, i) => ({ _id: r.id, name: r.name, host: r.host, apiPort: r.port, apiUser: r.user, apiPassword: box.encrypt(r.password, 'router.apiPassword', r.id), building: buildingIds[i], role: 'core' })),
    );
    await models.device.insertMany(
      routers.flatMap((r, i) => r.devices.map((d) => ({ name: d.name, deviceType: d.type, ipAddress: d.ip, router: r.id, building: buildingIds[i], parent: null }))),
    );

    app = await stack.launchApp('diagnostics', {
      env: {
        MONGO_URL: mongoUrl,
        REDIS_URL: ctx.redisUrl,
        QUEUE_PREFIX: `bench-heartbeat-${runId}`,
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
    const cycleTimes: number[] = [];
    let acceptedAfterFirst = 0;
    const cpu0 = cpuSeconds(pid);
    const t0 = Date.now();
    let base = identities();
    let steady = { cpu: cpu0, at: t0 };
    for (let c = 0; c < CYCLES; c++) {
      const deadline = Date.now() + INTERVAL_MS * 4;
      let firstAt = 0;
      for (;;) {
        const now = identities();
        const done = now.filter((n, i) => n > base[i]).length;
        if (done && !firstAt) firstAt = Date.now();
        if (done >= ROUTERS) {
          cycleTimes.push((Date.now() - firstAt) / 1000);
          base = now;
          break;
        }
        if (Date.now() > deadline) throw new Error(`heartbeat bench: cycle ${c + 1} checked ${done} of ${ROUTERS} routers`);
        await sleep(100);
      }
      if (c === 0) acceptedAfterFirst = accepted();
      // Steady state from here: the first cycle opens the connections and records every router
      // going UNKNOWN -> UP, the second catches up with what the first left queued.
      if (c === WARMUP_CYCLES - 1) steady = { cpu: cpuSeconds(pid), at: Date.now() };
    }
    const cpuNow = cpuSeconds(pid);
    const cpuPercent = ((cpuNow - steady.cpu) / ((Date.now() - steady.at) / 1000)) * 100;
    const cpuWholeRun = ((cpuNow - cpu0) / ((Date.now() - t0) / 1000)) * 100;
    const connections = accepted();
    console.table([{ routers: ROUTERS, intervalMs: INTERVAL_MS, cycles: CYCLES, cycleSeconds: cycleTimes.join(' / '), cpuWholeRun: +cpuWholeRun.toFixed(2), openNow: net.routers.reduce((n, r) => n + r.stats.activeConnections, 0) }]);
    return {
      figures: {
        routers: ROUTERS,
        interval_s: INTERVAL_MS / 1000,
        cpu_percent: +cpuPercent.toFixed(2),
        connections,
        reconnects: connections - acceptedAfterFirst,
        cycle_s: +Math.max(...cycleTimes.slice(WARMUP_CYCLES)).toFixed(2),
      },
      targets: {
        cpu_percent: '< 10 (% of one core, over the measured cycle)',
        connections: `= routers (${ROUTERS})`,
        reconnects: '0',
        cycle_s: `<= interval_s (checks are spread over 80% of it)`,
      },
    };
  } finally {
    if (app) await stack.stopApp(app.child, 5000);
    await net.stop();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
}
