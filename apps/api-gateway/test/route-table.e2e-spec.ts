// Walks every route the app serves: each declares a role (or is one of the known public ones),
// refuses callers without a token (401) and with the role just below it (403), lets its own role
// past the guard, and answers hostile input with a 4xx, never a 500.
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, SSE_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { Types } from 'mongoose';
import { PLATFORM_PUBLIC_CONTROLLERS } from '../src/auth/auth.guard';
import { PUBLIC_KEY, ROLE_KEY } from '../src/auth/roles.decorator';
import { roleBelow, type Role } from '../src/auth/roles';
import { startHarness, type Harness, type HttpResult } from './gateway-harness';

interface Route {
  controller: string;
  handler: string;
  method: string;
  path: string;
  role?: Role;
  isPublic: boolean;
  sse: boolean;
}

function join(...parts: string[]): string {
  return '/' + parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
}

function routesOf(h: Harness): Route[] {
  const routes: Route[] = [];
  for (const mod of h.app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const type = wrapper.metatype as (new (...a: never[]) => unknown) | null;
      if (!type) continue;
      const base = (Reflect.getMetadata(PATH_METADATA, type) as string | string[] | undefined) ?? '';
      const proto = type.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const fn = proto[name];
        if (name === 'constructor' || typeof fn !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
        if (path === undefined || method === undefined) continue;
        routes.push({
          controller: type.name,
          handler: name,
          method: RequestMethod[method],
          path: join(String(Array.isArray(base) ? base[0] : base), String(Array.isArray(path) ? path[0] : path)),
          role: (Reflect.getMetadata(ROLE_KEY, fn) ?? Reflect.getMetadata(ROLE_KEY, type)) as Role | undefined,
          isPublic: Boolean(Reflect.getMetadata(PUBLIC_KEY, fn) ?? Reflect.getMetadata(PUBLIC_KEY, type)) || PLATFORM_PUBLIC_CONTROLLERS.has(type.name),
          sse: Boolean(Reflect.getMetadata(SSE_METADATA, fn)),
        });
      }
    }
  }
  return routes;
}

const someId = () => new Types.ObjectId().toHexString();
const fill = (path: string, value = someId()) => path.replace(/:[A-Za-z]+/g, value);

describe('api-gateway route table', () => {
  let h: Harness;
  let routes: Route[];

  beforeAll(async () => {
    h = await startHarness('route-table');
    routes = routesOf(h);
  });
  afterAll(() => h?.close());

  it('finds the routes', () => {
    expect(routes.length).toBeGreaterThan(40);
  });

  it('every route declares a role, except the known public ones', () => {
    const undeclared = routes.filter((r) => !r.role && !r.isPublic).map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`);
    expect(undeclared).toEqual([]);
    const publicRoutes = routes.filter((r) => r.isPublic).map((r) => `${r.method} ${r.path}`).sort();
    expect(publicRoutes).toEqual(['GET /api/v1/ack-links', 'GET /health/live', 'GET /health/ready', 'GET /metrics', 'POST /api/v1/ack-links', 'POST /api/v1/auth/login']);
  });

  it('refuses every protected route without a token (401), with a bad token (401) and with the role below it (403)', async () => {
    const failures: string[] = [];
    for (const r of routes.filter((x) => !x.isPublic)) {
      const url = fill(r.path);
      const none = await h.request(r.method, url, { body: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
      if (none.status !== 401) failures.push(`${r.method} ${r.path} without token -> ${none.status}`);
      const forged = await h.request(r.method, url, { token: 'eyJhbGciOiJub25lIn0.eyJyb2xlIjoiYWRtaW4ifQ.', body: r.method === 'GET' ? undefined : {} });
      if (forged.status !== 401) failures.push(`${r.method} ${r.path} forged token -> ${forged.status}`);
      const below = roleBelow(r.role!);
      if (below) {
        const res = await h.request(r.method, url, { token: h.tokens[below], body: r.method === 'GET' ? undefined : {} });
        if (res.status !== 403) failures.push(`${r.method} ${r.path} as ${below} (needs ${r.role}) -> ${res.status}`);
      }
      if (!r.sse) {
        // Its own role gets past the guard (whatever the handler then says about the input).
        const own = await h.request(r.method, fill(r.path, 'zz'), { token: h.tokens[r.role!], body: r.method === 'GET' ? undefined : {} });
        if (own.status === 401 || (own.status === 403 && /role/i.test(String(own.body?.message)))) failures.push(`${r.method} ${r.path} as ${r.role} -> ${own.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers hostile input on every route with a 4xx in the one error shape, never a 500', async () => {
    const ids = ['not-an-id', "1' OR '1'='1", '%24gt', '0'.repeat(25), someId().toUpperCase().replace(/[0-9]/g, 'G')];
    const bodies: unknown[] = [
      '{"unterminated": ',
      '{"apiPort": 1e400, "limit": -0}',
      '[]',
      '"just a string"',
      'null',
      { $where: 'sleep(1000)' },
      { name: { $gt: '' }, code: ['x'], router: { $ne: null }, id: { $gt: '' }, kind: 'router', email: { $ne: 1 }, password: { $ne: 1 } },
      { name: 'x'.repeat(10_000), building: someId(), apiPort: 1e300, level: 'high', deviceType: 'toaster', ipAddress: '999.1.1.1' },
      { isSuspended: 'yes', profile: 'a b"c', rateLimit: 'fast', parent: 'me', station: 12, geo: { lat: 500, lng: 'x' } },
    ];
    const queries = ['?limit=-1&skip=abc', '?limit=99999', '?building=xyz&level=9&state=weird', '?building[$ne]=x', '?from=yesterday&to=tomorrow', '?isOnline=maybe&syncStatus=drunk'];
    const failures: string[] = [];
    const check = (what: string, res: HttpResult) => {
      if (res.status >= 500) failures.push(`${what} -> ${res.status} ${JSON.stringify(res.body)}`);
      else if (res.status >= 400 && (typeof res.body?.message !== 'string' || typeof res.body?.error !== 'string' || res.body?.statusCode !== res.status)) {
        failures.push(`${what} -> ${res.status} not in the error shape: ${JSON.stringify(res.body)}`);
      }
    };
    for (const r of routes.filter((x) => !x.sse)) {
      const token = h.tokens.admin;
      const hasId = r.path.includes(':');
      for (const id of hasId ? ids : [someId()]) {
        const url = fill(r.path, encodeURIComponent(id));
        check(`${r.method} ${url}`, await h.request(r.method, url, { token }));
      }
      for (const q of queries) {
        const url = fill(r.path) + q;
        check(`${r.method} ${url}`, await h.request(r.method, url, { token }));
      }
      if (r.method !== 'GET') {
        for (const body of bodies) {
          const url = fill(r.path);
          check(`${r.method} ${url} body ${String(JSON.stringify(body)).slice(0, 60)}`, await h.request(r.method, url, { token, body }));
        }
        check(`${r.method} text/plain`, await h.request(r.method, fill(r.path), { token, body: 'hello', headers: { 'content-type': 'text/plain' } }));
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses hostile feed queries before streaming', async () => {
    const feed = routes.find((r) => r.sse && r.path.endsWith('/feed'))!;
    for (const q of ['?type=bogus', '?type[$ne]=x', '?extra=1&type=nope']) {
      const res = await h.request('GET', feed.path + q, { token: h.tokens.support });
      expect(res.status).toBe(400);
    }
    // The streamed Live Check refuses a bad target or query as plainly, before any event.
    for (const url of ['/api/v1/live-check/building/000000000000000000000000/stream', '/api/v1/live-check/device/zz/stream', '/api/v1/live-check/device/000000000000000000000000/stream?extra=1']) {
      const res = await h.request('GET', url, { token: h.tokens.support });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, message: expect.any(String) });
    }
  });
});
