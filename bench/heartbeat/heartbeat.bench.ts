/**
 * Heartbeat benchmark (`npm run bench -- heartbeat`): 1,000 simulated core routers (one building
 * and one sector each), diagnostics built and run as a child process with the heartbeat interval
 * shortened, for a few cycles. Measured: connections the routers accepted (one per router is the
 * target: the pool keeps them open between cycles), connections accepted after the first cycle
 * (reconnects), the diagnostics process' CPU in steady state (/proc/<pid>/stat, from the third
 * cycle on; the whole-run figure is printed too), and how long a steady cycle takes to have
 * checked every router (it is spread over 80% of the interval by design).
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

const ROUTERS = Number(process.env.BENCH_ROUTERS ?? 1000);
const INTERVAL_MS = Number(process.env.BENCH_HEARTBEAT_INTERVAL_MS ?? 20000);
const CYCLES = Number(process.env.BENCH_CYCLES ?? 4);
/** Linux clock ticks per second (USER_HZ), what /proc/<pid>/stat counts in. */
const CLK_TCK = 100;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

export async function run(ctx: BenchContext): Promise<BenchResult> {
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
      // Steady state from here: the first cycle opens the connections and records 1,000 routers
      // going UNKNOWN -> UP, the second catches up with what the first left queued.
      if (c === 1) steady = { cpu: cpuSeconds(pid), at: Date.now() };
    }
    const cpuNow = cpuSeconds(pid);
    const cpuPercent = ((cpuNow - steady.cpu) / ((Date.now() - steady.at) / 1000)) * 100;
    const cpuWholeRun = ((cpuNow - cpu0) / ((Date.now() - t0) / 1000)) * 100;
    const connections = accepted();
    console.table([{ routers: ROUTERS, intervalMs: INTERVAL_MS, cycles: CYCLES, cycleSeconds: cycleTimes.join(' / '), cpuWholeRun: +cpuWholeRun.toFixed(2), openNow: net.routers.reduce((n, r) => n + r.stats.activeConnections, 0) }]);
    return {
      figures: {
        routers: ROUTERS,
        connections,
        reconnects: connections - acceptedAfterFirst,
        cpu_percent: +cpuPercent.toFixed(2),
        cycle_s: +Math.max(...cycleTimes.slice(2)).toFixed(2),
      },
      targets: { connections: `= routers (${ROUTERS})`, reconnects: '0', cpu_percent: '< 10', cycle_s: `<= ${(INTERVAL_MS / 1000).toFixed(0)} (interval; checks are spread over 80% of it)` },
    };
  } finally {
    if (app) await stack.stopApp(app.child, 5000);
    await net.stop();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
}
