// Issue 15, gateway side, over HTTP against the real stores: every action on a building-scoped
// object checks the caller's buildings (items 2, 4); login limits per (account, client address)
// with the address read through the trusted proxies only, 429 with Retry-After (item 7);
// building availability reads the logs in bounded pages (item 13); security headers and the
// docs switch (item 14).
import { getConnectionToken } from '@nestjs/mongoose';
import { repositoriesOn } from '@isp/data';
import { SecretBox } from '@isp/domain';
import type { CommandStartedEvent } from 'mongodb';
import { Types, type Connection } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { testMongoUrl } from '../../../../test/support';
import { loadApiGatewayConfig } from '../../src/config/api-gateway.config';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startHarness, type Harness } from '../gateway-harness';

function monitoredMongoUrl(name: string): string {
  const u = new URL(testMongoUrl(name));
  u.searchParams.set('monitorCommands', 'true');
  return u.toString();
}

describe('api-gateway security', () => {
  let h: Harness;
  let conn: Connection;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness('security-api', { TRUSTED_PROXIES: '127.0.0.1', LOGIN_RATE_LIMIT: '3', MONGO_URL: monitoredMongoUrl('security-api') });
    conn = h.app.get<Connection>(getConnectionToken());
    const net = h.tokens.netadmin;
    for (const code of ['B2', 'B3']) {
      const b = await h.request('POST', '/api/v1/buildings', { token: net, body: { name: `Building ${code}`, code } });
      expect(b.status).toBe(201);
      ids[code] = b.body.id;
      const r = await h.request('POST', '/api/v1/routers', { token: net, body: { name: `core-${code}`, host: '127.0.0.1', apiPort: 1, apiUser: 'api', apiPassword: 'pw', building: b.body.id } });
      expect(r.status).toBe(201);
      ids[`router${code}`] = r.body.id;
    }
    const repos = repositoriesOn(conn);
    for (const code of ['B2', 'B3']) {
      const { incident } = await repos.incidents.openOrGet({
        rootCause: { kind: 'router', id: new Types.ObjectId(ids[`router${code}`]), name: `core-${code}`, type: 'core' },
        building: new Types.ObjectId(ids[code]),
        buildingName: `Building ${code}`,
        level: 3,
        openedAt: new Date(),
        impactedDevices: 0,
        impactedSubscribers: 0,
        path: [],
      });
      ids[`incident${code}`] = String(incident._id);
    }
    // The technician works in B2; a second netadmin is scoped to B2 too.
    const users = (await h.request('GET', '/api/v1/users?limit=100', { token: h.tokens.admin })).body.items as { id: string; email: string }[];
    const tech = users.find((u) => u.email === h.emails.technician)!;
    expect((await h.request('PATCH', `/api/v1/users/${tech.id}`, { token: h.tokens.admin, body: { buildings: [ids.B2] } })).status).toBe(200);
    tokens.technician = h.tokens.technician;
    const scoped = await h.request('POST', '/api/v1/users', { token: h.tokens.admin, body: { email: 'netadmin.b2@example.net', password: ADMIN_PASSWORD, role: 'netadmin', buildings: [ids.B2] } });
    expect(scoped.status).toBe(201);
    tokens.scopedNetadmin = (await h.request('POST', '/api/v1/auth/login', { body: { email: 'netadmin.b2@example.net', password: ADMIN_PASSWORD } })).body.accessToken;
  });

  afterAll(async () => {
    await h?.close();
  });

  describe('building scope (items 2 and 4)', () => {
    it("a technician cannot acknowledge another building's incident (403, still open); their own, yes", async () => {
      const other = await h.request('POST', `/api/v1/incidents/${ids.incidentB3}/acknowledge`, { token: tokens.technician });
      expect(other.status).toBe(403);
      expect(other.body.message).toMatch(/outside your assigned buildings/);
      expect((await h.request('GET', `/api/v1/incidents/${ids.incidentB3}`, { token: tokens.technician })).body.state).toBe('open');
      const own = await h.request('POST', `/api/v1/incidents/${ids.incidentB2}/acknowledge`, { token: tokens.technician });
      expect(own.status).toBe(200);
      expect(own.body.state).toBe('acknowledged');
    });

    it("a netadmin scoped to a building cannot resolve another building's incident; their own, yes", async () => {
      const other = await h.request('POST', `/api/v1/incidents/${ids.incidentB3}/resolve`, { token: tokens.scopedNetadmin });
      expect(other.status).toBe(403);
      expect((await h.request('GET', `/api/v1/incidents/${ids.incidentB3}`, { token: tokens.scopedNetadmin })).body.state).toBe('open');
      expect((await h.request('POST', `/api/v1/incidents/${ids.incidentB2}/resolve`, { token: tokens.scopedNetadmin })).status).toBe(200);
    });

    it("device creation checks the router's building as well as the device's", async () => {
      const body = (router: string) => ({ name: `sector-on-${router}`, deviceType: 'sector', ipAddress: '10.20.0.2', router, building: ids.B2 });
      const foreign = await h.request('POST', '/api/v1/devices', { token: tokens.technician, body: body(ids.routerB3) });
      expect(foreign.status).toBe(403);
      expect(foreign.body.message).toMatch(/router's building is outside your assigned buildings/);
      expect((await h.request('GET', `/api/v1/devices?router=${ids.routerB3}`, { token: tokens.technician })).body.total).toBe(0);
      expect((await h.request('POST', '/api/v1/devices', { token: tokens.technician, body: body(ids.routerB2) })).status).toBe(201);
    });

    it("every other write on another building's objects is refused to a scoped account", async () => {
      const t = tokens.scopedNetadmin;
      expect((await h.request('PATCH', `/api/v1/routers/${ids.routerB3}`, { token: t, body: { rosVersion: '7.18' } })).status).toBe(403);
      expect((await h.request('DELETE', `/api/v1/routers/${ids.routerB3}`, { token: t })).status).toBe(403);
      expect((await h.request('PATCH', `/api/v1/buildings/${ids.B3}`, { token: t, body: { notes: 'mine now' } })).status).toBe(403);
      expect((await h.request('POST', '/api/v1/buildings', { token: t, body: { name: 'Annexe', code: 'AX' } })).status).toBe(403);
      expect((await h.request('POST', '/api/v1/subscribers', { token: t, body: { username: 'eve', password: 'secret-1', router: ids.routerB3 } })).status).toBe(403);
      expect((await h.request('PATCH', `/api/v1/routers/${ids.routerB2}`, { token: t, body: { rosVersion: '7.18' } })).status).toBe(200);
    });
  });

  describe('login rate limiting (item 7)', () => {
    const login = (email: string, password: string, forwardedFor: string) =>
      h.request('POST', '/api/v1/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': forwardedFor } });

    it("a stranger's guesses lock out the stranger, not the account's owner; 429 says when to retry", async () => {
      const stranger = '203.0.113.9';
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await login(ADMIN_EMAIL, `guess-${i}`, stranger)).status);
      expect(statuses).toEqual([401, 401, 401]);
      const limited = await login(ADMIN_EMAIL, ADMIN_PASSWORD, stranger);
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(h.config.LOGIN_RATE_WINDOW_SEC);
      // A forged X-Forwarded-For naming the owner's address changes nothing: only the hop the
      // trusted proxy (127.0.0.1) saw counts.
      expect((await login(ADMIN_EMAIL, ADMIN_PASSWORD, `198.51.100.7, ${stranger}`)).status).toBe(429);
      // The owner, from their own address, logs in.
      expect((await login(ADMIN_EMAIL, ADMIN_PASSWORD, '198.51.100.7')).status).toBe(200);
      // The stranger's bucket is per account: another account is not locked for them yet.
      expect((await login(h.emails.support, 'wrong', stranger)).status).toBe(401);
    });
  });

  describe('building availability (item 13)', () => {
    it("sums a building's logs read in pages of at most 500, never all at once", async () => {
      const logs = conn.collection('userdowntimelogs');
      const now = Date.now();
      const docs = [];
      for (let u = 0; u < 12; u++) {
        const user = new Types.ObjectId();
        for (let k = 0; k < 100; k++) {
          const startedAt = new Date(now - (k + 1 + u * 100) * 600_000);
          const _id = new Types.ObjectId();
          docs.push({ _id, user, router: new Types.ObjectId(ids.routerB2), building: new Types.ObjectId(ids.B2), startedAt, endedAt: new Date(startedAt.getTime() + 60_000), cause: k % 2 ? 'impacted' : 'self', openKey: String(_id) });
        }
      }
      await logs.insertMany(docs);

      // Every query the gateway sends for downtime logs, with how many logs it asked for.
      const client = conn.getClient();
      const queries: { limit?: number }[] = [];
      const started = (e: CommandStartedEvent) => {
        if (e.command.find === 'userdowntimelogs') queries.push({ limit: e.command.limit as number | undefined });
      };
      client.on('commandStarted', started);
      try {
        const res = await h.request('GET', `/api/v1/buildings/${ids.B2}/availability`, { token: h.tokens.support });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ downtimeSec: 1200 * 60, impactedSec: 600 * 60, affectedSubscribers: 12 });
      } finally {
        client.off('commandStarted', started);
      }
      // Pages of at most 500: three queries for 1,200 logs, none unbounded.
      expect(queries.length).toBeGreaterThanOrEqual(3);
      for (const q of queries) {
        expect(q.limit).toBeGreaterThan(0);
        expect(q.limit).toBeLessThanOrEqual(500);
      }
    });
  });

  describe('headers and docs (item 14)', () => {
    it('every answer carries the security headers; JSON may load and be framed by nothing', async () => {
      for (const url of ['/api/v1/auth/me', '/api/v1/no-such-route']) {
        const res = await h.request('GET', url, { token: h.tokens.support });
        expect(res.headers).toMatchObject({
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'DENY',
          'referrer-policy': 'no-referrer',
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-resource-policy': 'same-origin',
        });
        expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
        expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      }
      const docs = await h.request('GET', '/api/docs');
      expect(docs.status).toBe(200);
      expect(docs.headers['content-security-policy']).toContain("default-src 'self'");
    });

    it('the docs switch is off by default in production, on otherwise, and can be set either way', () => {
      const base = { SECRETS_KEYS: SecretBox.generateKey('k1'), JWT_SECRET: randomBytes(24).toString('hex') };
      expect(loadApiGatewayConfig({ ...base, NODE_ENV: 'production' }).API_DOCS).toBe(false);
      expect(loadApiGatewayConfig({ ...base, NODE_ENV: 'production', API_DOCS: 'true' }).API_DOCS).toBe(true);
      expect(loadApiGatewayConfig(base).API_DOCS).toBe(true);
      expect(loadApiGatewayConfig({ ...base, API_DOCS: 'false' }).API_DOCS).toBe(false);
    });
  });
});
