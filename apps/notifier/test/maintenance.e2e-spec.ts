// Maintenance windows end to end: real outages on the simulated network (DiagnosticsHarness:
// status events -> tree walk over the RouterOS API -> incidents) reach two notifier replicas
// paging through the SMS stand-in; the windows are in MongoDB as the gateway writes them, and
// their end jobs are queued as the gateway queues them (MaintenanceScheduler).
import type { INestApplication } from '@nestjs/common';
import { FINAL_NOTIFICATION_STATUSES, JobName, type IncidentLevel } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { toId, type Incident, type MaintenanceWindow } from '@isp/data';
import { testRedisUrl, waitFor } from '../../../test/support';
import { DiagnosticsHarness } from '../../diagnostics/test/diagnostics-harness';
import { startHarness as startGateway, type Harness as Gateway } from '../../api-gateway/test/gateway-harness';
import { FeedListener, TestHttpGateway, TestSmtpServer, notifierEnv, startNotifier } from './notifier-harness';

const h = new DiagnosticsHarness('maintenance-e2e');
const smtp = new TestSmtpServer();
const gateway = new TestHttpGateway();
const feed = new FeedListener(testRedisUrl(), h.prefix);
const notifiers: INestApplication[] = [];
let api: Gateway;
const TINA = '+15552220001'; // technician of building B1
const TOM = '+15552220002'; // technician of building B2
const subs = (station: string, n: number) => Array.from({ length: n }, (_, j) => `${station}-u${j}`);
const HOUR = 3600_000;

beforeAll(async () => {
  await Promise.all([smtp.start(), gateway.start(), feed.start()]);
  await h.start();
  await h.addRouter('core-1', 'B1');
  for (const [sector, ip, n] of [['sector-a', '10.0.1', 2], ['sector-b', '10.0.2', 1], ['sector-e', '10.0.5', 1]] as const) {
    await h.addDevice('core-1', sector, 'sector', `${ip}.1`);
    for (let i = 0; i < n; i++) {
      await h.addDevice('core-1', `st-${sector}-${i}`, 'station', `${ip}.${10 + i}`, sector);
      await h.addSubscribers('core-1', `st-${sector}-${i}`, subs(`${sector}-${i}`, 2));
    }
  }
  await h.addRouter('core-2', 'B2');
  await h.addDevice('core-2', 'sector-d', 'sector', '10.5.0.1');
  await h.addDevice('core-2', 'st-d0', 'station', '10.5.1.10', 'sector-d');
  await h.addSubscribers('core-2', 'st-d0', subs('d0', 2));
  await h.addDevice('core-2', 'st-d1', 'station', '10.5.1.11', 'sector-d');
  await h.addSubscribers('core-2', 'st-d1', subs('d1', 2));
  await h.repos.contacts.create({ name: 'Tina Tech', level: 2, phone: TINA, buildings: [toId(h.routers.get('core-1')!.buildingId)] });
  await h.repos.contacts.create({ name: 'Tom Tech', level: 2, phone: TOM, buildings: [toId(h.routers.get('core-2')!.buildingId)] });
  await h.repos.contacts.create({ name: 'Ann Admin', level: 3, phone: '+15551110001' });
  await h.startApp();
  const env = notifierEnv({ mongoUrl: h.mongoUrl, redisUrl: testRedisUrl(), queuePrefix: h.prefix, gateway, smtp }, { ESCALATE_AFTER_SEC: '3600' });
  notifiers.push(await startNotifier(env), await startNotifier(env));
  // The gateway on the same database and queue prefix: availability figures.
  api = await startGateway('maintenance-e2e', { MONGO_URL: h.mongoUrl, QUEUE_PREFIX: h.prefix });
}, 120000);

afterAll(async () => {
  await api?.close();
  for (const app of notifiers) await app.close();
  await h.stop();
  await Promise.all([smtp.stop(), gateway.stop(), feed.stop()]);
}, 60000);

const sim = (router: string) => h.routers.get(router)!.sim;
const openFor = (device: string) => h.repos.incidents.findOpenFor({ kind: 'device', id: toId(h.devices.get(device)!.id) });

async function window(target: { kind: MaintenanceWindow['target']['kind']; id: string; name: string }, building: string, startsAt: Date, endsAt: Date): Promise<MaintenanceWindow> {
  const w = await h.repos.maintenance.create({ target: { ...target, id: toId(target.id) }, building: toId(building), startsAt, endsAt, recurrence: 'none', reason: 'antenna swap', createdBy: 'netadmin@isp.test' });
  // What the gateway does with a new window: its end job (see MaintenanceScheduler).
  await notifiers[0].get(JobProducer).add(JobName.MAINTENANCE_ENDED, { windowId: String(w._id), endsAt: endsAt.toISOString() }, { delay: Math.max(0, endsAt.getTime() - Date.now()) });
  return w;
}

/** Takes a device down on the simulator and tells diagnostics about the subscribers behind it, as their routers would. */
async function outage(router: string, ip: string, users: string[]): Promise<void> {
  sim(router).setDeviceUp(ip, false);
  await h.fire(router, users.map((username) => ({ username, event: 'down' as const })));
}
async function recover(router: string, ip: string, users: string[]): Promise<void> {
  sim(router).setDeviceUp(ip, true);
  await h.fire(router, [{ host: ip, event: 'up' }, ...users.map((username) => ({ username, event: 'up' as const }))]);
}

/** The notifier handled the opening: its dashboard record is delivered. */
async function openingHandled(incident: Incident): Promise<void> {
  await waitFor(async () => (await h.repos.notifications.find({ incident: incident._id }, 100)).some((n) => n.kind === 'opened' && n.channel === 'dashboard' && n.status === 'delivered'), {
    timeoutMs: 20000,
    message: 'the notifier handled the opening',
  });
}
/** A subscriber's availability over [from, now] from the gateway, once its downtime logs are closed. */
async function availabilityOf(username: string, from: Date) {
  const id = h.users.get(username)!;
  await waitFor(async () => !(await h.repos.downtime.findOpen(id)), { timeoutMs: 20000, message: `${username} back up` });
  const r = await api.request('GET', `/api/v1/subscribers/${id}/availability?from=${from.toISOString()}&to=${new Date().toISOString()}`, { token: api.tokens.support });
  expect(r.status).toBe(200);
  return r.body as { downtimeSec: number; maintenanceSec: number; availability: number };
}
const pagesFor = async (incident: Incident) => (await h.repos.notifications.find({ incident: incident._id }, 100)).filter((n) => n.channel !== 'dashboard');

describe('maintenance windows', () => {
  it('a sector outage inside a window pages nobody; the incident and the feed say "in maintenance"', async () => {
    const b1 = h.routers.get('core-1')!.buildingId;
    await window({ kind: 'device', id: h.devices.get('sector-a')!.id, name: 'sector-a' }, b1, new Date(Date.now() - 60_000), new Date(Date.now() + HOUR));
    const users = [...subs('sector-a-0', 2), ...subs('sector-a-1', 2)];
    const from = new Date();
    await outage('core-1', '10.0.1.1', users);
    const incident = await waitFor(() => openFor('sector-a'), { timeoutMs: 30000, message: 'sector-a incident' });
    expect(incident.level).toBe(2 as IncidentLevel);
    await openingHandled(incident);
    // Diagnosis ran and recorded as always.
    expect(incident.impactedSubscribers).toBe(4);
    expect(await h.repos.downtime.findOpen(h.users.get('sector-a-0-u0')!)).not.toBeNull();
    expect((await h.repos.incidents.findById(incident._id))?.maintenance?.windowIds).toHaveLength(1);
    const feedItem = await waitFor(() => feed.notifications().find((n) => n.incidentId === String(incident._id)), { message: 'feed notice' });
    expect(feedItem.inMaintenance).toBe(true);

    // Down long enough to show as whole seconds of maintenance in the figures below.
    await waitFor(() => Date.now() > from.getTime() + 2000, { message: 'two seconds into the outage' });
    await recover('core-1', '10.0.1.1', users);
    await waitFor(async () => (await h.repos.incidents.findById(incident._id))?.state === 'resolved', { timeoutMs: 30000, message: 'resolved' });
    await waitFor(async () => (await h.repos.notifications.find({ incident: incident._id }, 100)).some((n) => n.kind === 'resolved'), { message: 'resolve handled' });
    expect(await pagesFor(incident)).toEqual([]);
    expect(gateway.smsTo(TINA)).toEqual([]);
    // The outage was recorded, and all of it fell inside the window: none of it counts against availability.
    const figures = await availabilityOf('sector-a-0-u0', from);
    expect(figures.downtimeSec).toBe(0);
    expect(figures.availability).toBe(1);
    expect(figures.maintenanceSec).toBeGreaterThanOrEqual(1);
  }, 90000);

  it('the same outage lasting past the window end is paged at the end, once', async () => {
    const b1 = h.routers.get('core-1')!.buildingId;
    const from = new Date();
    const endsAt = new Date(Date.now() + 8000);
    await window({ kind: 'device', id: h.devices.get('sector-b')!.id, name: 'sector-b' }, b1, new Date(Date.now() - 1000), endsAt);
    await outage('core-1', '10.0.2.1', subs('sector-b-0', 2));
    const incident = await waitFor(() => openFor('sector-b'), { timeoutMs: 30000, message: 'sector-b incident' });
    await openingHandled(incident);
    expect(Date.now()).toBeLessThan(endsAt.getTime());
    expect(gateway.smsTo(TINA)).toEqual([]);

    const sms = await waitFor(() => gateway.acceptedTo(TINA, 'sector-b')[0], { timeoutMs: 20000, message: 'page at the window end' });
    expect(Date.now()).toBeGreaterThanOrEqual(endsAt.getTime());
    expect(sms.text).toContain('sector-b');
    await waitFor(async () => !(await h.repos.incidents.findById(incident._id))?.maintenance, { message: 'out of maintenance' });
    // The window's end job and the notifier's own follow-up both ran, on two replicas: one page.
    await waitFor(async () => (await h.notifications.getJobs(['completed'])).filter((j) => String(j.id).startsWith('mnt.')).length >= 2, { message: 'both end jobs done' });
    expect(gateway.smsTo(TINA)).toHaveLength(1);
    // The stand-in answered before the record says so: wait for the record.
    const pages = await waitFor(async () => {
      const ns = await pagesFor(incident);
      return ns.every((n) => FINAL_NOTIFICATION_STATUSES.includes(n.status)) ? ns : null;
    }, { message: 'the page recorded as sent' });
    expect(pages.map((n) => `${n.kind}:${n.recipient}:${n.status}`)).toEqual([`opened:${TINA}:sent`]);
    // Down for a while after the window too, so that part shows as downtime whole seconds long.
    await waitFor(() => Date.now() > endsAt.getTime() + 2000, { message: 'two seconds past the window' });
    await recover('core-1', '10.0.2.1', subs('sector-b-0', 2));
    await waitFor(async () => (await h.repos.incidents.findById(incident._id))?.state === 'resolved', { timeoutMs: 30000 });
    // Up to the window's end the outage is maintenance; after it, downtime.
    const figures = await availabilityOf('sector-b-0-u0', from);
    expect(figures.maintenanceSec).toBeGreaterThanOrEqual(3);
    expect(figures.downtimeSec).toBeGreaterThanOrEqual(1);
    expect(figures.availability).toBeLessThan(1);
  }, 90000);

  it('a window on a building covers its sectors and stations', async () => {
    const b2 = h.routers.get('core-2')!.buildingId;
    await window({ kind: 'building', id: b2, name: 'Building B2' }, b2, new Date(Date.now() - 1000), new Date(Date.now() + HOUR));
    await outage('core-2', '10.5.0.1', subs('d1', 2));
    const sector = await waitFor(() => openFor('sector-d'), { timeoutMs: 30000, message: 'sector incident' });
    expect(sector.level).toBe(2 as IncidentLevel);
    await openingHandled(sector);
    expect((await h.repos.incidents.findById(sector._id))?.maintenance).toBeTruthy();
    expect(await pagesFor(sector)).toEqual([]);
    expect(gateway.smsTo(TOM)).toEqual([]);
    // The other station's subscribers were IMPACTED by the sector: their sessions come back too.
    await recover('core-2', '10.5.0.1', [...subs('d1', 2), ...subs('d0', 2)]);
    await waitFor(async () => (await h.repos.incidents.findById(sector._id))?.state === 'resolved', { timeoutMs: 30000 });

    // A station of the building (a station the sector's outage did not probe: no cached answer).
    await outage('core-2', '10.5.1.10', subs('d0', 2));
    const station = await waitFor(() => openFor('st-d0'), { timeoutMs: 30000, message: 'station incident' });
    await openingHandled(station);
    expect((await h.repos.incidents.findById(station._id))?.maintenance).toBeTruthy();
    await recover('core-2', '10.5.1.10', subs('d0', 2));
    await waitFor(async () => (await h.repos.incidents.findById(station._id))?.state === 'resolved', { timeoutMs: 30000 });
  }, 90000);

  it('a window created and ended early through the API: the held page goes out at once', async () => {
    const created = await api.request('POST', '/api/v1/maintenance', {
      token: api.tokens.netadmin,
      body: { targetKind: 'device', targetId: h.devices.get('sector-e')!.id, startsAt: new Date(Date.now() - 1000).toISOString(), endsAt: new Date(Date.now() + HOUR).toISOString(), reason: 'radio firmware' },
    });
    expect(created.status).toBe(201);
    await outage('core-1', '10.0.5.1', subs('sector-e-0', 2));
    const incident = await waitFor(() => openFor('sector-e'), { timeoutMs: 30000, message: 'sector-e incident' });
    await openingHandled(incident);
    expect(gateway.smsTo(TINA, 'sector-e')).toEqual([]);
    // An escalation that comes due inside the window escalates nothing.
    const due = await notifiers[0].get(JobProducer).add(JobName.ESCALATION_CHECK, { incidentId: String(incident._id), toLevel: 3 });
    await waitFor(async () => (await due.isCompleted()) || null, { message: 'escalation check done' });
    expect((await h.notifications.getJob(String(due.id)))?.returnvalue).toBe('skipped: in maintenance');
    expect((await h.repos.incidents.findById(incident._id))?.escalatedLevel).toBe(2);

    const ended = await api.request('POST', `/api/v1/maintenance/${created.body.id}/end`, { token: api.tokens.netadmin });
    expect(ended.status).toBe(200);
    await waitFor(() => gateway.acceptedTo(TINA, 'sector-e')[0], { timeoutMs: 20000, message: 'page once the window is ended' });
    const view = await api.request('GET', `/api/v1/incidents/${String(incident._id)}`, { token: api.tokens.support });
    expect(view.body.inMaintenance).toBe(false);
    expect(gateway.smsTo(TINA, 'sector-e')).toHaveLength(1);
    // Its escalation starts over from this page, as a job of its own.
    const escalations = await h.notifications.getJobs(['delayed']);
    expect(escalations.map((j) => String(j.id)).filter((id) => id.startsWith(`esc.${String(incident._id)}.3.m`))).toHaveLength(1);
  }, 90000);
});
