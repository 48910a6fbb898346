import { Queue } from 'bullmq';
import { JobName, QueueName } from '@isp/domain';
import { redisOptionsFromUrl } from '@isp/platform';
import { testRedisUrl, waitFor } from '../../../test/support';
import { startHarness, type Harness } from './gateway-harness';

/** Plans CRUD and moving/renaming a subscriber through the API (provisioning is not running: jobs are checked). */
describe('api-gateway: plans, move and rename', () => {
  let h: Harness;
  let syncQueue: Queue;
  const ids: Record<string, string> = {};
  const as = (role: keyof Harness['tokens']) => h.tokens[role];
  const job = (name: string, match: (data: Record<string, unknown>) => boolean) =>
    waitFor(async () => (await syncQueue.getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed'])).find((j) => j.name === name && match(j.data)), { message: `${name} job` });

  beforeAll(async () => {
    h = await startHarness('gateway-plans-move');
    syncQueue = new Queue(QueueName.SYNC, { connection: redisOptionsFromUrl(testRedisUrl()), prefix: h.config.QUEUE_PREFIX });
    const token = as('admin');
    const b = await h.request('POST', '/api/v1/buildings', { token, body: { name: 'Plan tower', code: 'PT' } });
    for (const name of ['core-pa', 'core-pb']) {
      const r = await h.request('POST', '/api/v1/routers', { token, body: { name, host: '127.0.0.1', apiPort: 1, apiUser: 'api', apiPassword: 'pw', building: b.body.id } });
      ids[name] = r.body.id;
    }
  });

  afterAll(async () => {
    await syncQueue?.close();
    await h?.close();
  });

  it('plans: netadmins write, support reads; bad fields answer 4xx naming the field', async () => {
    const body = { name: 'home-30', download: '30M', upload: '6M', addressList: 'plan-home' };
    expect((await h.request('POST', '/api/v1/plans', { token: as('technician'), body })).status).toBe(403);
    const created = await h.request('POST', '/api/v1/plans', { token: as('netadmin'), body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...body, version: 1, scheduled: null });
    ids.plan = created.body.id;
    expect((await h.request('POST', '/api/v1/plans', { token: as('netadmin'), body })).status).toBe(409);
    const bad = await h.request('POST', '/api/v1/plans', { token: as('netadmin'), body: { ...body, name: 'x', download: 'fast' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/download/);
    const lonely = await h.request('POST', '/api/v1/plans', { token: as('netadmin'), body: { ...body, name: 'y', burstDownload: '50M' } });
    expect(lonely.status).toBe(422);
    expect(lonely.body.message).toMatch(/burstUpload/);
    expect((await h.request('PATCH', `/api/v1/plans/${ids.plan}`, { token: as('netadmin'), body: { priority: 9 } })).body.message).toMatch(/priority/);
    const list = await h.request('GET', '/api/v1/plans', { token: as('support') });
    expect(list.body.items.map((p: { name: string }) => p.name)).toEqual(['home-30']);
  });

  it('a plan change applies now (applyPlan job) or waits for effectiveAt (a delayed applyPlan job)', async () => {
    const now = await h.request('PATCH', `/api/v1/plans/${ids.plan}`, { token: as('netadmin'), body: { download: '40M', burstDownload: '60M', burstUpload: '8M' } });
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({ download: '40M', version: 2 });
    await job(JobName.APPLY_PLAN, (d) => d.planId === ids.plan && d.scheduledAt === undefined);

    const at = new Date(Date.now() + 3_600_000).toISOString();
    const later = await h.request('PATCH', `/api/v1/plans/${ids.plan}`, { token: as('netadmin'), body: { download: '50M', burstDownload: null, burstUpload: null, effectiveAt: at } });
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({ download: '40M', burstDownload: '60M', version: 2, scheduled: { at, changes: { download: '50M', burstDownload: null, burstUpload: null } } });
    const delayed = await job(JobName.APPLY_PLAN, (d) => d.scheduledAt === at);
    expect(await delayed.getState()).toBe('delayed');
    expect((await h.request('PATCH', `/api/v1/plans/${ids.plan}`, { token: as('netadmin'), body: { effectiveAt: 'tomorrow' } })).body.message).toMatch(/effectiveAt/);
  });

  it('subscribers reference a plan; a plan in use cannot be deleted', async () => {
    const s = await h.request('POST', '/api/v1/subscribers', { token: as('netadmin'), body: { username: 'walker', password: 'pppoe-pass', router: ids['core-pa'], planId: ids.plan } });
    expect(s.status).toBe(201);
    expect(s.body.planId).toBe(ids.plan);
    ids.walker = s.body.id;
    const missing = await h.request('PUT', `/api/v1/subscribers/${ids.walker}/desired-state`, { token: as('netadmin'), body: { planId: '0123456789abcdef01234567' } });
    expect(missing.status).toBe(422);
    expect(missing.body.message).toMatch(/planId/);
    expect((await h.request('DELETE', `/api/v1/plans/${ids.plan}`, { token: as('netadmin') })).status).toBe(409);
  });

  it('PATCH moves and renames a subscriber: one record, a sync job; clashes and unknown routers refused', async () => {
    const moved = await h.request('PATCH', `/api/v1/subscribers/${ids.walker}`, { token: as('netadmin'), body: { routerId: ids['core-pb'], username: 'walker2' } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: ids.walker, router: ids['core-pb'], username: 'walker2', sync: { syncStatus: 'pending', inSync: false } });
    await job(JobName.SYNC_USER, (d) => d.userId === ids.walker);
    const list = await h.request('GET', '/api/v1/subscribers?search=walker', { token: as('support') });
    expect(list.body.total).toBe(1);

    const other = await h.request('POST', '/api/v1/subscribers', { token: as('netadmin'), body: { username: 'walker', router: ids['core-pb'] } });
    expect(other.status).toBe(201);
    expect((await h.request('PATCH', `/api/v1/subscribers/${other.body.id}`, { token: as('netadmin'), body: { username: 'walker2' } })).status).toBe(409);
    const unknown = await h.request('PATCH', `/api/v1/subscribers/${ids.walker}`, { token: as('netadmin'), body: { routerId: '0123456789abcdef01234567' } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toMatch(/routerId/);
    const badName = await h.request('PATCH', `/api/v1/subscribers/${ids.walker}`, { token: as('netadmin'), body: { username: 'no spaces' } });
    expect(badName.status).toBe(400);
    expect(badName.body.message).toMatch(/username/);
  });
});
