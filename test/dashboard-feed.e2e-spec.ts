// The dashboard feed carries each change once (issue 13): diagnostics, the notifier and the
// gateway run in-process on one database, one Redis and one queue prefix; status events go into
// the monitoring queue as ingest would put them there, diagnostics probes the simulated router,
// and the feed is read twice: straight off the Redis channel (under QUEUE_PREFIX) and through the
// gateway's SSE endpoint. One subscriber change and one incident change must each give exactly
// one message of their type (docs/decisions.md, "One owner per feed message").
import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import { bootstrapApp } from '@isp/platform';
import { dashboardFeedChannel, JobName, parseFeedMessage, type DashboardFeedMessage } from '@isp/domain';
import { testRedisUrl, unfinishedJobs, waitFor } from './support';
import { DiagnosticsHarness } from '../apps/diagnostics/test/diagnostics-harness';
import { AppModule as NotifierModule } from '../apps/notifier/src/app.module';
import { loadNotifierConfig } from '../apps/notifier/src/config/notifier.config';
import { loadApiGatewayConfig } from '../apps/api-gateway/src/config/api-gateway.config';
import { startGateway } from '../apps/api-gateway/src/gateway';
import { FeedReader } from '../apps/api-gateway/test/full-stack-harness';

const ADMIN_EMAIL = 'feed-admin@isp.test';
const ADMIN_PASSWORD = 'feed admin password 1';
const STATION_IP = '10.9.1.10';

describe('dashboard feed: one message per change', () => {
  const h = new DiagnosticsHarness('dashboard-feed');
  const apps: INestApplication[] = [];
  const onRedis: DashboardFeedMessage[] = [];
  let listener: Redis;
  let publisher: Redis;
  const sse = new FeedReader();
  let markers = 0;

  beforeAll(async () => {
    await h.start();
    await h.addRouter('core-f', 'F1');
    await h.addDevice('core-f', 'sector-f', 'sector', '10.9.0.1');
    await h.addDevice('core-f', 'station-f', 'station', STATION_IP, 'sector-f');
    await h.addDevice('core-f', 'station-g', 'station', '10.9.2.10', 'sector-f');
    await h.addSubscribers('core-f', 'station-f', ['f-u0', 'f-u1', 'f-u2']);
    await h.addSubscribers('core-f', 'station-g', ['g-u0']);
    await h.startApp();

    const shared = { MONGO_URL: h.mongoUrl, REDIS_URL: testRedisUrl(), QUEUE_PREFIX: h.prefix, SECRETS_KEYS: h.key, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
    const notifierConfig = loadNotifierConfig({ ...shared, SMS_PROVIDER: 'none', DELIVERY_BACKOFF_MS: '200' });
    apps.push(await bootstrapApp(NotifierModule.forRoot(notifierConfig), { config: notifierConfig }));
    const gatewayConfig = loadApiGatewayConfig({ ...shared, JWT_SECRET: 'feed-test-secret-feed-test-secret-0123', ADMIN_EMAIL, ADMIN_PASSWORD, BCRYPT_ROUNDS: '4', BULL_BOARD: 'false' });
    const gateway = await startGateway(gatewayConfig);
    apps.push(gateway);
    const baseUrl = `http://127.0.0.1:${(gateway.getHttpServer().address() as { port: number }).port}`;

    listener = new Redis(testRedisUrl());
    listener.on('message', (_channel: string, raw: string) => {
      const m = parseFeedMessage(raw);
      if (m) onRedis.push(m);
    });
    await listener.subscribe(dashboardFeedChannel(h.prefix));
    publisher = new Redis(testRedisUrl());

    const token = await waitFor(
      async () => {
        const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }) });
        return res.status === 200 ? String(((await res.json()) as { accessToken: string }).accessToken) : null;
      },
      { timeoutMs: 10000, message: 'first admin can log in' },
    );
    expect(await sse.open(`${baseUrl}/api/v1/feed`, token)).toBe(200);
    // The gateway's Redis subscription may still be on its way: a marker that reaches the SSE stream proves it is on.
    await settled();
  }, 120000);

  afterAll(async () => {
    await sse.close();
    for (const app of apps.reverse()) await app.close();
    listener?.disconnect();
    publisher?.disconnect();
    await h.stop();
  }, 60000);

  /**
   * Waits until nothing is left to run (monitoring and notification queues), then publishes a
   * marker and waits for it on both readers: pub/sub delivers in publish order, so every message
   * the apps published before going idle has arrived by then, duplicates included.
   */
  async function settled(): Promise<void> {
    await waitFor(async () => (await unfinishedJobs(h.monitoring, ['waiting', 'active', 'prioritized'])) === 0 && (await unfinishedJobs(h.notifications, ['waiting', 'active', 'prioritized'])) === 0, {
      timeoutMs: 20000,
      message: 'queues idle',
    });
    const id = `marker-${++markers}`;
    const marker = JSON.stringify({ type: 'node-state', at: new Date().toISOString(), data: { kind: 'device', id, name: id, state: 'UP' } });
    const isMarker = (m: DashboardFeedMessage) => m.type === 'node-state' && m.data.id === id;
    await waitFor(
      async () => {
        await publisher.publish(dashboardFeedChannel(h.prefix), marker);
        return onRedis.some(isMarker) && sse.events.some((e) => isMarker(e.data));
      },
      { intervalMs: 200, message: `${id} on Redis and on the SSE stream` },
    );
  }

  const fromSse = () => sse.events.map((e) => e.data);

  it('a subscriber whose own session drops: one subscriber-state message, on Redis and on the SSE stream', async () => {
    const userId = h.users.get('g-u0')!;
    await h.fire('core-f', [{ username: 'g-u0', event: 'down' }]);
    await waitFor(async () => (await h.repos.subscribers.findById(userId))?.state === 'DOWN', { message: 'g-u0 DOWN' });
    await waitFor(async () => (await h.notificationJobs(`sub.${userId}.DOWN.`)).length === 1, { message: 'status job queued' });
    await settled();

    for (const messages of [onRedis, fromSse()]) {
      const about = messages.filter((m) => m.type === 'subscriber-state' && m.data.userId === userId);
      expect(about).toEqual([expect.objectContaining({ type: 'subscriber-state', data: { userId, state: 'DOWN' } })]);
    }
    const sent = (await h.notifications.getJobs(['completed'])).filter((j) => j.name === JobName.SUBSCRIBER_STATUS && String(j.id).startsWith(`sub.${userId}.`));
    expect(sent).toHaveLength(1);
  });

  it('a station goes down: one incident message for the opening, and the routed dashboard notification once', async () => {
    h.routers.get('core-f')!.sim.setDeviceUp(STATION_IP, false);
    await h.fire('core-f', ['f-u0', 'f-u1', 'f-u2'].map((username) => ({ username, event: 'down' as const })));
    const incident = await waitFor(() => h.repos.incidents.findOpenFor({ kind: 'device', id: h.devices.get('station-f')!.id as never }), { message: 'station incident' });
    const incidentId = String(incident._id);
    // Level 1: the rules send it to the dashboard only; wait for that delivery before counting.
    await waitFor(async () => (await h.repos.notifications.find({ incident: incident._id })).some((n) => n.channel === 'dashboard' && n.status === 'delivered'), { timeoutMs: 20000, message: 'dashboard notification delivered' });
    await settled();

    for (const messages of [onRedis, fromSse()]) {
      const changes = messages.filter((m) => m.type === 'incident' && m.data.incidentId === incidentId);
      expect(changes).toHaveLength(1);
      expect(changes[0].data).toMatchObject({ change: 'opened', level: 1, rootCause: { kind: 'device', name: 'station-f' }, impactedSubscribers: 3 });
      const notices = messages.filter((m) => m.type === 'notification' && m.data.incidentId === incidentId);
      expect(notices).toHaveLength(1);
      expect(notices[0].data).toMatchObject({ kind: 'opened', priority: 'normal' });
    }
  });
});
