/**
 * Outage benchmark (`npm run bench -- outage`): 5,000 subscribers behind one backhaul of one
 * simulated core router. The backhaul goes dark in the simulator and every subscriber's PPP
 * on-down webhook reaches webhook-ingest (built, child process) within about a second, signed
 * with the router's token; diagnostics (built, child process) walks the tree over the RouterOS
 * API against the simulator. Measured: incidents opened, probes sent to routers (diagnostics'
 * own Redis counter), last event -> incident open, last event -> notification job. The burst
 * (BURST_MIN_NODES) has the batch diagnosed long before the hold-down ends, so both can come
 * before the last event is even posted: a negative figure means the page came first.
 * Trailing per-subscriber writes (states, downtime logs) are not waited for.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { ensureIndexes, modelsOn, newId, repositoriesOn } from '@isp/data';
import { issueWebhookToken, QueueName, SecretBox, WEBHOOK_TOKEN_HEADER, webhookPath, WebhookKind } from '@isp/domain';
import { redisOptionsFromUrl } from '@isp/platform';
import { SimulatedRouter } from '@isp/routeros-testing';
import type { BenchContext, BenchResult } from '../bench-context';
import { autocannon } from '../load-generator';
import { infra, stack, until, type AppHandle } from '../project-tools';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 5000);
const SECTORS = 4;
const STATIONS_PER_SECTOR = 25;
const HOLD_DOWN_MS = Number(process.env.BENCH_HOLD_DOWN_MS ?? 5000);
const CONCURRENCY = 100;

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const runId = randomBytes(3).toString('hex');
  const mongoUrl = infra.mongoDbUrl(ctx.mongoUrl, `bench_outage_${runId}`);
  const prefix = `bench-outage-${runId}`;
  const key = SecretBox.generateKey();
  const logDir = join(ctx.root, '.local', 'bench', `outage-${runId}`);

  const conn = await mongoose.createConnection(mongoUrl).asPromise();
  const models = modelsOn(conn);
  await ensureIndexes(models);
  const repos = repositoriesOn(conn);
  const redis = new Redis(ctx.redisUrl, { maxRetriesPerRequest: null });
  const notifications = new Queue(QueueName.NOTIFICATION, { connection: redisOptionsFromUrl(ctx.redisUrl), prefix });
  const monitoring = new Queue(QueueName.MONITORING, { connection: redisOptionsFromUrl(ctx.redisUrl), prefix });
  const sim = await SimulatedRouter.start({ name: 'OUT-CORE' });
  const apps: AppHandle[] = [];
  try {
    // core -> backhaul -> 4 sectors -> 100 stations -> 5,000 subscribers, in the simulator and the database.
    const building = await repos.buildings.create({ name: 'Outage Tower', code: 'OUT' });
    const routerId = newId();
    const router = await repos.routers.create({
      _id: routerId,
      name: 'OUT-CORE',
      host: sim.host,
      apiPort: sim.port,
      apiUser: sim.user,
      apiPassword: new SecretBox(key).encrypt(sim.password, 'router.apiPassword', routerId),
      building: building._id,
      role: 'core',
    });
    const { token, hash } = issueWebhookToken(String(router._id));
    await repos.routers.setWebhookTokenHash(router._id, hash);
    const bhIp = '10.9.0.1';
    sim.addDevice({ name: 'OUT-BH1', type: 'backhaul', ip: bhIp });
    const base = { router: router._id, building: building._id };
    const bh = await models.device.create({ ...base, name: 'OUT-BH1', deviceType: 'backhaul', ipAddress: bhIp, parent: null });
    const stations: { id: mongoose.Types.ObjectId; n: number }[] = [];
    for (let s = 0; s < SECTORS; s++) {
      const ip = `10.9.1.${s + 1}`;
      sim.addDevice({ name: `OUT-SEC${s + 1}`, type: 'sector', ip, parentIp: bhIp });
      const sector = await models.device.create({ ...base, name: `OUT-SEC${s + 1}`, deviceType: 'sector', ipAddress: ip, parent: bh._id });
      const docs = Array.from({ length: STATIONS_PER_SECTOR }, (_, t) => ({ ...base, name: `OUT-SEC${s + 1}-ST${t + 1}`, deviceType: 'station', ipAddress: `10.9.${10 + s}.${t + 1}`, parent: sector._id }));
      docs.forEach((d) => sim.addDevice({ name: d.name, type: 'station', ip: d.ipAddress, parentIp: ip }));
      const created = await models.device.insertMany(docs);
      created.forEach((d) => stations.push({ id: d._id as mongoose.Types.ObjectId, n: stations.length }));
    }
    const usernames = Array.from({ length: SUBSCRIBERS }, (_, i) => `out-${i + 1}`);
    for (let i = 0; i < usernames.length; i += 1000) {
      await models.subscriber.insertMany(
        usernames.slice(i, i + 1000).map((username, j) => ({ ...base, username, station: stations[(i + j) % stations.length].id, state: 'UP', isOnline: true })),
      );
    }

    const env = { MONGO_URL: mongoUrl, REDIS_URL: ctx.redisUrl, QUEUE_PREFIX: prefix, SECRETS_KEYS: key, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' };
    apps.push(await stack.launchApp('diagnostics', { env: { ...env, HOLD_DOWN_MS: String(HOLD_DOWN_MS), HEARTBEAT_ENABLED: 'false' }, logDir }));
    // Ingest's per-router bucket defaults to a burst of 2,000 (sized for 1,000 subscribers per
    // core router); this router carries 5,000 sessions that all end at once.
    const ingest = await stack.launchApp('webhook-ingest', { env, logDir });
    apps.push(ingest);
    // One request first so connections and JIT are warm; it is an UP for a subscriber that stays up.
    const post = async (username: string, event: 'up' | 'down') => {
      const res = await fetch(`${ingest.url}${webhookPath(WebhookKind.PPP)}`, {
        method: 'POST',
        headers: { [WEBHOOK_TOKEN_HEADER]: token, 'content-type': 'application/json' },
        body: JSON.stringify({ event, user: username, iface: `<pppoe-${username}>` }),
      });
      await res.arrayBuffer();
      if (res.status >= 300) throw new Error(`ingest answered ${res.status} for ${username}`);
    };
    await post('warm-up-nobody', 'up');
    await until('the warm-up event processed', async () => Object.values(await monitoring.getJobCounts('waiting', 'active', 'prioritized')).every((n) => n === 0), 10000);
    const probesBefore = Number((await redis.get(`${prefix}:diag:probes-sent`)) ?? 0);

    // The backhaul drops; every PPPoE session behind it fires its on-down script (autocannon:
    // a fetch loop in this process cannot send 5,000 requests a second on two cores).
    sim.setDeviceUp(bhIp, false);
    const first = Date.now();
    let next = 0;
    const sent = await autocannon({
      url: ingest.url,
      connections: CONCURRENCY,
      amount: SUBSCRIBERS,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => ({
            ...req,
            path: webhookPath(WebhookKind.PPP),
            headers: { [WEBHOOK_TOKEN_HEADER]: token, 'content-type': 'application/json' },
            body: JSON.stringify({ event: 'down', user: usernames[next++ % usernames.length], iface: '<pppoe-out>' }),
          }),
        },
      ],
    });
    if (sent['2xx'] !== SUBSCRIBERS) throw new Error(`ingest accepted ${sent['2xx']} of ${SUBSCRIBERS} events (non-2xx ${sent.non2xx}, errors ${sent.errors})`);
    const last = Date.now();

    const incident = await until('the incident', () => repos.incidents.findOpenFor({ kind: 'device', id: bh._id }), 60000);
    const notice = await until(
      'the notification job',
      async () => (await notifications.getJobs(['waiting', 'delayed', 'active', 'completed', 'prioritized'])).find((j) => String(j.id).startsWith(`inc.${incident._id}.opened`)),
      30000,
    );
    // Every batch the burst scheduled has started its walk (probes come first, then the slow
    // state writes, which are not waited for); the later batches find the probes cached.
    await until('every diagnosis batch started', async () => {
      const c = await monitoring.getJobCounts('waiting', 'prioritized');
      // A job scheduler's next run (the incident recheck) is always delayed: not a batch.
      const batches = (await monitoring.getJobs(['delayed'])).filter((j) => !j.repeatJobKey);
      return batches.length + c.waiting + c.prioritized === 0;
    }, HOLD_DOWN_MS + 30000);
    const probes = Number((await redis.get(`${prefix}:diag:probes-sent`)) ?? 0) - probesBefore;
    const incidents = await models.incident.countDocuments({});
    console.table([{ root: incident.rootCause.name, level: incident.level, impactedDevices: incident.impactedDevices, impactedSubscribers: incident.impactedSubscribers, holdDownMs: HOLD_DOWN_MS }]);

    return {
      figures: {
        subscribers: SUBSCRIBERS,
        incidents,
        probes,
        detect_s: +((new Date(incident.openedAt).getTime() - last) / 1000).toFixed(3),
        notify_s: +((notice.timestamp - last) / 1000).toFixed(3),
        events_per_s: Math.round(SUBSCRIBERS / Math.max(0.001, (last - first) / 1000)),
      },
      targets: { incidents: '1', probes: '<= 3', notify_s: '<= 2.0' },
    };
  } finally {
    // Diagnostics may still be writing 5,000 subscriber states: a short grace, then it is killed.
    await Promise.all(apps.map((a) => stack.stopApp(a.child, 3000)));
    await sim.stop();
    await notifications.close();
    await monitoring.close();
    redis.disconnect();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
}
