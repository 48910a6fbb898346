// Diagnosis end to end: status events on monitoring-queue -> hold-down -> tree walk probing the
// simulated routers over the RouterOS API -> states, downtime logs, incidents and jobs on
// notification-queue. Events are enqueued as status-event jobs (the ingest path has its own specs).
import { Queue, QueueEvents } from 'bullmq';
import { JobName, QueueName } from '@isp/domain';
import { modelsOn } from '@isp/data';
import { redisOptionsFromUrl, requestLiveCheck } from '@isp/platform';
import { testRedisUrl, unfinishedJobs, waitFor } from '../../../test/support';
import { DiagnosticsHarness } from './diagnostics-harness';

const h = new DiagnosticsHarness('diagnostics-e2e');
const subs = (station: string, n: number) => Array.from({ length: n }, (_, j) => `${station}-u${j}`);

beforeAll(async () => {
  await h.start();
  await h.addRouter('core-1', 'B1');
  await h.addDevice('core-1', 'sector-a', 'sector', '10.0.1.1');
  for (let i = 0; i < 5; i++) {
    await h.addDevice('core-1', `st-a${i}`, 'station', `10.1.1.${10 + i}`, 'sector-a');
    await h.addSubscribers('core-1', `st-a${i}`, subs(`a${i}`, 3));
  }
  await h.addDevice('core-1', 'sector-b', 'sector', '10.0.2.1');
  for (let i = 0; i < 50; i++) {
    await h.addDevice('core-1', `st-b${i}`, 'station', `10.2.${i}.10`, 'sector-b');
    await h.addSubscribers('core-1', `st-b${i}`, subs(`b${i}`, 20));
  }
  await h.addDevice('core-1', 'bh-1', 'backhaul', '10.0.0.1');
  await h.addDevice('core-1', 'bh-2', 'backhaul', '10.0.0.2', 'bh-1');
  await h.addDevice('core-1', 'sector-c', 'sector', '10.0.3.1', 'bh-2');
  for (let i = 0; i < 2; i++) {
    await h.addDevice('core-1', `st-c${i}`, 'station', `10.3.${i}.10`, 'sector-c');
    await h.addSubscribers('core-1', `st-c${i}`, subs(`c${i}`, 3));
  }
  await h.addRouter('core-2', 'B2');
  await h.addDevice('core-2', 'sector-d', 'sector', '10.5.0.1');
  await h.addDevice('core-2', 'st-d0', 'station', '10.5.1.10', 'sector-d');
  await h.addSubscribers('core-2', 'st-d0', subs('d0', 2));
  await h.startApp();
}, 120000);

afterAll(() => h.stop(), 60000);

const user = (name: string) => h.repos.subscribers.findById(h.users.get(name)!);
const device = (name: string) => h.repos.devices.findById(h.devices.get(name)!.id);
const incidentFor = (kind: 'device' | 'router', id: string) => h.repos.incidents.findOpenFor({ kind, id: id as never });
const completedDiagnoses = async () => (await h.monitoring.getJobs(['completed'])).filter((j) => j.name === JobName.DIAGNOSE_ROUTER).length;

describe('diagnostics', () => {
  it('one subscriber drops: DOWN with a self downtime log and a Level 1 status job, no incident; back up closes the log', async () => {
    await h.fire('core-1', [{ username: 'a0-u0', event: 'down' }]);
    const down = await waitFor(async () => ((await user('a0-u0'))?.state === 'DOWN' ? user('a0-u0') : null));
    expect(down.isOnline).toBe(false);
    const log = await h.repos.downtime.findOpen(h.users.get('a0-u0')!);
    expect(log?.cause).toBe('self');
    expect(log?.incident ?? null).toBeNull();
    expect(await h.notificationJobs(`sub.${h.users.get('a0-u0')}.DOWN.`)).toHaveLength(1);
    expect(await h.repos.incidents.count({ state: ['open'] })).toBe(0);

    await h.fire('core-1', [{ username: 'a0-u0', event: 'up' }]);
    await waitFor(async () => (await user('a0-u0'))?.state === 'UP');
    expect(await h.repos.downtime.findOpen(h.users.get('a0-u0')!)).toBeNull();
    const [closed] = await h.repos.downtime.find({ user: h.users.get('a0-u0')! });
    expect(closed.endedAt).toBeTruthy();
    expect(await h.notificationJobs(`sub.${h.users.get('a0-u0')}.UP.`)).toHaveLength(1);
  });

  it('a session back within the hold-down is churn: counted on the user and the sector, no outage', async () => {
    const before = await completedDiagnoses();
    await h.fire('core-1', [{ username: 'a1-u0', event: 'down' }]);
    await h.fire('core-1', [{ username: 'a1-u0', event: 'up' }]);
    await waitFor(async () => (await user('a1-u0'))?.churnCount === 1);
    await waitFor(async () => (await device('sector-a'))?.churnCount === 1);
    await waitFor(async () => (await completedDiagnoses()) > before, { message: 'the held batch ran' });
    expect((await user('a1-u0'))?.state).toBe('UP');
    expect(await h.repos.downtime.findOpen(h.users.get('a1-u0')!)).toBeNull();
    expect(await h.repos.incidents.count({ state: ['open'] })).toBe(0);
  });

  it('a station goes down: its subscribers IMPACTED, one Level 1 incident, one notification job', async () => {
    h.routers.get('core-1')!.sim.setDeviceUp('10.1.1.12', false);
    await h.fire('core-1', subs('a2', 3).map((username) => ({ username, event: 'down' as const })));
    const incident = await waitFor(() => incidentFor('device', h.devices.get('st-a2')!.id), { message: 'station incident' });
    expect(incident).toMatchObject({ level: 1, impactedSubscribers: 3, impactedDevices: 0, impactedStations: 0, buildingName: 'Building B1' });
    expect(incident.path.map((p) => `${p.name}:${p.state}`)).toEqual(['core-1:UP', 'sector-a:UP', 'st-a2:DOWN']);
    await waitFor(async () => (await user('a2-u2'))?.state === 'IMPACTED');
    expect((await device('st-a2'))?.status.state).toBe('DOWN');
    const log = await h.repos.downtime.findOpen(h.users.get('a2-u0')!);
    expect(log).toMatchObject({ cause: 'impacted' });
    expect(String(log!.incident)).toBe(String(incident._id));
    expect(await h.notificationJobs(`inc.${incident._id}.`)).toEqual([`inc.${incident._id}.opened.1`]);
    expect(await h.repos.incidents.count({ state: ['open'] })).toBe(1);
  });

  it('recovery resolves the incident and puts the root UP; subscribers go UP on their own evidence, closing their logs', async () => {
    const incident = (await incidentFor('device', h.devices.get('st-a2')!.id))!;
    h.routers.get('core-1')!.sim.setDeviceUp('10.1.1.12', true);
    await h.fire('core-1', [{ host: '10.1.1.12', event: 'up' }]);
    await waitFor(async () => (await h.repos.incidents.findById(incident._id))?.state === 'resolved');
    expect((await device('st-a2'))?.status.state).toBe('UP');
    // The station's UP is no evidence for its subscribers: they stay out until their sessions are back.
    for (const u of subs('a2', 3)) expect((await user(u))?.state).toBe('IMPACTED');
    for (const u of subs('a2', 3)) expect(await h.repos.downtime.findOpen(h.users.get(u)!)).not.toBeNull();
    await h.fire('core-1', subs('a2', 3).map((username) => ({ username, event: 'up' as const })));
    await waitFor(async () => (await Promise.all(subs('a2', 3).map(user))).every((u) => u?.state === 'UP'), { message: 'subscribers UP on their own events' });
    for (const u of subs('a2', 3)) expect(await h.repos.downtime.findOpen(h.users.get(u)!)).toBeNull();
    expect((await h.notificationJobs(`inc.${incident._id}.`)).sort()).toEqual([`inc.${incident._id}.opened.1`, `inc.${incident._id}.resolved.2`]);
  });

  it('a change written by a replica that died before handing it off is handed off by the next diagnosis', async () => {
    h.routers.get('core-1')!.sim.setDeviceUp('10.1.1.14', false);
    await h.fire('core-1', subs('a4', 3).map((username) => ({ username, event: 'down' as const })));
    const opened = await waitFor(() => incidentFor('device', h.devices.get('st-a4')!.id), { message: 'station incident' });
    await waitFor(async () => (await h.notificationJobs(`inc.${opened._id}.`)).length === 1, { message: 'opened handed off' });
    // What the dead replica left: the change written (revision bumped), its job never queued.
    const written = (await h.repos.incidents.updateOpen(opened._id, { pendingChange: 'grown' }))!;
    expect(written.revision).toBe(2);

    await h.fire('core-1', [{ username: 'a4-u0', event: 'down' }]);
    await waitFor(async () => (await h.notificationJobs(`inc.${opened._id}.`)).includes(`inc.${opened._id}.grown.2`), { message: 'grown handed off' });
    await waitFor(async () => (await h.repos.incidents.findById(opened._id))?.pendingChange === null, { message: 'pending change cleared' });
    expect((await h.notificationJobs(`inc.${opened._id}.`)).sort()).toEqual([`inc.${opened._id}.grown.2`, `inc.${opened._id}.opened.1`]);

    h.routers.get('core-1')!.sim.setDeviceUp('10.1.1.14', true);
    await h.fire('core-1', [{ host: '10.1.1.14', event: 'up' }]);
    await waitFor(async () => (await h.repos.incidents.findById(opened._id))?.state === 'resolved', { message: 'resolved' });
  });

  it('one lost ping on an otherwise healthy parent: no incident', async () => {
    h.prober.loseFirst.add('10.1.1.13');
    await h.fire('core-1', [{ username: 'a3-u0', event: 'down' }]);
    await waitFor(async () => (await user('a3-u0'))?.state === 'DOWN');
    expect(h.prober.loseFirst.has('10.1.1.13')).toBe(false); // the station's first probe was lost
    expect(await incidentFor('device', h.devices.get('st-a3')!.id)).toBeNull();
    expect((await device('st-a3'))?.status.state).not.toBe('DOWN');
    expect(await h.repos.incidents.count({ state: ['open'] })).toBe(0);
  });

  it('a sector with 50 stations and 1,000 subscribers goes down: one Level 2 incident at the sector, all IMPACTED, at most 10 probes', async () => {
    const probesBefore = await h.probesSent();
    h.routers.get('core-1')!.sim.setDeviceUp('10.0.2.1', false);
    const all = Array.from({ length: 50 }, (_, i) => subs(`b${i}`, 20)).flat();
    await h.fire('core-1', all.map((username) => ({ username, event: 'down' as const })));
    const sector = h.devices.get('sector-b')!.id;
    const incident = await waitFor(() => incidentFor('device', sector), { timeoutMs: 30000 });
    expect(incident).toMatchObject({ level: 2, buildingName: 'Building B1', impactedDevices: 0, impactedStations: 50, impactedSubscribers: 1000 });
    const m = modelsOn(h.conn);
    await waitFor(async () => (await m.subscriber.countDocuments({ station: { $in: [...Array(50).keys()].map((i) => h.devices.get(`st-b${i}`)!.id) }, state: 'IMPACTED' })) === 1000, { timeoutMs: 90000 });
    expect(await m.device.countDocuments({ parent: sector, 'status.state': 'IMPACTED' })).toBe(50);
    expect(await m.downtime.countDocuments({ incident: incident._id, endedAt: null })).toBe(1000);
    // Job schedulers' next runs (heartbeat, flap check) are always delayed: only the outage's own work counts.
    await waitFor(async () => (await unfinishedJobs(h.monitoring, ['delayed'])) === 0, { timeoutMs: 20000 });
    expect(await h.repos.incidents.count({ state: ['open'] })).toBe(1);
    expect((await h.probesSent()) - probesBefore).toBeLessThanOrEqual(10);
    expect(await h.notificationJobs(`inc.${incident._id}.`)).toEqual([`inc.${incident._id}.opened.1`]);
  }, 150000);

  it('a chain of two backhauls, the first fails: the root cause is the first backhaul', async () => {
    h.routers.get('core-1')!.sim.setDeviceUp('10.0.0.1', false);
    await h.fire('core-1', [...subs('c0', 3), ...subs('c1', 3)].map((username) => ({ username, event: 'down' as const })));
    const incident = await waitFor(() => incidentFor('device', h.devices.get('bh-1')!.id));
    expect(incident).toMatchObject({ level: 2, impactedDevices: 2, impactedStations: 2, impactedSubscribers: 6 });
    expect(incident.path.map((p) => `${p.name}:${p.state}`)).toEqual(['core-1:UP', 'bh-1:DOWN']);
    expect(await incidentFor('device', h.devices.get('bh-2')!.id)).toBeNull();
    expect(await incidentFor('device', h.devices.get('sector-c')!.id)).toBeNull();
  });

  it('a core router stops answering: the heartbeat opens one Level 3 incident; it answers again: resolved', async () => {
    const core2 = h.routers.get('core-2')!;
    await core2.sim.setRouterDown(true);
    await h.monitoring.add(JobName.HEARTBEAT_TICK, {});
    const incident = await waitFor(() => incidentFor('router', core2.id), { timeoutMs: 20000 });
    expect(incident).toMatchObject({ level: 3, buildingName: 'Building B2', impactedDevices: 1, impactedStations: 1, impactedSubscribers: 2 });
    await waitFor(async () => (await user('d0-u1'))?.state === 'IMPACTED');
    expect(await h.notificationJobs(`inc.${incident._id}.`)).toEqual([`inc.${incident._id}.opened.1`]);

    await core2.sim.setRouterDown(false);
    await waitFor(
      async () => {
        await h.monitoring.add(JobName.HEARTBEAT_TICK, {});
        return (await h.repos.incidents.findById(incident._id))?.state === 'resolved';
      },
      { timeoutMs: 20000, intervalMs: 500 },
    );
    expect((await h.repos.routers.findById(core2.id))?.status?.state).toBe('UP');
    // The router answering is evidence for the router only: what is behind it waits for its own.
    expect((await device('sector-d'))?.status.state).toBe('IMPACTED');
    expect((await user('d0-u1'))?.state).toBe('IMPACTED');
    await h.fire('core-2', [{ host: '10.5.0.1', event: 'up' }, { host: '10.5.1.10', event: 'up' }, ...subs('d0', 2).map((username) => ({ username, event: 'up' as const }))]);
    await waitFor(async () => (await user('d0-u1'))?.state === 'UP');
    await waitFor(async () => (await device('sector-d'))?.status.state === 'UP');
    // provisioning is told to apply what was queued for the router while it was away
    const sync = new Queue(QueueName.SYNC, { connection: redisOptionsFromUrl(testRedisUrl()), prefix: h.prefix });
    try {
      const jobs = await sync.getJobs(['waiting', 'delayed', 'prioritized']);
      expect(jobs.filter((j) => j.name === JobName.SYNC_ROUTER).map((j) => j.data)).toEqual([{ routerId: core2.id }]);
    } finally {
      await sync.close();
    }
  }, 60000);

  it('Live Check returns every hop, and answers in time when a hop hangs', async () => {
    const events = new QueueEvents('live-check', { connection: redisOptionsFromUrl(testRedisUrl()), prefix: h.prefix });
    await events.waitUntilReady();
    try {
      const ok = await requestLiveCheck(h.liveCheck, events, { kind: 'device', id: h.devices.get('st-a0')!.id });
      expect(ok.summary).toBe('core-1 [UP] -> sector-a [UP] -> st-a0 [UP]');
      expect(ok.hops.every((hop) => hop.rttMs !== undefined)).toBe(true);

      h.prober.hang.add('10.1.1.11');
      const hung = await requestLiveCheck(h.liveCheck, events, { kind: 'subscriber', id: h.users.get('a1-u1')! });
      expect(hung.hops.map((x) => x.name)).toEqual(['core-1', 'sector-a', 'st-a1', 'a1-u1']);
      expect(hung.hops[2]).toMatchObject({ state: 'UNKNOWN' });
      expect(hung.hops[1]).toMatchObject({ state: 'UP' });

      await expect(requestLiveCheck(h.liveCheck, events, { kind: 'device', id: '0123456789abcdef01234567' })).rejects.toThrow(/not found/);
    } finally {
      h.prober.hang.clear();
      await events.close();
    }
  });
});
