import type { INestApplication } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import { QueueEvents, type Job } from 'bullmq';
import { Types, type Model } from 'mongoose';
import { bootstrapApp, JobProducer, redisOptionsFromUrl, SECRET_BOX } from '@isp/platform';
import { JobName, QueueName, SecretBox, type JobPayloads } from '@isp/domain';
import { MIKROTIK_ROUTER_MODEL, SUBSCRIBER_MODEL, MikrotikRouterRepository, SubscriberRepository, DeviceRepository, type MikrotikRouter, type Subscriber } from '@isp/data';
import type { SimulatedRouter } from '@isp/routeros-testing';
import { AppModule } from '../src/app.module';
import { loadProvisioningConfig } from '../src/config/provisioning.config';
import { testMongoUrl, testQueuePrefix, testRedisUrl } from '../../../test/support';

/** Write commands a simulated router received (add/set/remove on any menu). */
export function simWrites(sim: SimulatedRouter): number {
  return Object.entries(sim.stats.commandsByPath)
    .filter(([path]) => /\/(add|set|remove)$/.test(path))
    .reduce((n, [, c]) => n + c, 0);
}

export interface Harness {
  app: INestApplication;
  box: SecretBox;
  routers: MikrotikRouterRepository;
  users: SubscriberRepository;
  devices: DeviceRepository;
  producer: JobProducer;
  events: QueueEvents;
  userModel: Model<Subscriber>;
  run<N extends JobName>(name: N, data: JobPayloads[N], timeoutMs?: number): Promise<unknown>;
  /**
   * `legacy`: a record as the old system left it (no adoption state: its first pass is an adoption).
   * `rosVersion: null` registers the router without a version, as a user may (it is then read from the router).
   */
  addRouter(sim: SimulatedRouter, opts?: { name?: string; password?: string; token?: string; legacy?: boolean; rosVersion?: string | null }): Promise<string>;
  /**
   * A subscriber on `routerId`; `password` is stored encrypted. `legacy`: inserted as the old system
   * left it, only the fields given, the password in plain text, no sync bookkeeping.
   */
  addSubscriber(routerId: string, fields: Partial<Omit<Subscriber, '_id' | 'router'>> & { username: string }, opts?: { legacy?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export async function startProvisioning(file: string, env: Record<string, string> = {}): Promise<Harness> {
  const prefix = testQueuePrefix(file);
  const config = loadProvisioningConfig({
    MONGO_URL: testMongoUrl(file),
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
    SECRETS_KEYS: SecretBox.generateKey('t1'),
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RECONCILE_SCHEDULER: 'false',
    ROUTER_CALL_TIMEOUT_MS: '3000',
    ROUTER_CONNECT_TIMEOUT_MS: '1000',
    ROUTER_BREAKER_COOLDOWN_MS: '500',
    ...env,
  });
  const app = await bootstrapApp(AppModule.forRoot(config), { config, broadcasts: true });
  const events = new QueueEvents(QueueName.SYNC, { connection: redisOptionsFromUrl(config.REDIS_URL), prefix: config.QUEUE_PREFIX });
  await events.waitUntilReady();
  const box = app.get<SecretBox>(SECRET_BOX);
  const routers = app.get(MikrotikRouterRepository);
  const producer = app.get(JobProducer);
  const userModel = app.get<Model<Subscriber>>(getModelToken(SUBSCRIBER_MODEL));
  const h: Harness = {
    app,
    box,
    routers,
    users: app.get(SubscriberRepository),
    devices: app.get(DeviceRepository),
    producer,
    events,
    userModel,
    async run(name, data, timeoutMs = 30000) {
      const job: Job = await producer.add(name, data);
      return job.waitUntilFinished(events, timeoutMs);
    },
    async addRouter(sim, opts = {}) {
      const r = await routers.create({
        _id: new Types.ObjectId(sim.id),
        name: opts.name ?? sim.name,
        host: sim.host,
        apiPort: sim.port,
        apiUser: sim.user,
        apiPassword: box.encrypt(opts.password ?? sim.password, 'router.apiPassword', sim.id),
        ...(opts.rosVersion !== null && { rosVersion: opts.rosVersion ?? sim.version }),
        ...(opts.token && { webhookTokenEncrypted: box.encrypt(opts.token, 'router.webhookToken', sim.id) }),
      });
      if (opts.legacy) await app.get<Model<MikrotikRouter>>(getModelToken(MIKROTIK_ROUTER_MODEL)).updateOne({ _id: r._id }, { $unset: { adoption: 1 } });
      return String(r._id);
    },
    async addSubscriber(routerId, fields, opts = {}) {
      const _id = new Types.ObjectId();
      const router = new Types.ObjectId(routerId);
      if (opts.legacy) {
        await userModel.collection.insertOne({ _id, router, ...fields });
        return String(_id);
      }
      const password = fields.password === undefined ? {} : { password: box.encrypt(fields.password, 'subscriber.password', _id) };
      await h.users.create({ profile: 'default', ...fields, ...password, _id, router });
      return String(_id);
    },
    async close() {
      await events.close();
      await app.close();
    },
  };
  return h;
}
