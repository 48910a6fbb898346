/**
 * Reconcile benchmark: 50 simulated routers x 2,000 subscribers (100,000), already converged,
 * then 1% drift injected on the routers behind provisioning's back (passwords changed, secrets
 * deleted, profiles switched, queue limits edited, a snitch script wiped). One reconcile tick fans
 * out a reconcileMikrotikState job per router through BullMQ; the figures say how many API writes
 * it took (target: exactly the drift), how long the whole pass took (target: under a minute, far
 * inside the 15-minute period), and that a second pass writes nothing. Loading the database and
 * the first install are timed apart (printed, not figures). Run with `npm run bench -- reconcile`.
 */
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import { getModelToken } from '@nestjs/mongoose';
import { Types, type Model } from 'mongoose';
import { bootstrapApp, JobProducer, redisOptionsFromUrl, SECRET_BOX } from '@isp/platform';
import { chunked, DeviceRepository, MAX_BULK_LIMIT, SUBSCRIBER_MODEL, MikrotikRouterRepository, type Subscriber } from '@isp/data';
import { issueWebhookToken, JobName, QueueName, SecretBox, SyncStatus } from '@isp/domain';
import { RouterConnectionPool } from '@isp/routeros';
import { SimulatedRouter } from '@isp/routeros-testing';
import { AppModule } from '../../apps/provisioning/src/app.module';
import { loadProvisioningConfig } from '../../apps/provisioning/src/config/provisioning.config';
import { ReconcileService } from '../../apps/provisioning/src/reconcile/reconcile.service';
import { RouterCallCounter } from '../../apps/provisioning/src/router-access/router-api';
import type { BenchContext, BenchResult } from '../bench-context';

const ROUTERS = Number(process.env.BENCH_ROUTERS ?? 50);
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 2000);
const DEVICES = 6;
/** Share of the subscribers drifted per router (1%: 20 of 2,000). */
const DRIFT = Number(process.env.BENCH_DRIFT ?? 0.01);

/** Loading 100,000 subscribers into the embedded store and the first install take minutes. */
export const timeoutMs = 30 * 60 * 1000;

const elapsed = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

function simWrites(sims: SimulatedRouter[]): number {
  let n = 0;
  for (const s of sims) for (const [path, c] of Object.entries(s.stats.commandsByPath)) if (/\/(add|set|remove)$/.test(path)) n += c;
  return n;
}

/**
 * Changes entries on the router directly (the way an operator or a reset would): DRIFT of the
 * subscribers, as passwords changed (40%), profiles switched (20%), secrets deleted (20%), queue
 * limits edited (the rest) and one snitch script wiped. Returns how many entries it changed.
 */
async function injectDrift(pool: RouterConnectionPool, sim: SimulatedRouter, r: number): Promise<number> {
  const run = (words: string[]) => pool.execute(sim.id, words);
  const n = Math.max(5, Math.round(SUBSCRIBERS * DRIFT));
  const [passwords, profiles, removals] = [Math.round(n * 0.4), Math.round(n * 0.2), Math.round(n * 0.2)];
  const secrets = sim.table('/ppp/secret');
  // 97 is prime and far below 2,000: k -> k * 97 mod length picks distinct secrets.
  const pick = (k: number) => secrets[(r * 37 + k * 97) % secrets.length];
  let k = 0;
  let drift = 0;
  for (const end = k + passwords; k < end; k++, drift++) await run(['/ppp/secret/set', `=.id=${pick(k)['.id']}`, '=password=drifted']);
  for (const end = k + profiles; k < end; k++, drift++) await run(['/ppp/secret/set', `=.id=${pick(k)['.id']}`, '=profile=default-encryption']);
  for (const end = k + removals; k < end; k++, drift++) await run(['/ppp/secret/remove', `=.id=${pick(k)['.id']}`]);
  const queues = sim.table('/queue/simple');
  for (let q = 0; q < n - passwords - profiles - removals - 1; q++, drift++) await run(['/queue/simple/set', `=.id=${queues[(r + q * 11) % queues.length]['.id']}`, '=max-limit=1G/1G']);
  const nw = sim.table('/tool/netwatch')[0];
  await run(['/tool/netwatch/set', `=.id=${nw['.id']}`, '=up-script=']);
  drift++;
  return drift;
}

/**
 * Checks, once the pass's jobs are done, that every router's lastReconcileAt is later than
 * `after`: each router got its pass. Read once, not polled: every read of the router records is
 * decoded whole by the embedded store, which polling took from the pass being measured.
 */
async function checkAllReconciled(routers: MikrotikRouterRepository, ids: string[], after: Date): Promise<void> {
  const done = new Set((await routers.findAll()).filter((r) => r.lastReconcileAt && r.lastReconcileAt > after).map((r) => String(r._id)));
  if (!ids.every((id) => done.has(id))) throw new Error(`reconcile jobs finished but only ${done.size} of ${ids.length} routers were reconciled`);
}

/**
 * Waits until the pass's jobs have all finished: the tick (queued on the same queue, it adds the
 * routers' jobs before it completes) and every router's pass, drift report included (a pass
 * writes lastReconcileAt before it, and a next tick added meanwhile would be deduplicated into the
 * running job, so that router's next pass would never come). Returns when the last of them
 * finished (BullMQ's own finishedOn), the pass's end whatever the polling interval. Reads Redis only.
 */
async function waitPassJobs(queue: Queue, after: Date, timeoutMs: number): Promise<Date> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (Object.values(counts).every((n) => n === 0)) break;
    if (Date.now() > deadline) throw new Error(`reconcile jobs still queued or running: ${JSON.stringify(counts)}`);
    await new Promise((res) => setTimeout(res, 200));
  }
  const finished = (await queue.getJobs(['completed', 'failed'])).filter((j) => j.timestamp >= after.getTime() && j.finishedOn).map((j) => j.finishedOn!);
  if (!finished.length) throw new Error('no reconcile job finished after the tick');
  return new Date(Math.max(...finished));
}

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const sims: SimulatedRouter[] = [];
  let app: INestApplication | undefined;
  const pool = new RouterConnectionPool();
  let syncQueue: Queue | undefined;
  const mongo = new URL(ctx.mongoUrl);
  mongo.pathname = `/bench_reconcile_${process.pid}`;
  try {
    for (let i = 0; i < ROUTERS; i++) sims.push(await SimulatedRouter.start({ name: `rec-${i + 1}`, pppRedialMs: null, version: '7.15.3' }));
    const config = loadProvisioningConfig({
      MONGO_URL: mongo.toString(),
      REDIS_URL: ctx.redisUrl,
      QUEUE_PREFIX: `bench-reconcile-${process.pid}`,
      SECRETS_KEYS: SecretBox.generateKey('b1'),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      RECONCILE_SCHEDULER: 'false',
      // Every router's pass at once, so that they share one read of the subscribers (the store
      // scans the collection for any query by router; RouterSubscribersReader).
      SYNC_CONCURRENCY: String(Math.min(64, ROUTERS)),
      // The simulated routers answer from this process's event loop, which the app shares with
      // them (grouping 100,000 subscribers, planning 50 routers): their answers wait for it.
      ROUTER_CALL_TIMEOUT_MS: '60000',
      ROUTER_CONNECT_TIMEOUT_MS: '60000',
      INGEST_PUBLIC_URL: 'http://127.0.0.1:9',
    });
    app = await bootstrapApp(AppModule.forRoot(config), { config });
    const box = app.get<SecretBox>(SECRET_BOX);
    const routers = app.get(MikrotikRouterRepository);
    const devices = app.get(DeviceRepository);
    const userModel = app.get<Model<Subscriber>>(getModelToken(SUBSCRIBER_MODEL));
    const ids: string[] = [];

    // The database and the routers start converged: subscribers synced, routers holding them.
    const tLoad = process.hrtime.bigint();
    for (const [r, sim] of sims.entries()) {
      pool.register(sim.endpoint());
      const router = await routers.create({
        _id: new Types.ObjectId(sim.id),
        name: sim.name,
        host: sim.host,
        apiPort: sim.port,
        apiUser: sim.user,
        apiPassword: box.encrypt(sim.password, 'router.apiPassword', sim.id),
        rosVersion: sim.version,
        webhookTokenEncrypted: box.encrypt(issueWebhookToken(sim.id).token, 'router.webhookToken', sim.id),
        syncStatus: SyncStatus.SYNCED,
      });
      ids.push(String(router._id));
      const docs = Array.from({ length: SUBSCRIBERS }, () => new Types.ObjectId()).map((_id, i) => ({
        _id,
        username: `r${r}-sub${i}`,
        router: router._id,
        password: box.encrypt(`pw-${r}-${i}`, 'subscriber.password', _id),
        serviceType: 'pppoe' as const,
        profile: 'default',
        staticIp: i % 4 === 0 ? `100.${64 + r}.${i >> 8}.${i & 255}` : undefined,
        rateLimit: i % 5 === 0 ? '10M/50M' : undefined,
        isSuspended: i % 40 === 0,
        desiredVersion: 1,
        appliedVersion: 1,
        syncStatus: SyncStatus.SYNCED,
      }));
      // The most statements per command the embedded store answers (MAX_BULK_LIMIT): half the commands of the default limit.
      for (const chunk of chunked(docs, MAX_BULK_LIMIT)) await userModel.insertMany(chunk, { ordered: false });
      for (let d = 0; d < DEVICES; d++) {
        await devices.create({ name: `r${r}-dev${d}`, deviceType: d === 0 ? 'sector' : 'station', ipAddress: `10.${r}.0.${d + 1}`, router: router._id, building: new Types.ObjectId() });
      }
    }
    const loadSeconds = elapsed(tLoad);
    console.log(`reconcile bench: ${ROUTERS * SUBSCRIBERS} subscribers loaded in ${loadSeconds.toFixed(1)} s`);
    const reconcile = app.get(ReconcileService);
    const tInstall = process.hrtime.bigint();
    // Install (not measured) ten routers at a time: each writes a 2,000-item first report, and
    // fifty such writes queued at once outwait the store's 10 s busy timeout (SQLITE_BUSY).
    // A router whose install failed (the store busy, a slow answer) is installed again, up to twice.
    const install = async (id: string, left = 2): Promise<unknown> => reconcile.reconcileRouter(id).catch((err: unknown) => (left ? install(id, left - 1) : Promise.reject(err)));
    for (const wave of chunked(ids, 10)) await Promise.all(wave.map((id) => install(id)));
    const installSeconds = elapsed(tInstall);
    console.log(`reconcile bench: first install on ${ROUTERS} routers in ${installSeconds.toFixed(1)} s`);

    let drift = 0;
    for (const [r, sim] of sims.entries()) drift += await injectDrift(pool, sim, r);

    const jobs = new Queue(QueueName.SYNC, { connection: redisOptionsFromUrl(ctx.redisUrl), prefix: config.QUEUE_PREFIX });
    syncQueue = jobs;
    const counter = app.get(RouterCallCounter);
    const producer = app.get(JobProducer);
    const pass = async () => {
      for (const s of sims) s.resetStats();
      const before = counter.snapshot();
      const started = new Date();
      await producer.add(JobName.RECONCILE_TICK, {});
      const ended = await waitPassJobs(jobs, started, 600_000);
      await checkAllReconciled(routers, ids, started);
      const seconds = (ended.getTime() - started.getTime()) / 1000;
      const after = counter.snapshot();
      return { seconds, calls: after.calls - before.calls, writes: after.writes - before.writes, simWrites: simWrites(sims) };
    };
    // lastReconcileAt has millisecond resolution: make sure the measured pass starts after setup.
    await new Promise((res) => setTimeout(res, 5));
    const first = await pass();
    const second = await pass();
    if (first.writes !== first.simWrites) throw new Error(`write count mismatch: client ${first.writes}, routers ${first.simWrites}`);
    console.table([{ load_s: +loadSeconds.toFixed(1), install_s: +installSeconds.toFixed(1), first_pass_s: +first.seconds.toFixed(2), second_pass_s: +second.seconds.toFixed(2) }]);

    return {
      figures: {
        routers: ROUTERS,
        subscribers: ROUTERS * SUBSCRIBERS,
        drift,
        api_writes: first.writes,
        second_pass_writes: second.writes,
        seconds: +first.seconds.toFixed(3),
        api_calls: first.calls,
      },
      targets: {
        api_writes: `= drift (${drift})`,
        second_pass_writes: '0',
        seconds: '< 60 (the reconcile period is 900)',
        api_calls: `about one print per menu per router (${ROUTERS} x 7) plus the writes`,
      },
    };
  } finally {
    await syncQueue?.close();
    await pool.close();
    if (app) {
      await app.get<Model<Subscriber>>(getModelToken(SUBSCRIBER_MODEL)).db.dropDatabase().catch(() => undefined);
      await app.close();
    }
    await Promise.all(sims.map((s) => s.stop()));
  }
}
