// The admin API end to end over HTTP: topology through the API, desired state handed to
// provisioning, status answered from the database with no router connection, incidents,
// availability, topology tree, Live Check through the live-check queue, the SSE feed, OpenAPI
// and Bull Board behind the admin role.
import { getConnectionToken } from '@nestjs/mongoose';
import {
  Broadcast,
  broadcastChannel,
  dashboardFeedChannel,
  hashSecret,
  JobName,
  parseWebhookToken,
  QueueName,
  SecretBox,
  type LiveCheckJob,
  type LiveCheckResult,
} from '@isp/domain';
import { redisOptionsFromUrl } from '@isp/platform';
import { repositoriesOn } from '@isp/data';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import { createServer, type Server } from 'node:net';
import { request as httpRequest } from 'node:http';
import { testRedisUrl, waitFor } from '../../../test/support';
import { startHarness, type Harness } from './gateway-harness';

/** A TCP listener standing in for the router's API port: counts every connection attempt. */
async function countingRouterPort(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server: Server = createServer((s) => {
    n++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, connections: () => n, close: () => new Promise((r) => server.close(() => r())) };
}

describe('api-gateway e2e', () => {
  let h: Harness;
  let router: Awaited<ReturnType<typeof countingRouterPort>>;
  let syncQueue: Queue;
  let notificationQueue: Queue;
  let broadcasts: Redis;
  const heard: { channel: string; message: string }[] = [];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    router = await countingRouterPort();
    h = await startHarness('gateway-e2e', { LIVE_CHECK_TIMEOUT_MS: '1500', FEED_HEARTBEAT_MS: '1000' });
    const connection = redisOptionsFromUrl(testRedisUrl());
    syncQueue = new Queue(QueueName.SYNC, { connection, prefix: h.config.QUEUE_PREFIX });
    notificationQueue = new Queue(QueueName.NOTIFICATION, { connection, prefix: h.config.QUEUE_PREFIX });
    broadcasts = new Redis(testRedisUrl());
    broadcasts.on('message', (channel: string, message: string) => heard.push({ channel, message }));
    // Broadcast channels carry the deployment's prefix (another deployment on this Redis does not hear them).
    await broadcasts.subscribe(broadcastChannel(h.config.QUEUE_PREFIX, Broadcast.TOPOLOGY_CHANGED), broadcastChannel(h.config.QUEUE_PREFIX, Broadcast.ROUTER_CHANGED));
  });

  afterAll(async () => {
    await broadcasts?.quit();
    await syncQueue?.close();
    await notificationQueue?.close();
    await h?.close();
    await router?.close();
  });

  const as = (role: keyof Harness['tokens']) => h.tokens[role];

  it('logs in, refuses wrong passwords and rate-limits login', async () => {
    const me = await h.request('GET', '/api/v1/auth/me', { token: as('support') });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: h.emails.support, role: 'support' });
    expect(me.body.passwordHash).toBeUndefined();
    const wrong = await h.request('POST', '/api/v1/auth/login', { body: { email: h.emails.netadmin, password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Wrong e-mail or password' });
    const statuses: number[] = [];
    for (let i = 0; i < h.config.LOGIN_RATE_LIMIT + 1; i++) {
      statuses.push((await h.request('POST', '/api/v1/auth/login', { body: { email: 'victim@example.net', password: `guess-${i}` } })).status);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, h.config.LOGIN_RATE_LIMIT).every((s) => s === 401)).toBe(true);
  });

  it('creates a building, a router (password write-only) and devices through the API', async () => {
    const b = await h.request('POST', '/api/v1/buildings', { token: as('netadmin'), body: { name: 'Torre Norte', code: 'tn', address: 'Av. 1' } });
    expect(b.status).toBe(201);
    ids.building = b.body.id;
    expect((await h.request('POST', '/api/v1/buildings', { token: as('netadmin'), body: { name: 'torre  norte', code: 'TN2' } })).status).toBe(409);
    const other = await h.request('POST', '/api/v1/buildings', { token: as('netadmin'), body: { name: 'Torre Sur', code: 'TS' } });
    ids.otherBuilding = other.body.id;

    const r = await h.request('POST', '/api/v1/routers', {
      token: as('netadmin'),
      body: { name: 'core-tn', host: '127.0.0.1', apiPort: router.port, apiUser: 'api', apiPassword: 's3cret-router', building: ids.building, role: 'core' },
    });
    expect(r.status).toBe(201);
    ids.router = r.body.id;
    expect(JSON.stringify(r.body)).not.toContain('s3cret-router');
    expect(r.body.apiPassword).toBeUndefined();
    const stored = await repositoriesOn(h.app.get<Connection>(getConnectionToken())).routers.findById(ids.router);
    expect(stored!.apiPassword).toMatch(/^enc2:/);
    // Encrypted bound to this router: it decrypts for its own id only.
    expect(new SecretBox(h.config.SECRETS_KEYS).decrypt(stored!.apiPassword, 'router.apiPassword', ids.router)).toBe('s3cret-router');
    const got = await h.request('GET', `/api/v1/routers/${ids.router}`, { token: as('support') });
    expect(got.body.apiPassword).toBeUndefined();
    expect(got.body.webhookTokenHash).toBeUndefined();
    const badPem = await h.request('PATCH', `/api/v1/routers/${ids.router}`, { token: as('netadmin'), body: { tls: true, tlsCertificate: 'not a certificate' } });
    expect(badPem.status).toBe(400);
    expect(JSON.stringify(badPem.body.message)).toContain('tlsCertificate must be one PEM certificate');

    const sector = await h.request('POST', '/api/v1/devices', { token: as('netadmin'), body: { name: 'sector-1', deviceType: 'sector', ipAddress: '10.10.0.2', router: ids.router } });
    expect(sector.status).toBe(201);
    expect(sector.body.building).toBe(ids.building);
    ids.sector = sector.body.id;
    const station = await h.request('POST', '/api/v1/devices', {
      token: as('netadmin'),
      body: { name: 'station-1', deviceType: 'station', ipAddress: '10.10.0.3', router: ids.router, parent: ids.sector, macAddress: 'aa:bb:cc:00:11:22' },
    });
    expect(station.status).toBe(201);
    ids.station = station.body.id;
    await waitFor(() => heard.some((m) => m.channel === broadcastChannel(h.config.QUEUE_PREFIX, Broadcast.TOPOLOGY_CHANGED) && m.message.includes('device.created')), { message: 'topology.changed broadcast' });
  });

  it('refuses device cycles and cross-building parents (422), and scopes technicians to their buildings', async () => {
    const cycle = await h.request('PATCH', `/api/v1/devices/${ids.sector}`, { token: as('netadmin'), body: { parent: ids.station } });
    expect(cycle.status).toBe(422);
    expect(cycle.body.message).toMatch(/cycle/);
    const self = await h.request('PATCH', `/api/v1/devices/${ids.sector}`, { token: as('netadmin'), body: { parent: ids.sector } });
    expect(self.status).toBe(422);
    const cross = await h.request('POST', '/api/v1/devices', {
      token: as('netadmin'),
      body: { name: 'elsewhere', deviceType: 'station', ipAddress: '10.10.0.9', router: ids.router, parent: ids.sector, building: ids.otherBuilding },
    });
    expect(cross.status).toBe(422);
    expect(cross.body.message).toMatch(/another building/);
    const dup = await h.request('POST', '/api/v1/devices', { token: as('netadmin'), body: { name: 'sector-1', deviceType: 'sector', ipAddress: '10.10.0.5', router: ids.router } });
    expect(dup.status).toBe(409);

    // The technician has no buildings assigned: refused; once assigned, allowed (the same token).
    const refused = await h.request('PATCH', `/api/v1/devices/${ids.station}`, { token: as('technician'), body: { macAddress: 'AA:BB:CC:00:11:23' } });
    expect(refused.status).toBe(403);
    const techUser = await h.request('GET', '/api/v1/users?limit=100', { token: as('admin') });
    const tech = techUser.body.items.find((u: { email: string }) => u.email === h.emails.technician);
    expect((await h.request('PATCH', `/api/v1/users/${tech.id}`, { token: as('admin'), body: { buildings: [ids.building] } })).status).toBe(200);
    // null is "not given" (found by the OpenAPI fuzz: it was a 500), and the buildings stay.
    const unchanged = await h.request('PATCH', `/api/v1/users/${tech.id}`, { token: as('admin'), body: { buildings: null, name: null } });
    expect(unchanged.status).toBe(200);
    expect(unchanged.body.buildings).toEqual([ids.building]);
    const allowed = await h.request('PATCH', `/api/v1/devices/${ids.station}`, { token: as('technician'), body: { macAddress: 'AA:BB:CC:00:11:23' } });
    expect(allowed.status).toBe(200);
  });

  it('a user demoted, given a new password, deactivated or deleted loses access at once, not when the token expires', async () => {
    const email = 'leaving.tech@example.net';
    const created = await h.request('POST', '/api/v1/users', { token: as('admin'), body: { email, password: 'first-password-1', role: 'technician', buildings: [ids.building] } });
    expect(created.status).toBe(201);
    const user = `/api/v1/users/${created.body.id}`;
    const login = async (password: string) => (await h.request('POST', '/api/v1/auth/login', { body: { email, password } })).body.accessToken as string;
    const editStation = (token: string) => h.request('PATCH', `/api/v1/devices/${ids.station}`, { token, body: { name: 'station-1' } });

    const first = await login('first-password-1');
    expect((await editStation(first)).status).toBe(200);
    // Demoted: the same token now carries support rights only.
    expect((await h.request('PATCH', user, { token: as('admin'), body: { role: 'support' } })).status).toBe(200);
    const demoted = await editStation(first);
    expect(demoted.status).toBe(403);
    expect(demoted.body.message).toBe('Requires role technician or higher');
    expect((await h.request('GET', '/api/v1/auth/me', { token: first })).body.role).toBe('support');

    // A new password ends the sessions opened with the old one.
    expect((await h.request('PATCH', user, { token: as('admin'), body: { password: 'second-password-2' } })).status).toBe(200);
    const ended = await h.request('GET', '/api/v1/auth/me', { token: first });
    expect(ended.status).toBe(401);
    expect(ended.body.message).toBe('This session has ended; log in again');
    const second = await login('second-password-2');
    expect((await h.request('GET', '/api/v1/auth/me', { token: second })).status).toBe(200);

    // Deactivated: refused at once, and reactivating does not revive the old token.
    expect((await h.request('PATCH', user, { token: as('admin'), body: { active: false } })).status).toBe(200);
    const disabled = await h.request('GET', '/api/v1/auth/me', { token: second });
    expect(disabled.status).toBe(401);
    expect(disabled.body.message).toBe('This account is disabled or no longer exists');
    expect(await login('second-password-2')).toBeUndefined();
    expect((await h.request('PATCH', user, { token: as('admin'), body: { active: true } })).status).toBe(200);
    expect((await h.request('GET', '/api/v1/auth/me', { token: second })).status).toBe(401);
    const third = await login('second-password-2');
    expect((await h.request('GET', '/api/v1/auth/me', { token: third })).status).toBe(200);

    // Deleted: refused.
    expect((await h.request('DELETE', user, { token: as('admin') })).status).toBe(204);
    const gone = await h.request('GET', '/api/v1/auth/me', { token: third });
    expect(gone.status).toBe(401);
    expect(gone.body.message).toBe('This account is disabled or no longer exists');
  });

  it('issues a webhook token once and stores only its hash', async () => {
    const t = await h.request('POST', `/api/v1/routers/${ids.router}/webhook-token`, { token: as('admin') });
    expect(t.status).toBe(201);
    const parsed = parseWebhookToken(t.body.token)!;
    expect(parsed.routerId).toBe(ids.router);
    const stored = await repositoriesOn(h.app.get<Connection>(getConnectionToken())).routers.findById(ids.router);
    expect(stored!.webhookTokenHash).toBe(hashSecret(parsed.secret));
    expect((await h.request('POST', `/api/v1/routers/${ids.router}/webhook-token`, { token: as('netadmin') })).status).toBe(403);
    await waitFor(() => heard.some((m) => m.channel === broadcastChannel(h.config.QUEUE_PREFIX, Broadcast.ROUTER_CHANGED) && m.message.includes('"token"')), { message: 'router.changed token broadcast' });
  });

  it('creates a subscriber and hands suspension to provisioning (syncUser job, desiredVersion bumped)', async () => {
    const s = await h.request('POST', '/api/v1/subscribers', {
      token: as('netadmin'),
      body: { username: 'juan.perez', password: 'pppoe-pass', router: ids.router, station: ids.station, profile: '10mb' },
    });
    expect(s.status).toBe(201);
    ids.subscriber = s.body.id;
    expect(s.body.building).toBe(ids.building);
    expect(s.body.password).toBeUndefined();
    expect(s.body.hasPassword).toBe(true);
    expect((await h.request('POST', '/api/v1/subscribers', { token: as('netadmin'), body: { username: 'juan.perez', router: ids.router } })).status).toBe(409);

    const before = s.body.sync.desiredVersion;
    const suspended = await h.request('POST', `/api/v1/subscribers/${ids.subscriber}/suspend`, { token: as('netadmin') });
    expect(suspended.status).toBe(202);
    expect(suspended.body.isSuspended).toBe(true);
    expect(suspended.body.sync).toMatchObject({ desiredVersion: before + 1, syncStatus: 'pending', inSync: false });
    const job = await waitFor(async () => (await syncQueue.getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed'])).find((j) => j.name === JobName.SYNC_USER && j.data.userId === ids.subscriber));
    expect(job.data).toEqual({ userId: ids.subscriber });

    const plan = await h.request('PUT', `/api/v1/subscribers/${ids.subscriber}/desired-state`, { token: as('netadmin'), body: { profile: '20mb', rateLimit: '10M/20M' } });
    expect(plan.status).toBe(202);
    expect(plan.body).toMatchObject({ profile: '20mb', rateLimit: '10M/20M' });
    expect((await h.request('PUT', `/api/v1/subscribers/${ids.subscriber}/desired-state`, { token: as('netadmin'), body: {} })).status).toBe(422);
    const sync = await h.request('GET', `/api/v1/subscribers/${ids.subscriber}/sync`, { token: as('support') });
    expect(sync.body).toMatchObject({ desiredVersion: before + 2, syncStatus: 'pending' });
    expect((await h.request('POST', `/api/v1/subscribers/${ids.subscriber}/suspend`, { token: as('technician') })).status).toBe(403);
  });

  it('answers status from the database (current downtime and its cause) without touching the router', async () => {
    const conn = h.app.get<Connection>(getConnectionToken());
    const repos = repositoriesOn(conn);
    const before = router.connections();
    const online = await h.request('GET', `/api/v1/subscribers/${ids.subscriber}/status`, { token: as('support') });
    expect(online.status).toBe(200);
    expect(online.body).toMatchObject({ isOnline: false, currentDowntime: null, source: 'database' });

    const user = await repos.subscribers.findById(ids.subscriber);
    const { incident } = await repos.incidents.openOrGet({
      rootCause: { kind: 'device', id: user!.station!, name: 'sector-1', type: 'sector' },
      building: user!.building!,
      buildingName: 'Torre Norte',
      level: 2,
      openedAt: new Date(Date.now() - 60_000),
      impactedDevices: 1,
      impactedSubscribers: 1,
      path: [],
    });
    ids.incident = String(incident._id);
    await repos.subscribers.update(ids.subscriber, { state: 'IMPACTED', stateSince: new Date(Date.now() - 60_000), isOnline: false });
    await repos.downtime.open({ user: user!._id, router: user!.router, station: user!.station, building: user!.building, startedAt: new Date(Date.now() - 60_000), cause: 'impacted', incident: incident._id });
    const down = await h.request('GET', `/api/v1/subscribers/${ids.subscriber}/status`, { token: as('support') });
    expect(down.body).toMatchObject({
      isOnline: false,
      state: 'IMPACTED',
      currentDowntime: { cause: 'impacted', incidentId: ids.incident, rootCause: { kind: 'device', name: 'sector-1' }, incidentLevel: 2, incidentState: 'open' },
    });
    expect(new Date(down.body.since).getTime()).toBeLessThan(Date.now());
    expect((await h.request('GET', `/api/v1/subscribers/000000000000000000000000/status`, { token: as('support') })).status).toBe(404);
    // Flapping (diagnostics' flap detection) shows on the status while it lasts.
    expect(online.body.flapping).toBe(false);
    const flappingSince = new Date(Date.now() - 30_000);
    await repos.subscribers.setFlapping(ids.subscriber, flappingSince);
    const flapping = await h.request('GET', `/api/v1/subscribers/${ids.subscriber}/status`, { token: as('support') });
    expect(flapping.body).toMatchObject({ flapping: true, flappingSince: flappingSince.toISOString() });
    await repos.subscribers.setFlapping(ids.subscriber, null);
    const stable = await h.request('GET', `/api/v1/subscribers/${ids.subscriber}/status`, { token: as('support') });
    expect(stable.body.flapping).toBe(false);
    expect(stable.body.flappingSince).toBeUndefined();
    expect(router.connections()).toBe(before);
    expect(router.connections()).toBe(0);
  });

  it('lists, filters, acknowledges and resolves incidents', async () => {
    const list = await h.request('GET', `/api/v1/incidents?building=${ids.building}&level=2&state=open`, { token: as('support') });
    expect(list.body.total).toBe(1);
    expect((await h.request('GET', `/api/v1/incidents?level=3`, { token: as('support') })).body.total).toBe(0);
    expect((await h.request('POST', `/api/v1/incidents/${ids.incident}/acknowledge`, { token: as('support') })).status).toBe(403);
    for (const note of ['x'.repeat(501), 42, 'bell\u0007']) {
      const bad = await h.request('POST', `/api/v1/incidents/${ids.incident}/acknowledge`, { token: as('technician'), body: { note } });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/^note /);
    }
    const ack = await h.request('POST', `/api/v1/incidents/${ids.incident}/acknowledge`, { token: as('technician'), body: { note: ' crew on the way,\nETA 40 min ' } });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ state: 'acknowledged', acknowledgedBy: h.emails.technician, acknowledgeNote: 'crew on the way,\nETA 40 min' });
    expect((await h.request('GET', `/api/v1/incidents/${ids.incident}`, { token: as('support') })).body.acknowledgeNote).toBe('crew on the way,\nETA 40 min');
    expect((await h.request('POST', `/api/v1/incidents/${ids.incident}/acknowledge`, { token: as('technician') })).status).toBe(409);
    expect((await h.request('POST', `/api/v1/incidents/${ids.incident}/resolve`, { token: as('technician') })).status).toBe(403);
    const resolved = await h.request('POST', `/api/v1/incidents/${ids.incident}/resolve`, { token: as('netadmin') });
    expect(resolved.body.state).toBe('resolved');
    await waitFor(async () => (await notificationQueue.getJobs(['waiting', 'delayed', 'prioritized'])).find((j) => j.name === JobName.INCIDENT_CHANGED && j.data.incidentId === ids.incident));
    expect((await h.request('GET', `/api/v1/incidents?state=active`, { token: as('support') })).body.total).toBe(0);
  });

  it('reports downtime logs and availability per subscriber and per building', async () => {
    const repos = repositoriesOn(h.app.get<Connection>(getConnectionToken()));
    const user = await repos.subscribers.findById(ids.subscriber);
    const from = new Date(Date.now() - 3600_000);
    await repos.downtime.close(ids.subscriber, new Date(Date.now() - 30_000)); // ~30 s down
    const logs = await h.request('GET', `/api/v1/downtime-logs?user=${ids.subscriber}`, { token: as('support') });
    expect(logs.body.items).toHaveLength(1);
    expect(logs.body.items[0]).toMatchObject({ cause: 'impacted', open: false, building: ids.building });
    const a = await h.request('GET', `/api/v1/subscribers/${ids.subscriber}/availability?from=${from.toISOString()}`, { token: as('support') });
    expect(a.status).toBe(200);
    expect(a.body.downtimeSec).toBeGreaterThanOrEqual(29);
    expect(a.body.downtimeSec).toBeLessThanOrEqual(31);
    expect(a.body.availability).toBeGreaterThan(0.98);
    expect(a.body.availability).toBeLessThan(1);
    const b = await h.request('GET', `/api/v1/buildings/${ids.building}/availability?from=${from.toISOString()}`, { token: as('support') });
    expect(b.body).toMatchObject({ subscribers: 1, affectedSubscribers: 1 });
    expect(user).toBeTruthy();
    const bad = await h.request('GET', `/api/v1/buildings/${ids.building}/availability?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`, { token: as('support') });
    expect(bad.status).toBe(400);
  });

  it("shows a building's topology tree with live states", async () => {
    const repos = repositoriesOn(h.app.get<Connection>(getConnectionToken()));
    await repos.devices.setStatus([ids.sector], { state: 'DOWN', since: new Date() });
    const t = await h.request('GET', `/api/v1/buildings/${ids.building}/topology`, { token: as('support') });
    expect(t.status).toBe(200);
    expect(t.body.roots).toHaveLength(1);
    const core = t.body.roots[0];
    expect(core).toMatchObject({ kind: 'router', name: 'core-tn' });
    expect(core.children[0]).toMatchObject({ name: 'sector-1', state: 'DOWN' });
    expect(core.children[0].children[0]).toMatchObject({ name: 'station-1', subscribers: { total: 1, suspended: 1 } });
  });

  it('Live Check waits on the live-check queue and returns every hop; 504 when diagnostics does not answer', async () => {
    const worker = new Worker<LiveCheckJob, LiveCheckResult>(
      QueueName.LIVE_CHECK,
      async (job) => ({
        target: job.data.target,
        hops: [
          { kind: 'router', id: ids.router, name: 'core-tn', state: 'UP', rttMs: 1 },
          { kind: 'device', id: ids.sector, name: 'sector-1', state: 'UP', rttMs: 2 },
          { kind: 'device', id: ids.station, name: 'station-1', state: 'DOWN' },
        ],
        summary: 'core-tn [UP] -> sector-1 [UP] -> station-1 [DOWN]',
        checkedAt: new Date().toISOString(),
        durationMs: 3,
      }),
      { connection: redisOptionsFromUrl(testRedisUrl()), prefix: h.config.QUEUE_PREFIX },
    );
    try {
      const res = await h.request('POST', '/api/v1/live-check', { token: as('support'), body: { kind: 'subscriber', id: ids.subscriber } });
      expect(res.status).toBe(200);
      expect(res.body.hops.map((x: { state: string }) => x.state)).toEqual(['UP', 'UP', 'DOWN']);
      expect(res.body.summary).toContain('->');
    } finally {
      await worker.close();
    }
    const timeout = await h.request('POST', '/api/v1/live-check', { token: as('support'), body: { kind: 'device', id: ids.station } });
    expect(timeout.status).toBe(504);
    expect((await h.request('POST', '/api/v1/live-check', { token: as('support'), body: { kind: 'router', id: '000000000000000000000000' } })).status).toBe(404);
  });

  it('streams the dashboard feed as server-sent events, opened with a single-use ticket (never a token in the URL)', async () => {
    expect((await h.request('POST', '/api/v1/feed/ticket')).status).toBe(401);
    const issued = await h.request('POST', '/api/v1/feed/ticket', { token: as('support') });
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ ticket: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/), expiresIn: 30 });
    const url = new URL(`${h.baseUrl}/api/v1/feed?ticket=${issued.body.ticket}`);
    let received = '';
    const req = httpRequest(url, { headers: { accept: 'text/event-stream' } });
    const statusCode = await new Promise<number>((resolve, reject) => {
      req.on('response', (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (received += chunk));
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    try {
      expect(statusCode).toBe(200);
      const pub = new Redis(testRedisUrl());
      try {
        // The gateway's subscriber may still be connecting: publish until the event arrives.
        await waitFor(
          async () => {
            await pub.publish(dashboardFeedChannel(h.config.QUEUE_PREFIX), JSON.stringify({ type: 'incident', at: new Date().toISOString(), data: { incidentId: 'x1', change: 'opened' } }));
            return received.includes('event: incident') && received.includes('"incidentId":"x1"');
          },
          { intervalMs: 100, message: 'feed event' },
        );
      } finally {
        await pub.quit();
      }
    } finally {
      req.destroy();
    }
    const denied = await h.request('GET', '/api/v1/feed');
    expect(denied.status).toBe(401);
    // Used once: the same ticket opens nothing; nor does a made-up one, nor a JWT in the URL.
    const reused = await h.request('GET', `/api/v1/feed?ticket=${issued.body.ticket}`);
    expect(reused.status).toBe(401);
    expect(reused.body.message).toMatch(/ticket/);
    expect((await h.request('GET', `/api/v1/feed?ticket=${'x'.repeat(43)}`)).status).toBe(401);
    expect((await h.request('GET', `/api/v1/feed?access_token=${encodeURIComponent(as('support'))}`)).status).toBe(401);
  });

  it('the feed of a user deactivated while watching ends at the next keep-alive', async () => {
    const email = 'night.shift@example.net';
    const created = await h.request('POST', '/api/v1/users', { token: as('admin'), body: { email, password: 'night-shift-pass', role: 'support' } });
    expect(created.status).toBe(201);
    const token = (await h.request('POST', '/api/v1/auth/login', { body: { email, password: 'night-shift-pass' } })).body.accessToken as string;
    let ended = false;
    let pings = 0;
    const req = httpRequest(new URL(`${h.baseUrl}/api/v1/feed`), { headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` } });
    const statusCode = await new Promise<number>((resolve, reject) => {
      req.on('response', (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (pings += chunk.split('event: ping').length - 1));
        res.on('end', () => (ended = true));
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    try {
      expect(statusCode).toBe(200);
      await waitFor(() => pings >= 1, { message: 'a keep-alive while the user is active' });
      expect(ended).toBe(false);
      expect((await h.request('PATCH', `/api/v1/users/${created.body.id}`, { token: as('admin'), body: { active: false } })).status).toBe(200);
      await waitFor(() => ended, { timeoutMs: 5000, message: 'feed closed after deactivation' });
    } finally {
      req.destroy();
    }
  });

  it('serves the OpenAPI document with the routes, DTOs and the bearer scheme', async () => {
    const doc = await h.request('GET', '/api/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.paths['/api/v1/subscribers/{id}/status'].get).toBeDefined();
    expect(doc.body.paths['/api/v1/live-check'].post).toBeDefined();
    expect(doc.body.paths['/api/v1/live-check/{kind}/{id}/stream'].get.description).toMatch(/`hop`/);
    expect(doc.body.paths['/api/v1/subscribers'].get.parameters.find((p: { name: string }) => p.name === 'q')?.description).toMatch(/MAC/);
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.body.components.schemas.CreateRouterDto.required).toEqual(expect.arrayContaining(['name', 'host', 'apiUser', 'apiPassword', 'building']));
    // List routes describe their page, so the dashboard's generated client is typed.
    for (const [path, item] of [['/api/v1/devices', 'DeviceViewDto'], ['/api/v1/incidents', 'IncidentViewDto'], ['/api/v1/subscribers', 'SubscriberViewDto'], ['/api/v1/users', 'AdminUserViewDto']]) {
      const page = doc.body.paths[path].get.responses['200'].content['application/json'].schema;
      expect(page.properties.items.items.$ref).toBe(`#/components/schemas/${item}`);
      expect(doc.body.components.schemas[item].properties.id).toBeDefined();
    }
    const ui = await h.request('GET', '/api/docs');
    expect(ui.status).toBe(200);
  });

  it('serves the operator console build at / (hashed assets cached, the page with a CSP); other paths stay the API 404s', async () => {
    const page = await h.request('GET', '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['cache-control']).toBe('no-cache');
    const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(String(page.body))?.[1];
    expect(script).toBeDefined();
    const js = await h.request('GET', script!);
    expect(js.status).toBe(200);
    expect(js.headers['cache-control']).toContain('immutable');
    for (const path of ['/api/v1/no-such-route', '/buildings/123', '/assets/missing.js']) {
      const res = await h.request('GET', path, { token: as('admin') });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404 });
    }
  });

  it('puts Bull Board and queue counts behind the admin role', async () => {
    expect((await h.request('GET', '/api/admin/queues')).status).toBe(401);
    expect((await h.request('GET', '/api/admin/queues', { token: as('netadmin') })).status).toBe(403);
    const board = await h.request('GET', '/api/admin/queues', { token: as('admin') });
    expect(board.status).toBe(200);
    expect(String(board.body)).toContain('<');
    const counts = await h.request('GET', '/api/v1/admin/queues', { token: as('admin') });
    expect(counts.body.items.map((q: { name: string }) => q.name)).toEqual(expect.arrayContaining([QueueName.SYNC, QueueName.LIVE_CHECK]));
    const failed = await h.request('GET', `/api/v1/admin/queues/${encodeURIComponent(QueueName.SYNC)}/failed`, { token: as('admin') });
    expect(failed.status).toBe(200);
  });
});
