// The system end to end, driven only through the gateway's HTTP API, with every app running
// (ingest, provisioning, diagnostics, notifier, gateway) against a simulated RouterOS router:
// the network is created through the API, provisioning installs the snitch scripts on the
// simulator, and the simulator's PPP and Netwatch events reach the running ingest over HTTP.
import { hashSecret, parseWebhookToken } from '@isp/domain';
import { waitFor } from '../../../test/support';
import { RouterCacheService } from '../../webhook-ingest/src/routers/router-cache.service';
import { FeedReader, startFullStack, type FullStack } from './full-stack-harness';

const SECTOR_A = '10.20.1.1';
const STATION_A1 = '10.20.11.1';
const SECTOR_B = '10.20.2.1';
const STATION_B1 = '10.20.21.1';
const STATION_B2 = '10.20.21.2';
// Added later, then moved, then deleted.
const SECTOR_C = '10.20.3.1';
const SECTOR_C_MOVED = '10.20.3.2';
const SUBSCRIBERS = [
  { username: 'alice', station: 'station-a1', stationIp: STATION_A1 },
  { username: 'bob', station: 'station-b1', stationIp: STATION_B1 },
  { username: 'carol', station: 'station-b1', stationIp: STATION_B1 },
  { username: 'dave', station: 'station-b2', stationIp: STATION_B2 },
];
const BEHIND_SECTOR_B = ['bob', 'carol', 'dave'];

/** A PPP snitch POST as the simulator sent it (JSON on v7, form-encoded on v6). */
function pppEvent(body: string): { user?: string; event?: string } | undefined {
  try {
    return JSON.parse(body) as { user?: string; event?: string };
  } catch {
    const form = new URLSearchParams(body);
    return { user: form.get('user') ?? undefined, event: form.get('event') ?? form.get('status') ?? undefined };
  }
}

describe('full stack over HTTP: gateway + ingest + provisioning + diagnostics + notifier + simulated router', () => {
  let s: FullStack;
  const ids: Record<string, string> = {};
  let webhookToken = '';

  beforeAll(async () => {
    s = await startFullStack({ name: 'full-stack' });
  }, 60000);

  afterAll(async () => {
    await s?.close();
  }, 30000);

  const api = (method: string, url: string, body?: unknown) => s.request(method, url, body);
  const status = async (username: string) => (await api('GET', `/api/v1/subscribers/${ids[username]}/status`)).body;
  const sync = async (username: string) => (await api('GET', `/api/v1/subscribers/${ids[username]}/sync`)).body;
  const secret = (username: string) => s.sim.table('/ppp/secret').find((r) => r.name === username);
  const session = (username: string) => s.sim.table('/ppp/active').find((r) => r.name === username);
  const inSuspendedList = (address: string) => s.sim.table('/ip/firewall/address-list').some((e) => e.list === 'suspended' && e.address === address);
  const webhooksFor = (username: string, event: 'up' | 'down') => s.sim.webhooks.filter((w) => w.url.endsWith('/ppp-status') && pppEvent(w.body)?.user === username && pppEvent(w.body)?.event === event);

  it('creates the building, router, devices and subscribers through the API; provisioning wires the router to ingest', async () => {
    // The physical network the simulator answers pings for.
    s.sim.addDevice({ name: 'sector-a', type: 'sector', ip: SECTOR_A });
    s.sim.addDevice({ name: 'station-a1', type: 'station', ip: STATION_A1, parentIp: SECTOR_A });
    s.sim.addDevice({ name: 'sector-b', type: 'sector', ip: SECTOR_B });
    s.sim.addDevice({ name: 'station-b1', type: 'station', ip: STATION_B1, parentIp: SECTOR_B });
    s.sim.addDevice({ name: 'station-b2', type: 'station', ip: STATION_B2, parentIp: SECTOR_B });

    const building = await api('POST', '/api/v1/buildings', { name: 'Torre Norte', code: 'TN', address: 'Av. Libertad 100' });
    expect(building.status).toBe(201);
    ids.building = building.body.id;

    const router = await api('POST', '/api/v1/routers', {
      name: 'core-tn',
      host: s.sim.host,
      apiPort: s.sim.port,
      apiUser: s.sim.user,
      apiPassword: s.sim.password,
      building: ids.building,
      role: 'core',
      rosVersion: s.sim.version,
    });
    expect(router.status).toBe(201);
    expect(JSON.stringify(router.body)).not.toContain(s.sim.password);
    ids.router = router.body.id;

    const device = async (name: string, deviceType: string, ipAddress: string, parent?: string) => {
      const r = await api('POST', '/api/v1/devices', { name, deviceType, ipAddress, router: ids.router, ...(parent && { parent: ids[parent] }) });
      expect(r.status).toBe(201);
      expect(r.body.building).toBe(ids.building);
      ids[name] = r.body.id;
    };
    await device('sector-a', 'sector', SECTOR_A);
    await device('station-a1', 'station', STATION_A1, 'sector-a');
    await device('sector-b', 'sector', SECTOR_B);
    await device('station-b1', 'station', STATION_B1, 'sector-b');
    await device('station-b2', 'station', STATION_B2, 'sector-b');

    for (const sub of SUBSCRIBERS) {
      const r = await api('POST', '/api/v1/subscribers', { username: sub.username, password: `pw-${sub.username}`, router: ids.router, station: ids[sub.station], profile: 'default' });
      expect(r.status).toBe(201);
      expect(r.body.building).toBe(ids.building);
      ids[sub.username] = r.body.id;
    }

    // The webhook token (admin, shown once): ingest keeps its hash, provisioning writes the
    // scripts carrying it (PPP profiles, one Netwatch entry per device) in a full router pass.
    await s.settle('first router pass done');
    const issued = await api('POST', `/api/v1/routers/${ids.router}/webhook-token`);
    expect(issued.status).toBe(201);
    webhookToken = issued.body.token;
    const parsed = parseWebhookToken(webhookToken)!;
    expect(parsed.routerId).toBe(ids.router);
    const cache = s.ingest.get(RouterCacheService);
    await waitFor(() => cache.get(ids.router)?.tokenHash === hashSecret(parsed.secret), { timeoutMs: 10000, message: 'ingest knows the new token' });
    await waitFor(
      () => {
        const profiles = s.sim.table('/ppp/profile');
        const netwatch = s.sim.table('/tool/netwatch');
        return (
          ['default', 'suspended'].every((name) => profiles.find((p) => p.name === name)?.['on-down']?.includes(webhookToken)) &&
          [SECTOR_A, STATION_A1, SECTOR_B, STATION_B1, STATION_B2].every((host) => netwatch.find((n) => n.host === host)?.['down-script']?.includes(webhookToken))
        );
      },
      { timeoutMs: 20000, message: 'snitch scripts with the issued token on the router' },
    );
    for (const sub of SUBSCRIBERS) {
      await waitFor(async () => (await sync(sub.username)).inSync === true, { timeoutMs: 20000, message: `${sub.username} synced` });
      expect(secret(sub.username)).toMatchObject({ profile: 'default', disabled: 'false' });
    }

    // The CPEs dial in: on-up scripts post to ingest, diagnostics marks the subscribers online.
    for (const sub of SUBSCRIBERS) s.sim.addSubscriber({ username: sub.username, password: `pw-${sub.username}`, stationIp: sub.stationIp });
    for (const sub of SUBSCRIBERS) {
      await waitFor(async () => (await status(sub.username)).isOnline === true, { timeoutMs: 15000, message: `${sub.username} online through the API` });
    }
    expect(s.sim.webhooks.filter((w) => w.url.endsWith('/ppp-status')).every((w) => w.status === 202)).toBe(true);
    expect(webhooksFor('alice', 'up')).toHaveLength(1);
  }, 60000);

  it('suspending through the API lands on the router (suspended profile, address list, session kicked); unsuspending reverses it', async () => {
    await s.settle();
    const before = session('alice')!;
    expect(before).toBeDefined();

    const suspended = await api('POST', `/api/v1/subscribers/${ids.alice}/suspend`);
    expect(suspended.status).toBe(202);
    expect(suspended.body.isSuspended).toBe(true);
    await waitFor(async () => {
      const st = await sync('alice');
      return st.syncStatus === 'synced' && st.inSync === true && st.appliedVersion === st.desiredVersion;
    }, { timeoutMs: 15000, message: 'suspension synced' });
    expect(secret('alice')!.profile).toBe('suspended');
    // The old session was kicked (its on-down reached ingest); the redial runs on the suspended
    // profile, whose address-list puts the subscriber's address in the "suspended" list.
    await waitFor(() => webhooksFor('alice', 'down').length === 1, { message: 'on-down of the kicked session' });
    const redialed = await waitFor(() => {
      const now = session('alice');
      return now && now['.id'] !== before['.id'] ? now : null;
    }, { message: 'alice redialed' });
    await waitFor(() => inSuspendedList(redialed.address), { message: 'address in the suspended list' });
    // The redial's on-up is diagnosed before the next write to alice's record.
    await s.settle('redial diagnosed');
    expect(await status('alice')).toMatchObject({ isSuspended: true, isOnline: true, syncStatus: 'synced' });

    const unsuspended = await api('POST', `/api/v1/subscribers/${ids.alice}/unsuspend`);
    expect(unsuspended.status).toBe(202);
    expect(unsuspended.body.isSuspended).toBe(false);
    await waitFor(async () => {
      const st = await sync('alice');
      return st.syncStatus === 'synced' && st.inSync === true && st.desiredVersion > suspended.body.sync.desiredVersion;
    }, { timeoutMs: 15000, message: 'unsuspension synced' });
    expect(secret('alice')!.profile).toBe('default');
    const back = await waitFor(() => {
      const now = session('alice');
      return now && now['.id'] !== redialed['.id'] ? now : null;
    }, { message: 'alice redialed on her own profile' });
    expect(inSuspendedList(back.address)).toBe(false);
    expect(s.sim.table('/ip/firewall/address-list').filter((e) => e.list === 'suspended')).toEqual([]);
    await s.settle('redial diagnosed');
    expect(await status('alice')).toMatchObject({ isSuspended: false, isOnline: true, state: 'UP', currentDowntime: null });
  }, 45000);

  it('Live Check through the gateway returns every hop, probed by diagnostics through the router', async () => {
    const res = await api('POST', '/api/v1/live-check', { kind: 'subscriber', id: ids.alice });
    expect(res.status).toBe(200);
    expect(res.body.hops.map((h: { kind: string; name: string }) => `${h.kind}:${h.name}`)).toEqual(['router:core-tn', 'device:sector-a', 'device:station-a1', 'subscriber:alice']);
    expect(res.body.summary).toBe('core-tn [UP] -> sector-a [UP] -> station-a1 [UP] -> alice [UP]');
    expect(res.body.hops.slice(1, 3).every((h: { rttMs?: number }) => typeof h.rttMs === 'number')).toBe(true);
    expect(s.sim.stats.commandsByPath['/ping']).toBeGreaterThanOrEqual(2);
  });

  it('status is answered from the database: a burst of status calls sends nothing to the router', async () => {
    // Nothing else may be talking to the router while counting: wait for every queue to drain.
    await s.settle();
    const commands = s.sim.stats.commands;
    const connections = s.sim.stats.connectionsAccepted;
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => api('GET', `/api/v1/subscribers/${ids[SUBSCRIBERS[i % SUBSCRIBERS.length].username]}/status`)));
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));
    expect(results.every((r) => r.body.source === 'database' && r.body.isOnline === true && r.body.currentDowntime === null)).toBe(true);
    expect(s.sim.stats.commands).toBe(commands);
    expect(s.sim.stats.connectionsAccepted).toBe(connections);
  });

  it('a sector goes down: exactly one Level 2 incident rooted at it on the API and the feed; back up: resolved', async () => {
    const feed = new FeedReader();
    try {
      expect(await feed.open(`${s.baseUrl}/api/v1/feed`, s.token)).toBe(200);
      const incidentEvent = (change: string) =>
        feed.events.find((e) => e.data.type === 'incident' && e.data.data.change === change && e.data.data.rootCause.id === ids['sector-b']);

      // The sector fails: the sessions behind it drop (on-down) and Netwatch sees the devices go (down-script).
      s.sim.setDeviceUp(SECTOR_B, false);
      await waitFor(() => BEHIND_SECTOR_B.every((u) => webhooksFor(u, 'down').length >= 1), { message: 'on-down webhooks of the subscribers behind the sector' });
      for (const u of BEHIND_SECTOR_B) {
        await waitFor(async () => (await status(u)).state === 'IMPACTED', { timeoutMs: 15000, message: `${u} IMPACTED` });
      }
      await s.settle('diagnosis finished');

      const open = await api('GET', '/api/v1/incidents?state=open');
      expect(open.status).toBe(200);
      expect(open.body.total).toBe(1);
      const [incident] = open.body.items;
      expect(incident).toMatchObject({
        rootCause: { kind: 'device', id: ids['sector-b'], name: 'sector-b', type: 'sector' },
        level: 2,
        building: ids.building,
        buildingName: 'Torre Norte',
        impactedDevices: 0,
        impactedStations: 2,
        impactedSubscribers: 3,
        state: 'open',
      });
      const dave = await status('dave');
      expect(dave.currentDowntime).toMatchObject({ cause: 'impacted', incidentId: incident.id, rootCause: { name: 'sector-b' }, incidentLevel: 2 });
      expect((await status('alice')).isOnline).toBe(true);

      const opened = await waitFor(() => incidentEvent('opened'), { timeoutMs: 10000, message: 'incident on the feed' });
      expect(opened.data.data).toMatchObject({ incidentId: incident.id, level: 2, buildingName: 'Torre Norte' });

      const check = await api('POST', '/api/v1/live-check', { kind: 'subscriber', id: ids.dave });
      expect(check.body.summary).toBe('core-tn [UP] -> sector-b [DOWN] -> station-b2 [IMPACTED] -> dave [IMPACTED]');

      // The sector comes back: Netwatch up-scripts and the redialed sessions' on-up fire.
      s.sim.setDeviceUp(SECTOR_B, true);
      await waitFor(async () => (await api('GET', `/api/v1/incidents/${incident.id}`)).body.state === 'resolved', { timeoutMs: 15000, message: 'incident resolved' });
      for (const u of BEHIND_SECTOR_B) {
        await waitFor(async () => {
          const st = await status(u);
          return st.isOnline === true && st.currentDowntime === null;
        }, { timeoutMs: 15000, message: `${u} back online` });
      }
      await waitFor(() => incidentEvent('resolved'), { timeoutMs: 10000, message: 'resolution on the feed' });
      expect((await api('GET', '/api/v1/incidents?state=open')).body.total).toBe(0);
      expect(feed.events.filter((e) => e.data.type === 'incident' && e.data.data.incidentId === incident.id && e.data.data.change === 'opened')).toHaveLength(1);
    } finally {
      await feed.close();
    }
  }, 60000);
  it('a device added later is watched at once, not at the next reconcile pass; its entry follows an address change and goes with the device', async () => {
    await s.settle();
    const watched = (host: string) => s.sim.table('/tool/netwatch').find((n) => n.host === host);
    s.sim.addDevice({ name: 'sector-c', type: 'sector', ip: SECTOR_C });
    s.sim.addDevice({ name: 'sector-c-new', type: 'sector', ip: SECTOR_C_MOVED });
    const created = await api('POST', '/api/v1/devices', { name: 'sector-c', deviceType: 'sector', ipAddress: SECTOR_C, router: ids.router });
    expect(created.status).toBe(201);
    await waitFor(() => watched(SECTOR_C)?.['down-script']?.includes(webhookToken), { timeoutMs: 15000, message: 'Netwatch entry for the new sector' });

    expect((await api('PATCH', `/api/v1/devices/${created.body.id}`, { ipAddress: SECTOR_C_MOVED })).status).toBe(200);
    await waitFor(() => watched(SECTOR_C_MOVED) !== undefined && watched(SECTOR_C) === undefined, { timeoutMs: 15000, message: 'Netwatch entry moved to the new address' });

    expect((await api('DELETE', `/api/v1/devices/${created.body.id}`)).status).toBe(204);
    await waitFor(() => watched(SECTOR_C_MOVED) === undefined, { timeoutMs: 15000, message: 'Netwatch entry removed with the device' });
    expect(s.sim.table('/tool/netwatch')).toHaveLength(5);
  });
  it('a subscriber deleted through the API loses their PPP secret on the router at once, not at the next reconcile pass', async () => {
    const created = await api('POST', '/api/v1/subscribers', { username: 'erin', password: 'pw-erin', router: ids.router, station: ids['station-a1'], profile: 'default' });
    expect(created.status).toBe(201);
    await waitFor(() => secret('erin') !== undefined, { timeoutMs: 15000, message: 'erin on the router' });
    await s.settle();
    expect((await api('DELETE', `/api/v1/subscribers/${created.body.id}`)).status).toBe(204);
    await waitFor(() => secret('erin') === undefined, { timeoutMs: 15000, message: "erin's secret removed" });
    expect(secret('alice')).toBeDefined();
  });
});
