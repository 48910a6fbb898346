// The system on a real Redis Cluster: three masters from the project's redis-server on loopback
// (started here, torn down at the end), every app (ingest, provisioning, diagnostics, notifier,
// gateway) connected with the seed-list REDIS_URL and a hash-tagged QUEUE_PREFIX. It drives what
// crosses Redis in every way it is used: BullMQ jobs between the apps, the broadcasts (Nest's
// Redis transport: the issued webhook token reaching ingest), the dashboard feed (pub/sub to the
// gateway's SSE stream), and our own keys and scripts (status-event dedupe, diagnosis facts).
// Then a Sentinel in front of a standalone Redis, through the same client helpers.
import { hashSecret, JobName, parseWebhookToken, QueueName, SecretBox } from '@isp/domain';
import { NotificationRepository } from '@isp/data';
import { CommonEnv, createRedisClient, loadConfig, queueOnUrl } from '@isp/platform';
import { randomBytes } from 'node:crypto';
import { startTestRedisCluster, startTestRedisSentinel, waitFor, type TestRedisCluster } from '../support';
import { RouterCacheService } from '../../apps/webhook-ingest/src/routers/router-cache.service';
import { FeedReader, startFullStack, type FullStack } from '../../apps/api-gateway/test/full-stack-harness';

const SECTOR = '10.30.1.1';
const STATION = '10.30.11.1';
const SUBSCRIBERS = ['bob', 'carol'];

describe('on a 3-master Redis Cluster: webhook -> diagnosis -> notification, and a suspension through provisioning', () => {
  let cluster: TestRedisCluster;
  let s: FullStack;
  const prefix = `{t-redis-cluster-${randomBytes(3).toString('hex')}}`;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    cluster = await startTestRedisCluster('redis-cluster');
    s = await startFullStack({
      name: 'redis-cluster',
      redisUrl: cluster.url,
      queuePrefix: prefix,
      // A suspended subscriber's secret is disabled on the router (not only moved to a profile).
      provisioning: { SUSPEND_MODE: 'disable' },
    });
  }, 60000);

  afterAll(async () => {
    await s?.close();
    await cluster?.stop();
  }, 30000);

  const api = (method: string, url: string, body?: unknown) => s.request(method, url, body);
  const status = async (username: string) => (await api('GET', `/api/v1/subscribers/${ids[username]}/status`)).body;
  const secret = (username: string) => s.sim.table('/ppp/secret').find((r) => r.name === username);
  const session = (username: string) => s.sim.table('/ppp/active').find((r) => r.name === username);

  it('runs on the cluster: three masters share the slots, and the deployment keys sit in one slot on one of them', async () => {
    const redis = createRedisClient(cluster.url);
    try {
      const info = await redis.cluster('INFO');
      expect(info).toMatch(/cluster_state:ok/);
      expect(info).toMatch(/cluster_size:3/);
      // BullMQ has written the queues' keys under the tagged prefix: one slot holds them all.
      const slot = await redis.cluster('KEYSLOT', prefix);
      await waitFor(async () => Number(await redis.cluster('COUNTKEYSINSLOT', slot)) > 0, { message: 'queue keys in the prefix slot' });
    } finally {
      redis.disconnect();
    }
  });

  it('network created through the API; the issued token reaches ingest by broadcast; subscribers come online by webhook', async () => {
    s.sim.addDevice({ name: 'sector', type: 'sector', ip: SECTOR });
    s.sim.addDevice({ name: 'station', type: 'station', ip: STATION, parentIp: SECTOR });
    const building = await api('POST', '/api/v1/buildings', { name: 'Torre Cluster', code: 'TC', address: 'Av. Slots 16384' });
    expect(building.status).toBe(201);
    const router = await api('POST', '/api/v1/routers', {
      name: 'core-tn',
      host: s.sim.host,
      apiPort: s.sim.port,
      apiUser: s.sim.user,
      apiPassword: s.sim.password,
      building: building.body.id,
      role: 'core',
      rosVersion: s.sim.version,
    });
    expect(router.status).toBe(201);
    ids.router = router.body.id;
    const sector = await api('POST', '/api/v1/devices', { name: 'sector', deviceType: 'sector', ipAddress: SECTOR, router: ids.router });
    expect(sector.status).toBe(201);
    ids.sector = sector.body.id;
    const station = await api('POST', '/api/v1/devices', { name: 'station', deviceType: 'station', ipAddress: STATION, router: ids.router, parent: ids.sector });
    expect(station.status).toBe(201);
    for (const username of SUBSCRIBERS) {
      const r = await api('POST', '/api/v1/subscribers', { username, password: `pw-${username}`, router: ids.router, station: station.body.id, profile: 'default' });
      expect(r.status).toBe(201);
      ids[username] = r.body.id;
    }

    await s.settle('first router pass done');
    const issued = await api('POST', `/api/v1/routers/${ids.router}/webhook-token`);
    expect(issued.status).toBe(201);
    const token: string = issued.body.token;
    const parsed = parseWebhookToken(token)!;
    // Ingest learns the new token hash from the router-changed broadcast (Nest's Redis transport).
    const cache = s.ingest.get(RouterCacheService);
    await waitFor(() => cache.get(ids.router)?.tokenHash === hashSecret(parsed.secret), { timeoutMs: 10000, message: 'ingest knows the new token' });
    await waitFor(
      () =>
        s.sim.table('/ppp/profile').find((p) => p.name === 'default')?.['on-down']?.includes(token) &&
        [SECTOR, STATION].every((host) => s.sim.table('/tool/netwatch').find((n) => n.host === host)?.['down-script']?.includes(token)),
      { timeoutMs: 20000, message: 'snitch scripts with the issued token on the router' },
    );
    await s.settle('scripts written');

    for (const username of SUBSCRIBERS) s.sim.addSubscriber({ username, password: `pw-${username}`, stationIp: STATION });
    for (const username of SUBSCRIBERS) {
      await waitFor(async () => (await status(username)).isOnline === true, { timeoutMs: 15000, message: `${username} online through the API` });
    }
    expect(s.sim.webhooks.filter((w) => w.url.endsWith('/ppp-status')).every((w) => w.status === 202)).toBe(true);
  }, 60000);

  it('a sector going down: its webhooks are diagnosed into one incident, paged by the notifier and streamed on the feed', async () => {
    const feed = new FeedReader();
    try {
      expect(await feed.open(`${s.baseUrl}/api/v1/feed`, s.token)).toBe(200);
      s.sim.setDeviceUp(SECTOR, false);
      const incident = await waitFor(
        async () => {
          const open = await api('GET', '/api/v1/incidents?state=open');
          return open.body.items?.find((i: { rootCause: { id: string } }) => i.rootCause.id === ids.sector);
        },
        { timeoutMs: 20000, message: 'incident rooted at the sector' },
      );
      expect(incident).toMatchObject({ rootCause: { kind: 'device', name: 'sector' }, impactedSubscribers: 2, state: 'open' });

      // The notification job went diagnostics -> notifier over the cluster: its record is there.
      const notifications = s.notifier.get(NotificationRepository);
      const page = await waitFor(async () => (await notifications.find({ incident: incident.id })).find((n) => n.kind === 'opened' && n.status === 'delivered'), {
        timeoutMs: 15000,
        message: 'the incident paged (notification delivered)',
      });
      expect(page).toMatchObject({ channel: 'dashboard', recipient: 'dashboard-feed' });
      // ... and the dashboard feed (pub/sub on the cluster) carried it to the gateway's SSE stream.
      await waitFor(() => feed.events.find((e) => e.data.type === 'incident' && e.data.data.incidentId === incident.id && e.data.data.change === 'opened'), {
        timeoutMs: 10000,
        message: 'incident on the feed',
      });

      s.sim.setDeviceUp(SECTOR, true);
      await waitFor(async () => (await api('GET', `/api/v1/incidents/${incident.id}`)).body.state === 'resolved', { timeoutMs: 20000, message: 'incident resolved' });
      for (const username of SUBSCRIBERS) {
        await waitFor(async () => (await status(username)).isOnline === true, { timeoutMs: 15000, message: `${username} back online` });
      }
    } finally {
      await feed.close();
    }
  }, 60000);

  it('suspending through the API: provisioning disables the secret on the router and the session is gone', async () => {
    await s.settle();
    expect(session('bob')).toBeDefined();
    const suspended = await api('POST', `/api/v1/subscribers/${ids.bob}/suspend`);
    expect(suspended.status).toBe(202);
    expect(suspended.body.isSuspended).toBe(true);
    // The router is the witness (the sync job went gateway -> provisioning over the cluster). Not
    // the record's sync status: on the local FerretDB the kick's own webhook, diagnosed while
    // provisioning records the applied version, can overwrite that write (standalone Redis too).
    await waitFor(() => secret('bob')?.disabled === 'true', { timeoutMs: 15000, message: "bob's secret disabled on the router" });
    await waitFor(() => session('bob') === undefined, { message: "bob's session kicked" });
    expect(secret('carol')).toMatchObject({ disabled: 'false' });
    expect(session('carol')).toBeDefined();
  }, 45000);
});

describe('on Sentinel: the same helpers reach the master Sentinel names', () => {
  let sentinel: { url: string; stop(): Promise<void> };

  beforeAll(async () => {
    sentinel = await startTestRedisSentinel('redis-cluster');
  }, 30000);

  afterAll(async () => {
    await sentinel?.stop();
  });

  it('the validated config takes the URL; a client, a BullMQ queue and pub/sub work through it', async () => {
    const config = loadConfig(CommonEnv, { REDIS_URL: sentinel.url, SECRETS_KEYS: SecretBox.generateKey('s1') });
    const redis = createRedisClient(config.REDIS_URL);
    const listener = createRedisClient(config.REDIS_URL);
    const queue = queueOnUrl(config.REDIS_URL, QueueName.SYNC, config.QUEUE_PREFIX);
    try {
      expect(await redis.set(`${config.QUEUE_PREFIX}:probe`, 'via-sentinel')).toBe('OK');
      expect(await redis.get(`${config.QUEUE_PREFIX}:probe`)).toBe('via-sentinel');
      await queue.add(JobName.SYNC_ROUTER, { routerId: 'r1' });
      expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
      const heard: string[] = [];
      listener.on('message', (_channel: string, message: string) => heard.push(message));
      await listener.subscribe(`${config.QUEUE_PREFIX}:ping`);
      await redis.publish(`${config.QUEUE_PREFIX}:ping`, 'pong');
      await waitFor(() => heard.includes('pong'), { timeoutMs: 5000, message: 'message through the master' });
    } finally {
      await queue.close();
      redis.disconnect();
      listener.disconnect();
    }
  });
});
