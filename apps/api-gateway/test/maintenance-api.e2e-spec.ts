// /api/v1/maintenance over HTTP: validation (400 naming the field), roles and building scope,
// and the window's end job on notification-queue following every edit (the notifier's side is
// apps/notifier/test/maintenance.e2e-spec.ts).
import { Types } from 'mongoose';
import { JobName, QueueName } from '@isp/domain';
import { IncidentRepository, SubscriberRepository, type Id } from '@isp/data';
import { JobProducer, maintenanceEndedJobId } from '@isp/platform';
import type { Job } from 'bullmq';
import { startHarness, type Harness } from './gateway-harness';

describe('maintenance windows API', () => {
  let h: Harness;
  const ids: Record<string, string> = {};
  const as = (role: keyof Harness['tokens']) => h.tokens[role];
  const HOUR = 3600_000;
  const iso = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();
  const endJob = (windowId: string, endsAt: string | Date): Promise<Job | undefined> => h.app.get(JobProducer).queue(QueueName.NOTIFICATION).getJob(maintenanceEndedJobId(windowId, endsAt));

  beforeAll(async () => {
    h = await startHarness('maintenance-api');
    for (const [key, name, code] of [['b1', 'Torre Norte', 'TN'], ['b2', 'Torre Sur', 'TS']]) {
      const b = await h.request('POST', '/api/v1/buildings', { token: as('netadmin'), body: { name, code } });
      expect(b.status).toBe(201);
      ids[key] = b.body.id;
    }
    // The technician works in Torre Norte only.
    const users = await h.request('GET', '/api/v1/users?limit=100', { token: as('admin') });
    const tech = users.body.items.find((u: { email: string }) => u.email === h.emails.technician);
    expect((await h.request('PATCH', `/api/v1/users/${tech.id}`, { token: as('admin'), body: { buildings: [ids.b1] } })).status).toBe(200);
    const sub = await h.app.get(SubscriberRepository, { strict: false }).create({ username: 'alice', router: new Types.ObjectId() as unknown as Id, building: new Types.ObjectId(ids.b2) as unknown as Id });
    ids.subscriber = String(sub._id);
  });
  afterAll(() => h?.close());

  const body = (over: Record<string, unknown> = {}) => ({ targetKind: 'building', targetId: ids.b1, startsAt: iso(-60_000), endsAt: iso(HOUR), reason: 'antenna swap', ...over });

  it('refuses bad input with a 400 naming the field, and an unknown target with a 404', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ targetKind: 'tower' }, 'targetKind'],
      [{ targetId: 'nope' }, 'targetId'],
      [{ startsAt: 'yesterday' }, 'startsAt'],
      [{ endsAt: iso(-2 * HOUR) }, 'endsAt'],
      [{ reason: '' }, 'reason'],
      [{ reason: 'x'.repeat(301) }, 'reason'],
      [{ reason: 'swap\u0007' }, 'reason'],
      [{ recurrence: 'daily' }, 'recurrence'],
      [{ recurrence: 'weekly', endsAt: iso(8 * 24 * HOUR) }, 'less than a week'],
    ];
    for (const [over, field] of cases) {
      const r = await h.request('POST', '/api/v1/maintenance', { token: as('netadmin'), body: body(over) });
      expect({ over, status: r.status }).toEqual({ over, status: 400 });
      expect(JSON.stringify(r.body)).toContain(field);
    }
    expect((await h.request('POST', '/api/v1/maintenance', { token: as('netadmin'), body: body({ targetKind: 'device', targetId: new Types.ObjectId().toHexString() }) })).status).toBe(404);
  });

  it('technicians write windows in their buildings only; support reads; netadmins write anywhere', async () => {
    expect((await h.request('POST', '/api/v1/maintenance', { token: as('support'), body: body() })).status).toBe(403);
    expect((await h.request('POST', '/api/v1/maintenance', { token: as('technician'), body: body({ targetId: ids.b2 }) })).status).toBe(403);
    // A subscriber's window is scoped by the subscriber's building.
    expect((await h.request('POST', '/api/v1/maintenance', { token: as('technician'), body: body({ targetKind: 'subscriber', targetId: ids.subscriber }) })).status).toBe(403);
    const mine = await h.request('POST', '/api/v1/maintenance', { token: as('technician'), body: body() });
    expect(mine.status).toBe(201);
    expect(mine.body).toMatchObject({ target: { kind: 'building', id: ids.b1, name: 'Torre Norte' }, building: ids.b1, active: true, recurrence: 'none', createdBy: h.emails.technician });
    ids.w1 = mine.body.id;
    const other = await h.request('POST', '/api/v1/maintenance', { token: as('netadmin'), body: body({ targetKind: 'subscriber', targetId: ids.subscriber, startsAt: iso(2 * HOUR), endsAt: iso(3 * HOUR) }) });
    expect(other.status).toBe(201);
    expect(other.body).toMatchObject({ target: { kind: 'subscriber', name: 'alice' }, building: ids.b2, active: false });
    ids.w2 = other.body.id;
    expect((await h.request('PATCH', `/api/v1/maintenance/${ids.w2}`, { token: as('technician'), body: { reason: 'mine now' } })).status).toBe(403);
    expect((await h.request('POST', `/api/v1/maintenance/${ids.w2}/end`, { token: as('technician') })).status).toBe(403);
    expect((await h.request('DELETE', `/api/v1/maintenance/${ids.w2}`, { token: as('technician') })).status).toBe(403);
    expect((await h.request('GET', `/api/v1/maintenance/${ids.w2}`, { token: as('support') })).status).toBe(200);
  });

  it('lists active and upcoming windows, each state on its own', async () => {
    const list = async (q = '') => ((await h.request('GET', `/api/v1/maintenance${q}`, { token: as('support') })).body.items as { id: string }[]).map((w) => w.id).sort();
    expect(await list()).toEqual([ids.w1, ids.w2].sort());
    expect(await list('?state=active')).toEqual([ids.w1]);
    expect(await list('?state=upcoming')).toEqual([ids.w2]);
    expect(await list(`?building=${ids.b2}`)).toEqual([ids.w2]);
    expect((await h.request('GET', '/api/v1/maintenance?state=past', { token: as('support') })).status).toBe(400);
  });

  it('keeps one end job at the window end: moved by an edit, brought forward by ending early', async () => {
    const w = (await h.request('GET', `/api/v1/maintenance/${ids.w1}`, { token: as('support') })).body;
    const first = await endJob(ids.w1, w.endsAt);
    expect(first?.name).toBe(JobName.MAINTENANCE_ENDED);
    expect(await first!.isDelayed()).toBe(true);

    const later = iso(2 * HOUR);
    const moved = await h.request('PATCH', `/api/v1/maintenance/${ids.w1}`, { token: as('technician'), body: { endsAt: later, reason: 'antenna swap, both faces' } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ reason: 'antenna swap, both faces', endsAt: later });
    expect(await endJob(ids.w1, w.endsAt)).toBeUndefined();
    expect(await (await endJob(ids.w1, later))!.isDelayed()).toBe(true);
    expect((await h.request('PATCH', `/api/v1/maintenance/${ids.w1}`, { token: as('technician'), body: { endsAt: iso(-2 * HOUR) } })).status).toBe(400);

    const ended = await h.request('POST', `/api/v1/maintenance/${ids.w1}/end`, { token: as('technician') });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ active: false, endedBy: h.emails.technician });
    expect(ended.body.occurrence).toBeUndefined();
    expect(await endJob(ids.w1, later)).toBeUndefined();
    const now = await endJob(ids.w1, ended.body.endedAt);
    expect(now).toBeDefined();
    expect(await now!.isDelayed()).toBe(false);
    expect((await h.request('POST', `/api/v1/maintenance/${ids.w1}/end`, { token: as('technician') })).status).toBe(409);
    expect((await h.request('PATCH', `/api/v1/maintenance/${ids.w1}`, { token: as('technician'), body: { reason: 'again' } })).status).toBe(409);
    const all = (await h.request('GET', '/api/v1/maintenance?state=all', { token: as('support') })).body.items.map((x: { id: string }) => x.id);
    expect(all).toContain(ids.w1);
    expect((await h.request('GET', '/api/v1/maintenance', { token: as('support') })).body.items.map((x: { id: string }) => x.id)).not.toContain(ids.w1);

    expect((await h.request('DELETE', `/api/v1/maintenance/${ids.w2}`, { token: as('netadmin') })).status).toBe(204);
    expect((await h.request('GET', `/api/v1/maintenance/${ids.w2}`, { token: as('support') })).status).toBe(404);
  });

  it('an incident held back by a window says so', async () => {
    const incidents = h.app.get(IncidentRepository, { strict: false });
    const { incident } = await incidents.openOrGet({ rootCause: { kind: 'device', id: new Types.ObjectId(), name: 'sector-a', type: 'sector' }, building: new Types.ObjectId(ids.b1), level: 2, openedAt: new Date(), impactedDevices: 0, impactedSubscribers: 3, path: [] });
    const before = await h.request('GET', `/api/v1/incidents/${String(incident._id)}`, { token: as('support') });
    expect(before.body.inMaintenance).toBe(false);
    await incidents.markMaintenance(incident._id, { since: new Date(), windowIds: [new Types.ObjectId(ids.w1)], until: new Date(Date.now() + HOUR) });
    const held = await h.request('GET', `/api/v1/incidents/${String(incident._id)}`, { token: as('support') });
    expect(held.body).toMatchObject({ inMaintenance: true, maintenance: { windowIds: [ids.w1] } });
  });
});
