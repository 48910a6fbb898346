// End to end across two apps: provisioning installs the snitch scripts on a simulated router,
// the router's PPP events then reach webhook-ingest and become status-event jobs on the
// monitoring queue (what diagnostics consumes).
import { Queue } from 'bullmq';
import { Types } from 'mongoose';
import { bootstrapApp, redisOptionsFromUrl } from '@isp/platform';
import { issueWebhookToken, JobName, QueueName, SecretBox, type StatusEventJob } from '@isp/domain';
import { SimulatedRouter } from '@isp/routeros-testing';
import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { testMongoUrl, testQueuePrefix, testRedisUrl, waitFor } from '../../../test/support';
import { AppModule as IngestModule } from '../../webhook-ingest/src/app.module';
import { loadWebhookIngestConfig } from '../../webhook-ingest/src/config/webhook-ingest.config';
import { ingestHttpOptions } from '../../webhook-ingest/src/http-options';
import { RouterCacheService } from '../../webhook-ingest/src/routers/router-cache.service';
import { simWrites, startProvisioning, type Harness } from './provisioning-harness';

describe('snitch scripts: installed by provisioning, heard by webhook-ingest', () => {
  let h: Harness;
  let ingest: INestApplication;
  let monitoring: Queue;
  let sim: SimulatedRouter;
  let routerId: string;

  beforeAll(async () => {
    const shared = { MONGO_URL: testMongoUrl('provisioning-snitch'), QUEUE_PREFIX: testQueuePrefix('provisioning-snitch'), SECRETS_KEYS: SecretBox.generateKey('s1') };
    const ingestConfig = loadWebhookIngestConfig({ ...shared, REDIS_URL: testRedisUrl(), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    ingest = await bootstrapApp(IngestModule.forRoot(ingestConfig), { config: ingestConfig, ...ingestHttpOptions(ingestConfig) });
    const port = ((ingest as NestFastifyApplication).getHttpServer().address() as { port: number }).port;
    h = await startProvisioning('provisioning-snitch', { ...shared, INGEST_PUBLIC_URL: `http://127.0.0.1:${port}` });
    monitoring = new Queue(QueueName.MONITORING, { connection: redisOptionsFromUrl(testRedisUrl()), prefix: shared.QUEUE_PREFIX });
    sim = await SimulatedRouter.start({ pppRedialMs: null });
    routerId = await h.addRouter(sim);
    const { token, hash } = issueWebhookToken(routerId);
    await h.routers.setWebhookToken(routerId, hash, h.box.encrypt(token, 'router.webhookToken', routerId));
    await ingest.get(RouterCacheService).reload();
    const frank = new Types.ObjectId();
    await h.users.create({ _id: frank, username: 'frank', router: new Types.ObjectId(routerId), password: h.box.encrypt('pw', 'subscriber.password', frank), profile: 'default' });
  });

  afterAll(async () => {
    await monitoring?.close();
    await h?.close();
    await ingest?.close();
    await sim?.stop();
  });

  it('missing scripts are installed; PPP up/down then arrive as monitoring jobs', async () => {
    expect(sim.table('/ppp/profile').find((p) => p.name === 'default')!['on-up']).toBe('');
    sim.resetStats();
    await h.run(JobName.RECONCILE_ROUTER, { routerId });
    expect(simWrites(sim)).toBeGreaterThan(0);
    expect(sim.pppConnect('frank')).toBe(true);
    expect(sim.pppDisconnect('frank')).toBe(true);
    await sim.settled();
    expect(sim.webhooks.map((w) => w.status)).toEqual([202, 202]);
    const jobs = await waitFor(async () => {
      const all = await monitoring.getJobs(['waiting', 'delayed', 'active', 'completed', 'prioritized']);
      const mine = all.filter((j) => j.name === JobName.STATUS_EVENT && (j.data as StatusEventJob).routerId === routerId);
      return mine.length >= 2 ? mine : null;
    }, { message: 'two status-event jobs' });
    const events = jobs.map((j) => j.data as StatusEventJob).map((d) => ({ subject: d.subject, event: d.event, source: d.source })).sort((a, b) => a.event.localeCompare(b.event));
    expect(events).toEqual([
      { subject: { kind: 'ppp', username: 'frank' }, event: 'down', source: 'ppp-status' },
      { subject: { kind: 'ppp', username: 'frank' }, event: 'up', source: 'ppp-status' },
    ]);
  });
});
