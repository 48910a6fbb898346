// Shared set-up of the diagnostics e2e specs: a simulated router network (libs/routeros
// simulator over the real API protocol), the same network in MongoDB, diagnostics apps started
// in-process on their own queue prefix, and helpers to fire status events and read results.
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import mongoose, { type Connection } from 'mongoose';
import { Redis } from 'ioredis';
import { bootstrapApp, jobOptions, redisOptionsFromUrl } from '@isp/platform';
import { ensureIndexes, modelsOn, newId, repositoriesOn, type Id, type Repositories } from '@isp/data';
import { JobName, QueueName, SecretBox, type StatusEventJob } from '@isp/domain';
import { SimulatedRouter } from '@isp/routeros-testing';
import { AppModule } from '../src/app.module';
import { loadDiagnosticsConfig } from '../src/config/diagnostics.config';
import type { PingOutcome, Prober } from '../src/probing/prober.port';
import { testMongoUrl, testQueuePrefix, testRedisUrl } from '../../../test/support';

/** Faults the simulator cannot script deterministically: the first probe of an address lost, a hop that never answers. */
export class FaultyProber implements Prober {
  readonly loseFirst = new Set<string>();
  readonly hang = new Set<string>();
  pings = 0;
  roundTrips = 0;
  constructor(private readonly inner: Prober) {}

  async ping(routerId: string, address: string, opts: { count: number; timeoutMs: number }): Promise<PingOutcome> {
    this.pings++;
    if (this.hang.has(address)) return new Promise<PingOutcome>(() => undefined);
    if (this.loseFirst.delete(address)) return { sent: opts.count, received: 0 };
    return this.inner.ping(routerId, address, opts);
  }
  roundTrip(routerId: string, opts: { timeoutMs: number }) {
    this.roundTrips++;
    return this.inner.roundTrip(routerId, opts);
  }
  stats() {
    return this.inner.stats!();
  }
  forget(routerId: string) {
    this.inner.forget?.(routerId);
  }
}

export interface SeededNode {
  id: string;
  ip: string;
}

export class DiagnosticsHarness {
  readonly key = SecretBox.generateKey();
  readonly mongoUrl: string;
  readonly prefix: string;
  conn!: Connection;
  repos!: Repositories;
  redis!: Redis;
  monitoring!: Queue;
  notifications!: Queue;
  liveCheck!: Queue;
  readonly apps: INestApplication[] = [];
  readonly probers: FaultyProber[] = [];
  readonly sims: SimulatedRouter[] = [];
  readonly devices = new Map<string, SeededNode>();
  readonly routers = new Map<string, { id: string; sim: SimulatedRouter; buildingId: string }>();
  readonly users = new Map<string, string>();

  constructor(name: string) {
    this.mongoUrl = testMongoUrl(name);
    this.prefix = testQueuePrefix(name);
  }

  async start(): Promise<void> {
    this.conn = await mongoose.createConnection(this.mongoUrl).asPromise();
    await ensureIndexes(modelsOn(this.conn));
    this.repos = repositoriesOn(this.conn);
    this.redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    const connection = redisOptionsFromUrl(testRedisUrl());
    this.monitoring = new Queue(QueueName.MONITORING, { connection, prefix: this.prefix });
    this.notifications = new Queue(QueueName.NOTIFICATION, { connection, prefix: this.prefix });
    this.liveCheck = new Queue(QueueName.LIVE_CHECK, { connection, prefix: this.prefix });
  }

  /** A building with one core router, simulated and in the database. */
  async addRouter(name: string, code: string): Promise<string> {
    const sim = await SimulatedRouter.start({ name });
    this.sims.push(sim);
    const box = new SecretBox(this.key);
    const building = await this.repos.buildings.create({ name: `Building ${code}`, code });
    const _id = newId();
    const router = await this.repos.routers.create({ _id, name, host: sim.host, apiPort: sim.port, apiUser: sim.user, apiPassword: box.encrypt(sim.password, 'router.apiPassword', _id), building: building._id, role: 'core' });
    this.routers.set(name, { id: String(router._id), sim, buildingId: String(building._id) });
    return String(router._id);
  }

  async addDevice(router: string, name: string, deviceType: 'sector' | 'backhaul' | 'station', ip: string, parent?: string): Promise<string> {
    const r = this.routers.get(router)!;
    const parentNode = parent ? this.devices.get(parent) : undefined;
    r.sim.addDevice({ name, type: deviceType, ip, parentIp: parentNode?.ip });
    const d = await this.repos.devices.create({ name, deviceType, ipAddress: ip, router: r.id as unknown as Id, parent: (parentNode?.id ?? null) as unknown as Id, building: r.buildingId as unknown as Id });
    this.devices.set(name, { id: String(d._id), ip });
    return String(d._id);
  }

  /** Subscribers in bulk (one insert), hanging on `station`. */
  async addSubscribers(router: string, station: string, usernames: string[]): Promise<void> {
    const r = this.routers.get(router)!;
    const m = modelsOn(this.conn);
    const docs = await m.subscriber.insertMany(
      usernames.map((username) => ({ username, router: r.id, station: this.devices.get(station)!.id, building: r.buildingId, state: 'UP', isOnline: true })),
    );
    docs.forEach((d) => this.users.set(d.username, String(d._id)));
  }

  async startApp(env: Record<string, string> = {}): Promise<INestApplication> {
    const config = loadDiagnosticsConfig({
      MONGO_URL: this.mongoUrl,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: this.prefix,
      SECRETS_KEYS: this.key,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      HOLD_DOWN_MS: '400',
      HEARTBEAT_ENABLED: 'false',
      // Off unless a test drives it: its probes would blur the probe counts other tests assert.
      INCIDENT_RECHECK_MS: '0',
      HEARTBEAT_INTERVAL_MS: '1000',
      // A router that posted events shortly before its API went silent waits this long for another one.
      ROUTER_SILENCE_CONFIRM_MS: '1000',
      PROBE_CACHE_MS: '1500',
      PROBE_RETRY_DELAY_MS: '50',
      PROBE_TIMEOUT_MS: '1500',
      PROBE_PING_INTERVAL_MS: '10',
      PROBE_BREAKER_COOLDOWN_MS: '200',
      LIVE_CHECK_HOP_TIMEOUT_MS: '1000',
      ...env,
    });
    const app = await bootstrapApp(
      AppModule.forRoot(config, {
        wrapProber: (inner) => {
          const p = new FaultyProber(inner);
          this.probers.push(p);
          return p;
        },
      }),
      { config },
    );
    this.apps.push(app);
    return app;
  }

  get prober(): FaultyProber {
    return this.probers[0];
  }

  async probesSent(): Promise<number> {
    return Number((await this.redis.get(`${this.prefix}:diag:probes-sent`)) ?? 0);
  }

  async fire(router: string, events: { username?: string; host?: string; event: 'up' | 'down'; details?: Record<string, string> }[]): Promise<void> {
    const routerId = this.routers.get(router)!.id;
    const now = new Date().toISOString();
    const jobs = events.map((e) => {
      const data: StatusEventJob = {
        routerId,
        source: e.username ? 'ppp-status' : 'netwatch',
        subject: e.username ? { kind: 'ppp', username: e.username } : { kind: 'netwatch', host: e.host! },
        event: e.event,
        at: now,
        receivedAt: now,
        ...(e.details && { details: e.details }),
      };
      return { name: JobName.STATUS_EVENT, data, opts: jobOptions(JobName.STATUS_EVENT, data) };
    });
    for (let i = 0; i < jobs.length; i += 500) await this.monitoring.addBulk(jobs.slice(i, i + 500));
  }

  /** Notification jobs about one incident or user (ids from jobOptions: inc.<id>.<change>.<rev> / sub.<id>.<state>.<t>). */
  async notificationJobs(prefix: string): Promise<string[]> {
    const jobs = await this.notifications.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized']);
    return jobs.map((j) => String(j.id)).filter((id) => id.startsWith(prefix));
  }

  async stop(): Promise<void> {
    for (const app of this.apps) await app.close();
    await Promise.all(this.sims.map((s) => s.stop()));
    await Promise.all([this.monitoring?.close(), this.notifications?.close(), this.liveCheck?.close()]);
    await this.conn?.dropDatabase().catch(() => undefined);
    await this.conn?.close();
    this.redis?.disconnect();
  }
}
