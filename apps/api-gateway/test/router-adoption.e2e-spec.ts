// The cutover's two router endpoints over HTTP: the drift report and the adoption approval,
// netadmin only, with the syncRouter job the approval hands to provisioning.
import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import { JobName, QueueName } from '@isp/domain';
import { MIKROTIK_ROUTER_MODEL, repositoriesOn, type MikrotikRouter } from '@isp/data';
import { redisOptionsFromUrl } from '@isp/platform';
import { Queue } from 'bullmq';
import type { Connection, Model } from 'mongoose';
import { Types } from 'mongoose';
import { testRedisUrl } from '../../../test/support';
import { startHarness, type Harness } from './gateway-harness';

describe('api-gateway: router drift report and adoption', () => {
  let h: Harness;
  let syncQueue: Queue;
  let onboarded: string;
  let legacy: string;
  const as = (role: keyof Harness['tokens']) => h.tokens[role];

  beforeAll(async () => {
    h = await startHarness('gateway-adoption');
    syncQueue = new Queue(QueueName.SYNC, { connection: redisOptionsFromUrl(testRedisUrl()), prefix: h.config.QUEUE_PREFIX });
    const b = await h.request('POST', '/api/v1/buildings', { token: as('admin'), body: { name: 'Adoption tower', code: 'AD' } });
    const r = await h.request('POST', '/api/v1/routers', { token: as('netadmin'), body: { name: 'core-new', host: '127.0.0.1', apiPort: 1, apiUser: 'api', apiPassword: 'pw', building: b.body.id } });
    onboarded = r.body.id;
    // A router record as the old system left it: no adoption state.
    const old = await h.request('POST', '/api/v1/routers', { token: as('netadmin'), body: { name: 'core-old', host: '127.0.0.2', apiPort: 1, apiUser: 'api', apiPassword: 'pw', building: b.body.id } });
    legacy = old.body.id;
    await h.app.get<Model<MikrotikRouter>>(getModelToken(MIKROTIK_ROUTER_MODEL)).updateOne({ _id: new Types.ObjectId(legacy) }, { $unset: { adoption: 1 } });
  });

  afterAll(async () => {
    await syncQueue?.close();
    await h?.close();
  });

  it('GET /routers/:id/drift: the adoption state, and the latest pass once there is one', async () => {
    const before = await h.request('GET', `/api/v1/routers/${legacy}/drift`, { token: as('netadmin') });
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ id: legacy, name: 'core-old', adoption: 'pending' });
    expect((await h.request('GET', `/api/v1/routers/${onboarded}`, { token: as('support') })).body.adoption).toBe('onboarded');

    const routers = repositoriesOn(h.app.get<Connection>(getConnectionToken())).routers;
    const item = { menu: '/ppp/secret', entry: 'alice', subscriber: 'alice', field: 'remote-address', router: '100.64.9.10', action: 'adopt' as const, why: 'static address kept' };
    await routers.setDrift(legacy, { at: new Date(), mode: 'adoption', applied: false, deployment: 'main', writes: 0, kicked: 0, items: [item], truncated: 0 });
    const after = await h.request('GET', `/api/v1/routers/${legacy}/drift`, { token: as('admin') });
    expect(after.status).toBe(200);
    expect(after.body.report).toMatchObject({ mode: 'adoption', applied: false, writes: 0, items: [item] });
    // The router list stays small: reports are read one router at a time.
    const list = await h.request('GET', '/api/v1/routers', { token: as('support') });
    expect(list.body.items.every((r: { report?: unknown; drift?: unknown }) => r.report === undefined && r.drift === undefined)).toBe(true);
  });

  it('POST /routers/:id/adopt approves a pending adoption once and queues the pass that adopts', async () => {
    const res = await h.request('POST', `/api/v1/routers/${legacy}/adopt`, { token: as('netadmin') });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: legacy, adoption: 'approved', queued: true });
    const jobs = await syncQueue.getJobs(['waiting', 'prioritized', 'delayed', 'active']);
    expect(jobs.some((j) => j.name === JobName.SYNC_ROUTER && j.data.routerId === legacy)).toBe(true);
    const stored = await repositoriesOn(h.app.get<Connection>(getConnectionToken())).routers.findById(legacy);
    expect(stored).toMatchObject({ adoption: 'approved', adoptionApprovedBy: h.emails.netadmin });

    const again = await h.request('POST', `/api/v1/routers/${legacy}/adopt`, { token: as('netadmin') });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/not awaiting adoption \(it is approved\)/);
    expect((await h.request('POST', `/api/v1/routers/${onboarded}/adopt`, { token: as('admin') })).status).toBe(409);
  });

  it('refuses other roles (403), unknown routers (404) and malformed ids (400)', async () => {
    for (const role of ['support', 'technician'] as const) {
      expect((await h.request('GET', `/api/v1/routers/${legacy}/drift`, { token: as(role) })).status).toBe(403);
      expect((await h.request('POST', `/api/v1/routers/${legacy}/adopt`, { token: as(role) })).status).toBe(403);
    }
    expect((await h.request('GET', `/api/v1/routers/${legacy}/drift`)).status).toBe(401);
    const unknown = new Types.ObjectId().toHexString();
    expect((await h.request('GET', `/api/v1/routers/${unknown}/drift`, { token: as('netadmin') })).status).toBe(404);
    expect((await h.request('POST', `/api/v1/routers/${unknown}/adopt`, { token: as('netadmin') })).status).toBe(404);
    const bad = await h.request('POST', '/api/v1/routers/not-an-id/adopt', { token: as('netadmin') });
    expect(bad.status).toBe(400);
  });

  it('documents both operations with every status they answer', async () => {
    const doc = (await h.request('GET', '/api/docs-json', { token: as('admin') })).body;
    expect(Object.keys(doc.paths['/api/v1/routers/{id}/drift'].get.responses).sort()).toEqual(['200', '400', '401', '403', '404', '414']);
    expect(Object.keys(doc.paths['/api/v1/routers/{id}/adopt'].post.responses).sort()).toEqual(['202', '400', '401', '403', '404', '409', '414']);
  });
});
