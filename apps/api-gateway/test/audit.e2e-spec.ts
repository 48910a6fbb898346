// Issue 17 item 3: the audit trail. Every write through the API is recorded by the gateway's
// global interceptor (who, when, client address, route, outcome, masked before/after), and
// GET /api/v1/audit reads it back for netadmins and admins. Real gateway, real store.
import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { parseWebhookToken } from '@isp/domain';
import { request as httpRequest } from 'node:http';
import { AUDIT_ENTRY_MODEL, type AuditEntry } from '../src/audit/audit-entry.schema';
import { ADMIN_USER_MODEL, type AdminUser } from '../src/auth/admin-user.schema';
import { startHarness, type Harness, type HttpResult, type Json } from './gateway-harness';

const ROUTER_PASSWORD = 'Rt-pass-0ld-4c1d';
const NEW_ROUTER_PASSWORD = 'Rt-pass-n3w-77f0e2';
const USER_PASSWORD = 'u5er-pass-4-audit-9b1c';

describe('audit trail (issue 17 item 3)', () => {
  let h: Harness;
  let entries: Model<AuditEntry>;
  const ids: Record<string, string> = {};
  const as = (role: 'support' | 'technician' | 'netadmin' | 'admin') => h.tokens[role];
  const audit = async (query: string, role: 'netadmin' | 'admin' = 'admin') => {
    const res = await h.request('GET', `/api/v1/audit${query}`, { token: as(role) });
    expect(res.status).toBe(200);
    return res.body as { items: Json[]; total: number; limit: number; skip: number };
  };
  /** The stored entries of one object, oldest first (straight from the collection). */
  const stored = async (objectId: string) => entries.find({ objectId }).sort({ at: 1, _id: 1 }).lean<AuditEntry[]>();

  /** A request from a chosen local address (the loopback range is all ours), with any headers. */
  function requestFrom(localAddress: string, method: string, path: string, token: string, headers: Record<string, string> = {}): Promise<HttpResult> {
    const url = new URL(h.baseUrl + path);
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method, localAddress, headers: { authorization: `Bearer ${token}`, ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined, headers: res.headers });
        });
      });
      req.on('error', reject);
      req.end();
    });
  }

  beforeAll(async () => {
    // The gateway believes X-Forwarded-For only from 127.0.0.1 (a proxy there), not from 127.0.0.2.
    h = await startHarness('audit', { TRUSTED_PROXIES: '127.0.0.1', BULL_BOARD: 'false', RETENTION_EVERY_MS: '0' });
    entries = h.app.get<Model<AuditEntry>>(getModelToken(AUDIT_ENTRY_MODEL));
    const users = h.app.get<Model<AdminUser>>(getModelToken(ADMIN_USER_MODEL));
    for (const role of ['netadmin', 'admin'] as const) ids[role] = String((await users.findOne({ email: h.emails[role] }).lean())!._id);
    await users.updateOne({ _id: ids.netadmin }, { name: 'Nora Netadmin' });

    const b = await h.request('POST', '/api/v1/buildings', { token: as('netadmin'), body: { name: 'Audit Tower', code: 'AT' } });
    expect(b.status).toBe(201);
    ids.building = b.body.id;
    const r = await h.request('POST', '/api/v1/routers', {
      token: as('netadmin'),
      body: { name: 'core-audit', host: '127.0.0.1', apiPort: 18728, apiUser: 'api', apiPassword: ROUTER_PASSWORD, building: ids.building, role: 'core' },
    });
    expect(r.status).toBe(201);
    ids.router = r.body.id;
    const s = await h.request('POST', '/api/v1/subscribers', { token: as('netadmin'), body: { username: 'ana.audit', password: 'pppoe-secret-77', router: ids.router } });
    expect(s.status).toBe(201);
    ids.subscriber = s.body.id;
  });

  afterAll(async () => {
    await h?.close();
  });

  it('records a creation with who, when, where, the route, the outcome and the whole new object (secrets masked)', async () => {
    const [created] = await stored(ids.router);
    expect(created).toMatchObject({
      actor: { id: ids.netadmin, name: 'Nora Netadmin', email: h.emails.netadmin, role: 'netadmin' },
      method: 'POST',
      route: '/api/v1/routers',
      action: 'create',
      objectType: 'router',
      objectId: ids.router,
      status: 201,
      outcome: 'success',
      before: null,
      after: { name: 'core-audit', host: '127.0.0.1', apiPassword: '[secret]' },
      request: { name: 'core-audit', apiPassword: '[secret]' },
    });
    expect(Date.now() - created.at.getTime()).toBeLessThan(60_000);
    expect(created.changed).toEqual(expect.arrayContaining(['name', 'apiPassword', 'building']));
    expect(JSON.stringify(created)).not.toContain(ROUTER_PASSWORD);
    const sub = (await stored(ids.subscriber))[0];
    expect(sub.after).toMatchObject({ username: 'ana.audit', password: '[secret]' });
    expect(JSON.stringify(sub)).not.toContain('pppoe-secret-77');
  });

  it('records suspend and unsuspend with the subscriber before and after', async () => {
    expect((await h.request('POST', `/api/v1/subscribers/${ids.subscriber}/suspend`, { token: as('netadmin') })).status).toBe(202);
    expect((await h.request('POST', `/api/v1/subscribers/${ids.subscriber}/unsuspend`, { token: as('netadmin') })).status).toBe(202);
    const [, suspended, unsuspended] = await stored(ids.subscriber);
    expect(suspended).toMatchObject({ route: '/api/v1/subscribers/:id/suspend', action: 'suspend', objectType: 'subscriber', status: 202, outcome: 'success' });
    expect(suspended.changed).toContain('isSuspended');
    expect(suspended.before).toMatchObject({ isSuspended: false });
    expect(suspended.after).toMatchObject({ isSuspended: true });
    expect(unsuspended).toMatchObject({ action: 'unsuspend', before: { isSuspended: true }, after: { isSuspended: false } });
    // The desired-state version each write bumped is part of what changed.
    expect((suspended.after as Json).desiredVersion).toBe((suspended.before as Json).desiredVersion + 1);
  });

  it('records a router password change as a change of apiPassword, the password itself nowhere in the entry', async () => {
    const res = await h.request('PATCH', `/api/v1/routers/${ids.router}`, { token: as('netadmin'), body: { apiPassword: NEW_ROUTER_PASSWORD } });
    expect(res.status).toBe(200);
    const entry = (await stored(ids.router)).at(-1)!;
    expect(entry).toMatchObject({ action: 'update', route: '/api/v1/routers/:id', status: 200, outcome: 'success', request: { apiPassword: '[secret]' } });
    expect(entry.changed).toContain('apiPassword');
    expect(entry.before).toMatchObject({ apiPassword: '[secret]' });
    expect(entry.after).toMatchObject({ apiPassword: '[secret]' });
    const raw = JSON.stringify(await entries.collection.findOne({ _id: entry._id }));
    for (const secret of [NEW_ROUTER_PASSWORD, ROUTER_PASSWORD, 'enc2:']) expect(raw).not.toContain(secret);
    // Nor through the API.
    const listed = await audit(`?objectType=router&objectId=${ids.router}`);
    expect(JSON.stringify(listed)).not.toContain(NEW_ROUTER_PASSWORD);
  });

  it('records webhook-token rotation and adoption, the token masked', async () => {
    const token = await h.request('POST', `/api/v1/routers/${ids.router}/webhook-token`, { token: as('admin') });
    expect(token.status).toBe(201);
    const entry = (await stored(ids.router)).at(-1)!;
    expect(entry).toMatchObject({ action: 'issueToken', actor: { id: ids.admin, role: 'admin' }, outcome: 'success' });
    expect(entry.changed).toEqual(expect.arrayContaining(['webhookTokenHash', 'webhookTokenEncrypted']));
    const raw = JSON.stringify(entry);
    // Neither the token nor its secret part (the rest of it is the router's id) is in the entry.
    const issued = parseWebhookToken(token.body.token)!;
    for (const part of [token.body.token, issued.secret]) expect(raw).not.toContain(part);
    await h.request('POST', `/api/v1/routers/${ids.router}/adopt`, { token: as('netadmin') });
    expect((await stored(ids.router)).at(-1)).toMatchObject({ action: 'adopt', route: '/api/v1/routers/:id/adopt' });
  });

  it("records a user's role change (and the new user's password nowhere)", async () => {
    const created = await h.request('POST', '/api/v1/users', { token: as('admin'), body: { email: 'new.tech@example.net', name: 'New Tech', password: USER_PASSWORD, role: 'technician' } });
    expect(created.status).toBe(201);
    ids.user = created.body.id;
    expect((await h.request('PATCH', `/api/v1/users/${ids.user}`, { token: as('admin'), body: { role: 'netadmin' } })).status).toBe(200);
    const [create, change] = await stored(ids.user);
    expect(create).toMatchObject({ objectType: 'user', action: 'create', after: { email: 'new.tech@example.net', role: 'technician', passwordHash: '[secret]' }, request: { password: '[secret]' } });
    expect(change).toMatchObject({ objectType: 'user', action: 'update', actor: { id: ids.admin }, changed: ['role'], before: { role: 'technician' }, after: { role: 'netadmin' } });
    expect(JSON.stringify([create, change])).not.toContain(USER_PASSWORD);
  });

  it('masks the webhook URLs of a contact, and keeps logins out of the trail', async () => {
    const hook = 'https://hooks.slack.com/services/T0AUDIT/B0AUDIT/s3cretHookPart';
    const teams = 'https://prod-1.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=TeamsS1gnature';
    const c = await h.request('POST', '/api/v1/contacts', { token: as('admin'), body: { name: 'NOC audit', level: 2, chatWebhook: hook, teamsWebhook: teams } });
    expect(c.status).toBe(201);
    const [entry] = await stored(c.body.id);
    expect(entry).toMatchObject({ objectType: 'contact', after: { name: 'NOC audit', chatWebhook: '[secret]', teamsWebhook: '[secret]' } });
    for (const secret of ['s3cretHookPart', 'TeamsS1gnature']) expect(JSON.stringify(entry)).not.toContain(secret);

    const count = await entries.countDocuments();
    expect((await h.request('POST', '/api/v1/auth/login', { body: { email: h.emails.support, password: 'wrong password here' } })).status).toBe(401);
    expect(await entries.countDocuments()).toBe(count);
  });

  it('records failed attempts that reached the route, with their status and nothing changed', async () => {
    const missing = '0123456789abcdef01234567';
    expect((await h.request('POST', `/api/v1/subscribers/${missing}/suspend`, { token: as('netadmin') })).status).toBe(404);
    expect(await stored(missing)).toEqual([expect.objectContaining({ outcome: 'failure', status: 404, action: 'suspend', changed: [], before: null, after: null, error: expect.stringMatching(/not found/i) })]);
    expect((await h.request('PATCH', `/api/v1/routers/${ids.router}`, { token: as('netadmin'), body: { apiPort: 'x', apiPassword: 'leaked-in-a-bad-request' } })).status).toBe(400);
    const bad = (await stored(ids.router)).at(-1)!;
    expect(bad).toMatchObject({ outcome: 'failure', status: 400, request: { apiPort: 'x', apiPassword: '[secret]' } });
    expect(JSON.stringify(bad)).not.toContain('leaked-in-a-bad-request');
    // Whatever a body holds, it is kept (keys the store refuses are renamed).
    expect((await h.request('PATCH', `/api/v1/routers/${ids.router}`, { token: as('netadmin'), body: { $where: 'x', 'a.b': { $gt: 1 }, '': 1 } })).status).toBe(400);
    expect((await stored(ids.router)).at(-1)).toMatchObject({ outcome: 'failure', status: 400, request: { _$where: 'x', a_b: { _$gt: 1 }, _: 1 } });
    // A role refusal never reaches the route (the guard answers): not recorded.
    const before = await entries.countDocuments();
    expect((await h.request('POST', `/api/v1/subscribers/${ids.subscriber}/suspend`, { token: as('technician') })).status).toBe(403);
    expect((await h.request('GET', `/api/v1/subscribers/${ids.subscriber}`, { token: as('netadmin') })).status).toBe(200);
    expect(await entries.countDocuments()).toBe(before);
  });

  it('is readable by netadmins and admins only', async () => {
    for (const role of ['support', 'technician'] as const) expect((await h.request('GET', '/api/v1/audit', { token: as(role) })).status).toBe(403);
    expect((await h.request('GET', '/api/v1/audit')).status).toBe(401);
    expect((await audit('', 'netadmin')).total).toBeGreaterThan(0);
  });

  it('is append-only: no route changes or deletes an entry', async () => {
    const [entry] = (await audit('?limit=1')).items;
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
      expect((await h.request(method, `/api/v1/audit/${entry.id}`, { token: as('admin'), body: method === 'DELETE' ? undefined : {} })).status).toBe(404);
    }
    expect((await h.request('DELETE', '/api/v1/audit', { token: as('admin') })).status).toBe(404);
    expect(await entries.countDocuments({ _id: entry.id })).toBe(1);
  });

  it('filters by actor, object type, object id, outcome and time, newest first, paginated', async () => {
    const all = await audit('?limit=500');
    const times = all.items.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(all.items[0]).toMatchObject({ id: expect.any(String), actor: expect.any(Object), clientIp: expect.any(String) });

    const byAdmin = await audit(`?actor=${ids.admin}&limit=500`);
    expect(byAdmin.items.length).toBeGreaterThan(0);
    expect(byAdmin.items.every((e) => e.actor.id === ids.admin)).toBe(true);
    expect(byAdmin.total).toBe(all.items.filter((e) => e.actor.id === ids.admin).length);

    const users = await audit('?objectType=user');
    expect(users.items.map((e) => e.action)).toEqual(['update', 'create']);

    const sub = await audit(`?objectType=subscriber&objectId=${ids.subscriber}`);
    expect(sub.items.map((e) => e.action)).toEqual(['unsuspend', 'suspend', 'create']);
    const page = await audit(`?objectId=${ids.subscriber}&limit=1&skip=1`);
    expect(page).toMatchObject({ total: 3, limit: 1, skip: 1, items: [expect.objectContaining({ action: 'suspend' })] });

    expect((await audit('?outcome=failure&limit=500')).items.every((e) => e.outcome === 'failure' && e.status >= 400)).toBe(true);

    const suspendedAt = sub.items[1].at as string;
    const window = await audit(`?objectId=${ids.subscriber}&from=${encodeURIComponent(suspendedAt)}&to=${encodeURIComponent(suspendedAt)}`);
    expect(window.items.map((e) => e.action)).toEqual(['suspend']);
    expect((await audit(`?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).total).toBe(0);
  });

  it('answers a bad filter with a 400 naming it', async () => {
    for (const [query, field] of [
      ['actor=nobody', 'actor'],
      ['objectType=Robert%27);DROP', 'objectType'],
      ['from=yesterday', 'from'],
      ['outcome=maybe', 'outcome'],
      ['limit=0', 'limit'],
      ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'from'],
    ]) {
      const res = await h.request('GET', `/api/v1/audit?${query}`, { token: as('admin') });
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.message).toContain(field);
    }
  });

  it('records the client address, believing X-Forwarded-For only from a trusted proxy', async () => {
    const direct = await h.request('POST', `/api/v1/subscribers/${ids.subscriber}/resync`, { token: as('netadmin') });
    expect(direct.status).toBe(202);
    expect((await stored(ids.subscriber)).at(-1)).toMatchObject({ action: 'resync', clientIp: '127.0.0.1' });

    const proxied = await requestFrom('127.0.0.1', 'POST', `/api/v1/subscribers/${ids.subscriber}/resync`, as('netadmin'), { 'x-forwarded-for': '203.0.113.7' });
    expect(proxied.status).toBe(202);
    expect((await stored(ids.subscriber)).at(-1)).toMatchObject({ clientIp: '203.0.113.7' });

    const forged = await requestFrom('127.0.0.2', 'POST', `/api/v1/subscribers/${ids.subscriber}/resync`, as('netadmin'), { 'x-forwarded-for': '198.51.100.9' });
    expect(forged.status).toBe(202);
    expect((await stored(ids.subscriber)).at(-1)).toMatchObject({ clientIp: '127.0.0.2' });
  });
});
