/**
 * Reconcile benchmark: 10 simulated routers x 2,000 subscribers, already converged, then drift
 * injected on the routers behind provisioning's back (passwords changed, secrets deleted,
 * profiles switched, queue limits edited, a snitch script wiped). One reconcile tick fans out a
 * reconcileMikrotikState job per router through BullMQ; the figures say how many API writes it
 * took (target: exactly the drift), how long the whole pass took (target: far inside the
 * 15-minute period), and that a second pass writes nothing. Run with `npm run bench -- reconcile`.
 */
import type { INestApplication } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import { Types, type Model } from 'mongoose';
import { bootstrapApp, JobProducer, SECRET_BOX } from '@isp/platform';
import { DeviceRepository, SUBSCRIBER_MODEL, MikrotikRouterRepository, type Subscriber } from '@isp/data';
import { issueWebhookToken, JobName, SecretBox, SyncStatus } from '@isp/domain';
import { RouterConnectionPool } from '@isp/routeros';
import { SimulatedRouter } from '@isp/routeros-testing';
import { AppModule } from '../../apps/provisioning/src/app.module';
import { loadProvisioningConfig } from '../../apps/provisioning/src/config/provisioning.config';
import { ReconcileService } from '../../apps/provisioning/src/reconcile/reconcile.service';
import { RouterCallCounter } from '../../apps/provisioning/src/router-access/router-api';
import type { BenchContext, BenchResult } from '../bench-context';

const ROUTERS = Number(process.env.BENCH_ROUTERS ?? 10);
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 2000);
const DEVICES = 6;

function simWrites(sims: SimulatedRouter[]): number {
  let n = 0;
  for (const s of sims) for (const [path, c] of Object.entries(s.stats.commandsByPath)) if (/\/(add|set|remove)$/.test(path)) n += c;
  return n;
}

/** Changes entries on the router directly (the way an operator or a reset would). Returns how many. */
async function injectDrift(pool: RouterConnectionPool, sim: SimulatedRouter, r: number): Promise<number> {
  const run = (words: string[]) => pool.execute(sim.id, words);
  const secrets = sim.table('/ppp/secret');
  const pick = (k: number) => secrets[(r * 37 + k * 97) % secrets.length];
  let drift = 0;
  for (let k = 0; k < 8; k++, drift++) await run(['/ppp/secret/set', `=.id=${pick(k)['.id']}`, '=password=drifted']);
  for (let k = 8; k < 12; k++, drift++) await run(['/ppp/secret/set', `=.id=${pick(k)['.id']}`, '=profile=default-encryption']);
  for (let k = 12; k < 16; k++, drift++) await run(['/ppp/secret/remove', `=.id=${pick(k)['.id']}`]);
  const queues = sim.table('/queue/simple');
  for (let k = 0; k < 3; k++, drift++) await run(['/queue/simple/set', `=.id=${queues[(r + k * 11) % queues.length]['.id']}`, '=max-limit=1G/1G']);
  const nw = sim.table('/tool/netwatch')[0];
  await run(['/tool/netwatch/set', `=.id=${nw['.id']}`, '=up-script=']);
  drift++;
  return drift;
}

async function waitAllReconciled(routers: MikrotikRouterRepository, ids: string[], after: Date, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await Promise.all(ids.map((id) => routers.findById(id)));
    if (rows.every((r) => r?.lastReconcileAt && r.lastReconcileAt > after)) return;
    if (Date.now() > deadline) throw new Error('reconcile did not finish in time');
    await new Promise((res) => setTimeout(res, 50));
  }
}

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const sims: SimulatedRouter[] = [];
  let app: INestApplication | undefined;
  const pool = new RouterConnectionPool();
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
      INGEST_PUBLIC_URL: 'http://127.0.0.1:9',
    });
    app = await bootstrapApp(AppModule.forRoot(config), { config });
    const box = app.get<SecretBox>(SECRET_BOX);
    const routers = app.get(MikrotikRouterRepository);
    const devices = app.get(DeviceRepository);
    const userModel = app.get<Model<Subscriber>>(getModelToken(SUBSCRIBER_MODEL));
    const ids: string[] = [];

    // The database and the routers start converged: subscribers synced, routers holding them.
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
      await userModel.insertMany(docs, { ordered: false });
      for (let d = 0; d < DEVICES; d++) {
        await devices.create({ name: `r${r}-dev${d}`, deviceType: d === 0 ? 'sector' : 'station', ipAddress: `10.${r}.0.${d + 1}`, router: router._id, building: new Types.ObjectId() });
      }
    }
    const reconcile = app.get(ReconcileService);
    for (const id of ids) await reconcile.reconcileRouter(id); // install: not measured

    let drift = 0;
    for (const [r, sim] of sims.entries()) drift += await injectDrift(pool, sim, r);

    const counter = app.get(RouterCallCounter);
    const producer = app.get(JobProducer);
    const pass = async () => {
      for (const s of sims) s.resetStats();
      const before = counter.snapshot();
      const started = new Date();
      const t0 = process.hrtime.bigint();
      await producer.add(JobName.RECONCILE_TICK, {});
      await waitAllReconciled(routers, ids, started, 120_000);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const after = counter.snapshot();
      return { seconds, calls: after.calls - before.calls, writes: after.writes - before.writes, simWrites: simWrites(sims) };
    };
    // lastReconcileAt has millisecond resolution: make sure the measured pass starts after setup.
    await new Promise((res) => setTimeout(res, 5));
    const first = await pass();
    const second = await pass();
    if (first.writes !== first.simWrites) throw new Error(`write count mismatch: client ${first.writes}, routers ${first.simWrites}`);

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
        seconds: '< 900 (the reconcile period)',
        api_calls: `about one print per menu per router (${ROUTERS} x 7) plus the writes`,
      },
    };
  } finally {
    await pool.close();
    if (app) {
      await app.get<Model<Subscriber>>(getModelToken(SUBSCRIBER_MODEL)).db.dropDatabase().catch(() => undefined);
      await app.close();
    }
    await Promise.all(sims.map((s) => s.stop()));
  }
}
