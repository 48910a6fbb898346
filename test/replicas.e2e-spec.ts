// Replicas behave as one (issue #9): two webhook-ingest instances and two replicas of each worker
// app (diagnostics, notifier, provisioning) as real processes from dist/ (tools/replicas.js) on one
// database and one queue prefix, in front of a simulated network. A burst of PPP "down" events
// for every subscriber behind two sectors, spread over both ingest instances with exact
// duplicates, must give one incident per sector, one notification per (incident, recipient,
// channel, kind) in the database and at the chat receiver, and no lost event. A diagnostics
// replica killed with SIGKILL while it holds a diagnosis batch, and a notifier replica killed
// while it is sending, lose nothing: the other replica takes their jobs over.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Queue, type Job } from 'bullmq';
import mongoose, { type Connection } from 'mongoose';
import {
  ensureIndexes,
  loadTopology,
  modelsOn,
  repositoriesOn,
  TopologyFileRepository,
  type DomainModels,
  type Repositories,
} from '@isp/data';
import { jobOptions, redisOptionsFromUrl } from '@isp/platform';
import {
  issueWebhookToken,
  JobName,
  NodeState,
  QueueName,
  SecretBox,
  validateTopologyFile,
  WEBHOOK_TOKEN_HEADER,
  webhookPath,
  type TopologyFile,
} from '@isp/domain';
import { SimulatedNetwork } from '@isp/routeros-testing';
import { testMongoUrl, testQueuePrefix, testRedisUrl, unfinishedJobs, waitFor } from './support';

interface AppHandle {
  app: string;
  label: string;
  url: string;
  child: ChildProcess;
  logFile: string;
}
interface ReplicaSet {
  handles: AppHandle[];
  byApp: Record<string, AppHandle[]>;
  stop(): Promise<unknown>;
}
const { startReplicas } = require('../tools/replicas') as {
  startReplicas(o: { env: Record<string, string>; perApp?: Record<string, Record<string, string>>; counts?: Record<string, number>; logDir: string; replicas?: number }): Promise<ReplicaSet>;
};

/** A Slack-compatible webhook receiver that can hold the next request open (to kill its sender mid-send). */
class ChatReceiver {
  /** Every request; `answered` is false when the sender was gone before the answer. */
  readonly requests: { hook: string; key: string; answered: boolean }[] = [];
  private server: Server | null = null;
  private holdNext = false;
  private held: { req: IncomingMessage; res: ServerResponse; entry: { answered: boolean } } | null = null;
  url = '';

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const entry = { hook: String(req.url), key: String(req.headers['idempotency-key'] ?? ''), answered: false };
        this.requests.push(entry);
        if (this.holdNext) {
          this.holdNext = false;
          this.held = { req, res, entry };
          return;
        }
        this.answer(req, res, entry);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.server = server;
  }

  hold(): void {
    this.holdNext = true;
  }

  get heldKey(): string | undefined {
    return this.held?.entry ? this.requests.find((r) => r === this.held!.entry)?.key : undefined;
  }

  release(): void {
    const h = this.held;
    this.held = null;
    if (h) this.answer(h.req, h.res, h.entry);
  }

  private answer(req: IncomingMessage, res: ServerResponse, entry: { answered: boolean }): void {
    entry.answered = !req.socket.destroyed;
    res.writeHead(200).end('ok');
  }

  async stop(): Promise<void> {
    this.release();
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}

/** The simulator's tree as a topology file for the loader (what tools/start.js does for the demo). */
function topologyOf(net: SimulatedNetwork, chatUrl: string): TopologyFile {
  const file: Required<TopologyFile> = { buildings: [], routers: [], devices: [], subscribers: [], contacts: [] };
  for (const r of net.describe().routers) {
    const b = r.building ?? { code: r.name.toUpperCase(), name: r.name };
    file.buildings.push(b);
    file.routers.push({ name: r.name, building: b.code, role: 'core', host: r.host, apiPort: r.port, apiUser: r.user, apiPassword: r.password });
    const byIp = new Map(r.devices.map((d) => [d.ip, d]));
    for (const d of r.devices) {
      const parent = d.parentIp ? byIp.get(d.parentIp)?.name : undefined;
      file.devices.push({ name: d.name, router: r.name, type: d.type as 'sector', ip: d.ip, ...(parent && { parent }) });
    }
    for (const s of r.subscribers) {
      const station = s.stationIp ? byIp.get(s.stationIp)?.name : undefined;
      file.subscribers.push({ username: s.username, router: r.name, password: s.password, macAddress: s.mac, ...(station && { station }) });
    }
  }
  file.contacts.push(
    { name: 'Field Technician', level: 2, chatWebhook: `${chatUrl}/chat/tech` },
    { name: 'Network Admin', level: 3, chatWebhook: `${chatUrl}/chat/noc` },
  );
  return file;
}

const pidOf = (processedBy: string | undefined) => Number(processedBy?.split('/').pop());

const NAME = 'replicas';
const key = SecretBox.generateKey();
const mongoUrl = testMongoUrl(NAME);
const prefix = testQueuePrefix(NAME);
const chat = new ChatReceiver();
let net: SimulatedNetwork;
let conn: Connection;
let models: DomainModels;
let repos: Repositories;
let set: ReplicaSet | undefined;
let monitoring: Queue;
let notifications: Queue;
let sync: Queue;
const tokens = new Map<string, string>();
// Kept when the test fails (the Jest run directory is removed at the end of the run).
const logDir = join(__dirname, '..', '.local', 'test', `${prefix}-logs`);
let passed = 0;

beforeAll(async () => {
  await chat.start();
  net = await SimulatedNetwork.start({ generate: { routers: 2, backhaulsPerRouter: 1, sectorsPerRouter: 2, stationsPerSector: 3, subscribersPerStation: 5 } });
  conn = await mongoose.createConnection(mongoUrl).asPromise();
  models = modelsOn(conn);
  await ensureIndexes(models);
  repos = repositoriesOn(conn);
  const box = new SecretBox(key);
  await loadTopology(validateTopologyFile(topologyOf(net, chat.url)), new TopologyFileRepository(models), box);
  for (const r of await models.router.find().lean().exec()) {
    const { token, hash } = issueWebhookToken(String(r._id));
    await repos.routers.setWebhookToken(String(r._id), hash, box.encrypt(token, 'router.webhookToken', r._id));
    tokens.set(r.name, token);
  }

  const connection = redisOptionsFromUrl(testRedisUrl());
  monitoring = new Queue(QueueName.MONITORING, { connection, prefix });
  notifications = new Queue(QueueName.NOTIFICATION, { connection, prefix });
  sync = new Queue(QueueName.SYNC, { connection, prefix });

  set = await startReplicas({
    logDir,
    counts: { 'api-gateway': 0 },
    env: {
      MONGO_URL: mongoUrl,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
      SECRETS_KEYS: key,
      LOG_LEVEL: 'info',
      // A replica that dies holding jobs gives them up within about 4 + 1 s (BullMQ default: up to 60 s).
      WORKER_LOCK_MS: '4000',
      WORKER_STALLED_CHECK_MS: '1000',
    },
    perApp: {
      'webhook-ingest': { LOG_LEVEL: 'warn' },
      diagnostics: {
        HOLD_DOWN_MS: '1000',
        HEARTBEAT_ENABLED: 'false',
        // Pings slow enough (about 0.6 s each) that a diagnosis batch is still running when its replica is killed.
        PROBE_PING_COUNT: '3',
        PROBE_PING_INTERVAL_MS: '300',
        PROBE_RETRY_DELAY_MS: '50',
        PROBE_CACHE_MS: '1500',
      },
      notifier: { SMS_PROVIDER: 'none', DELIVERY_STALE_MS: '1000', DELIVERY_BACKOFF_MS: '200', REPAGE_MERGE_WINDOW_MS: '300' },
      provisioning: { RECONCILE_SCHEDULER: 'false', ISSUE_MISSING_WEBHOOK_TOKEN: 'false' },
    },
  });
}, 120000);

afterAll(async () => {
  chat.release();
  await set?.stop();
  await Promise.all([monitoring?.close(), notifications?.close(), sync?.close()]);
  await net?.stop();
  await chat.stop();
  await conn?.dropDatabase().catch(() => undefined);
  await conn?.close();
  if (passed === 2) rmSync(logDir, { recursive: true, force: true });
  else console.log(`replica logs kept in ${logDir}`);
}, 60000);

const ingestUrls = () => set!.byApp['webhook-ingest'].map((h) => h.url);

/** POSTs PPP "down" events, alternating the ingest instances; every one must be accepted (202). */
async function burst(router: string, users: string[]): Promise<void> {
  const urls = ingestUrls();
  const statuses = await Promise.all(
    users.map((user, i) =>
      fetch(`${urls[i % urls.length]}${webhookPath('ppp-status')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [WEBHOOK_TOKEN_HEADER]: tokens.get(router)! },
        body: JSON.stringify({ event: 'down', user }),
      }).then(async (res) => ({ status: res.status, body: await res.text(), ingest: urls[i % urls.length] })),
    ),
  );
  expect(statuses.filter((s) => s.status !== 202)).toEqual([]);
}

function handleFor(app: string, processedBy: string | undefined): AppHandle | undefined {
  const pid = pidOf(processedBy);
  return set!.byApp[app].find((h) => h.child.pid === pid);
}

async function kill(h: AppHandle): Promise<void> {
  const exited = new Promise((r) => h.child.once('exit', r));
  h.child.kill('SIGKILL');
  await exited;
}

it('burst over two ingest instances, SIGKILL of a diagnostics and a notifier replica: one incident per outage, one notification each, nothing lost', async () => {
  const described = net.describe().routers;
  const sectors = [
    { router: described[0].name, sector: `B1-SEC1` },
    { router: described[1].name, sector: `B2-SEC2` },
  ];
  const usersBehind = (router: string, sectorName: string) => {
    const r = described.find((x) => x.name === router)!;
    const sectorIp = r.devices.find((d) => d.name === sectorName)!.ip;
    const stations = new Set(r.devices.filter((d) => d.parentIp === sectorIp).map((d) => d.ip));
    return r.subscribers.filter((s) => s.stationIp && stations.has(s.stationIp)).map((s) => s.username);
  };
  for (const s of sectors) {
    const r = described.find((x) => x.name === s.router)!;
    net.router(s.router).setDeviceUp(r.devices.find((d) => d.name === s.sector)!.ip, false);
  }
  const affected = sectors.map((s) => ({ ...s, users: usersBehind(s.router, s.sector) }));
  expect(affected.map((a) => a.users.length)).toEqual([15, 15]);

  // The held chat request is the first page: its sender is the notifier replica to kill.
  chat.hold();

  // Part 1: two thirds of each sector's subscribers, with exact duplicates of some.
  for (const a of affected) {
    const first = a.users.slice(0, 10);
    await burst(a.router, [...first, ...first.slice(0, 4)]);
  }

  // Kill the diagnostics replica that is running a diagnosis batch (the hold-down has passed).
  const batch = await waitFor(
    async () => (await monitoring.getJobs(['active'])).find((j: Job) => j.name === JobName.DIAGNOSE_ROUTER && handleFor('diagnostics', j.processedBy)),
    { timeoutMs: 20000, intervalMs: 20, message: 'a diagnosis batch running on a diagnostics replica' },
  );
  const deadDiagnostics = handleFor('diagnostics', batch.processedBy)!;
  await kill(deadDiagnostics);

  // Part 2: the rest, again over both ingest instances and with duplicates, after the kill.
  for (const a of affected) {
    const rest = a.users.slice(10);
    await burst(a.router, [...rest, ...rest]);
  }

  // The notifier replica sending the first page dies before the receiver answers.
  await waitFor(() => chat.heldKey, { timeoutMs: 30000, message: 'the first chat page reached the receiver' });
  const heldKey = chat.heldKey!;
  const held = await models.notification.findOne({ idempotencyKey: heldKey }).lean().exec();
  const sending = await notifications.getJob(`dlv.${String(held!._id)}`);
  const deadNotifier = handleFor('notifier', sending?.processedBy);
  expect(deadNotifier).toBeDefined();
  await kill(deadNotifier!);
  chat.release();

  // The batch the dead diagnostics replica held was finished by the other one.
  const survivorDiag = set!.byApp.diagnostics.find((h) => h !== deadDiagnostics)!;
  await waitFor(async () => (await monitoring.getJob(String(batch.id)))?.finishedOn, { timeoutMs: 30000, message: `diagnosis batch ${batch.id} taken over and finished` });
  const finishedBatch = (await monitoring.getJob(String(batch.id)))!;
  expect(finishedBatch.failedReason ?? null).toBeNull();
  expect(pidOf(finishedBatch.processedBy)).toBe(survivorDiag.child.pid);

  // No lost event: every subscriber behind each sector is IMPACTED with one open downtime log on its sector's incident.
  const incidents = await waitFor(
    async () => {
      const list = await models.incident.find({}).lean().exec();
      const impacted = await models.subscriber.countDocuments({ username: { $in: affected.flatMap((a) => a.users) }, state: NodeState.IMPACTED });
      return list.length === 2 && impacted === 30 && list.every((i) => i.impactedSubscribers === 15) ? list : null;
    },
    { timeoutMs: 40000, message: 'both sectors diagnosed with all 30 subscribers impacted' },
  );
  const sectorIds = await Promise.all(affected.map(async (a) => String((await models.device.findOne({ name: a.sector }).lean().exec())!._id)));
  expect(incidents.map((i) => String(i.rootCause.id)).sort()).toEqual([...sectorIds].sort());
  expect(incidents.every((i) => i.state === 'open' && i.level === 2)).toBe(true);
  for (const [n, a] of affected.entries()) {
    const users = await models.subscriber.find({ username: { $in: a.users } }, { _id: 1 }).lean().exec();
    const logs = await models.downtime.find({ user: { $in: users.map((u) => u._id) }, endedAt: null }).lean().exec();
    const incident = incidents.find((i) => String(i.rootCause.id) === sectorIds[n])!;
    expect(logs).toHaveLength(15);
    expect(new Set(logs.map((l) => String(l.user))).size).toBe(15);
    expect(logs.every((l) => l.cause === 'impacted' && String(l.incident) === String(incident._id))).toBe(true);
  }

  // No lost event, no double: exactly one processed status-event job per subscriber (the duplicates collapsed into it).
  const events = (await monitoring.getJobs(['completed'])).filter((j: Job) => j.name === JobName.STATUS_EVENT);
  expect(events.map((j) => (j.data as { subject: { username: string } }).subject.username).sort()).toEqual(affected.flatMap((a) => a.users).sort());
  expect(events.every((j) => j.returnvalue === 'held')).toBe(true);

  // Every job finished: nothing failed, nothing stuck on a dead replica.
  await waitFor(
    async () => {
      const [m, q] = await Promise.all([unfinishedJobs(monitoring, ['active', 'waiting', 'delayed']), unfinishedJobs(notifications, ['active', 'waiting', 'prioritized'])]);
      // The only delayed notification jobs left are the escalation checks (15 min after opening) and
      // the look at the uncertain page once its window has passed.
      const delayed = (await notifications.getJobs(['delayed'])).filter(
        (j: Job) => j.name !== JobName.ESCALATION_CHECK && !(j.name === JobName.DELIVER_NOTIFICATION && (j.data as { notificationId: string }).notificationId === String(held!._id)),
      );
      return m + q + delayed.length === 0;
    },
    { timeoutMs: 30000, message: 'queues drained' },
  );
  expect((await monitoring.getJobCounts('failed')).failed).toBe(0);
  expect((await notifications.getJobCounts('failed')).failed).toBe(0);

  // One notification per (incident, recipient, channel, kind), all sent; the pages are the technician's chat, once per incident.
  const records = await models.notification.find({ incident: { $in: incidents.map((i) => i._id) } }).lean().exec();
  const groups = new Map<string, number>();
  for (const r of records) {
    const k = [String(r.incident), r.recipient, r.channel, r.kind].join('|');
    groups.set(k, (groups.get(k) ?? 0) + 1);
  }
  expect([...groups.values()].filter((c) => c !== 1)).toEqual([]);
  // The page whose sender died mid-send may have reached the receiver: uncertain, not sent again.
  expect(records.filter((r) => r.status !== 'delivered').map((r) => `${r.channel} ${r.kind} ${r.idempotencyKey}: ${r.status} ${r.error ?? ''}`)).toEqual([
    `chat opened ${heldKey}: uncertain the worker sending it stopped mid-send`,
  ]);
  const pages = records.filter((r) => r.channel === 'chat');
  expect(pages.filter((p) => p.kind === 'opened').map((p) => String(p.incident)).sort()).toEqual(incidents.map((i) => String(i._id)).sort());

  // At the receiver: one answered request per page, and the one the killed replica was sending
  // arrived once, never answered, and was not sent again by the survivor (at most once).
  const answered = chat.requests.filter((r) => r.answered);
  expect(answered.map((r) => r.key).sort()).toEqual(pages.filter((p) => p.idempotencyKey !== heldKey).map((p) => p.idempotencyKey).sort());
  expect(chat.requests.filter((r) => !r.answered).map((r) => r.key)).toEqual([heldKey]);
  expect(chat.requests.filter((r) => r.key === heldKey)).toHaveLength(1);
  expect(answered.every((r) => r.hook === '/chat/tech')).toBe(true);
  const resent = (await notifications.getJob(`dlv.${String(held!._id)}`))!;
  expect(pidOf(resent.processedBy)).not.toBe(deadNotifier!.child.pid);
  passed++;
}, 150000);

it('provisioning: a replica killed while syncing loses no desired-state change', async () => {
  const router = net.describe().routers[1];
  const sim = net.router(router.name);
  // Slow replies keep the syncs running long enough for the kill to land on one.
  sim.setApiLatency(100);
  const sectorIp = router.devices.find((d) => d.name === 'B2-SEC1')!.ip;
  const stations = new Set(router.devices.filter((d) => d.parentIp === sectorIp).map((d) => d.ip));
  const usernames = router.subscribers.filter((s) => s.stationIp && stations.has(s.stationIp)).map((s) => s.username);
  const users = await models.subscriber.find({ username: { $in: usernames } }).lean().exec();
  expect(users).toHaveLength(15);
  for (const u of users) await repos.subscribers.writeDesiredState(u._id, { isSuspended: true });
  const jobs = users.map((u) => ({ name: JobName.SYNC_USER, data: { userId: String(u._id) }, opts: jobOptions(JobName.SYNC_USER, { userId: String(u._id) }) }));
  await sync.addBulk(jobs);

  const running = await waitFor(
    async () => (await sync.getJobs(['active'])).find((j: Job) => j.name === JobName.SYNC_USER && handleFor('provisioning', j.processedBy)),
    { timeoutMs: 20000, intervalMs: 20, message: 'a syncUser job running on a provisioning replica' },
  );
  const dead = handleFor('provisioning', running.processedBy)!;
  await kill(dead);
  sim.setApiLatency(0);

  await waitFor(
    async () => (await models.subscriber.find({ _id: { $in: users.map((u) => u._id) }, syncStatus: 'synced' }).lean().exec()).filter((u) => u.appliedVersion === u.desiredVersion).length === 15,
    { timeoutMs: 40000, message: 'all 15 desired-state changes applied' },
  ).catch(async (err: Error) => {
    const left = await models.subscriber.find({ _id: { $in: users.map((u) => u._id) } }, { username: 1, syncStatus: 1, syncError: 1, desiredVersion: 1, appliedVersion: 1 }).lean().exec();
    throw new Error(`${err.message}: ${JSON.stringify(left.filter((u) => u.syncStatus !== 'synced'))}`);
  });
  const secrets = sim.table('/ppp/secret').filter((r) => usernames.includes(r.name));
  expect(secrets.filter((r) => r.profile !== 'suspended').map((r) => r.name)).toEqual([]);
  const finished = await waitFor(async () => {
    const j = await sync.getJob(String(running.id));
    return j?.finishedOn ? j : null;
  }, { timeoutMs: 20000, message: `syncUser ${running.id} taken over and finished` });
  expect(finished.failedReason ?? null).toBeNull();
  expect(pidOf(finished.processedBy)).not.toBe(dead.child.pid);
  expect((await sync.getJobCounts('failed')).failed).toBe(0);
  passed++;
}, 90000);
