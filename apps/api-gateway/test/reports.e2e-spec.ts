// Issue 17 item 5: SLA reports through the gateway, against the real MongoDB-compatible store.
// The ISP is in Africa/Nairobi (UTC+3): March begins at 2026-02-28T21:00Z, so a log from 20:00Z
// to 22:00Z that day is one hour of February and one hour of March (in UTC it would be all
// February).
import { getModelToken } from '@nestjs/mongoose';
import { Types, type Model } from 'mongoose';
import { INCIDENT_MODEL, SUBSCRIBER_MODEL, USER_DOWNTIME_LOG_MODEL } from '@isp/data';
import { parseCsv, SLA_CSV_HEADER } from '../src/reports/sla-csv';
import { startHarness, type Harness, type Json } from './gateway-harness';

const min = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000);

describe('SLA reports (issue 17 item 5)', () => {
  let h: Harness;
  let token: string;
  const ids = { building: '', otherBuilding: '', router: '', s1: new Types.ObjectId(), s2: new Types.ObjectId(), sector: new Types.ObjectId() };
  const get = (url: string, headers?: Record<string, string>) => h.request('GET', url, { token, headers });
  const model = (name: string) => h.app.get<Model<unknown>>(getModelToken(name));

  beforeAll(async () => {
    // Retention off: the seeded months must not age out under a sweep, whenever this runs.
    h = await startHarness('reports', { REPORT_TIME_ZONE: 'Africa/Nairobi', SLA_TARGET_PCT: '99.5', RETENTION_EVERY_MS: '0', BULL_BOARD: 'false' });
    token = h.tokens.support;
    const admin = h.tokens.admin;
    const b = await h.request('POST', '/api/v1/buildings', { token: admin, body: { name: 'Tower, "A"', code: 'TA' } });
    const other = await h.request('POST', '/api/v1/buildings', { token: admin, body: { name: 'Other', code: 'OT' } });
    const r = await h.request('POST', '/api/v1/routers', { token: admin, body: { name: 'core-ta', host: '127.0.0.1', apiPort: 1, apiUser: 'api', apiPassword: 'pw', building: b.body.id } });
    expect([b.status, other.status, r.status]).toEqual([201, 201, 201]);
    Object.assign(ids, { building: b.body.id, otherBuilding: other.body.id, router: r.body.id });
    const building = new Types.ObjectId(ids.building);
    const router = new Types.ObjectId(ids.router);

    await model(SUBSCRIBER_MODEL).collection.insertMany([
      { _id: ids.s1, username: 'alice', serviceType: 'pppoe', router, building },
      { _id: ids.s2, username: 'bob', serviceType: 'pppoe', router, building },
    ]);
    const i1 = new Types.ObjectId();
    const i2 = new Types.ObjectId();
    const incident = (_id: Types.ObjectId, level: number, rootCause: object, openedAt: Date, extra: object, b = building) => ({
      _id, rootCause, building: b, level, state: 'resolved', openedAt, dedupeKey: String(_id), revision: 1, impactedDevices: 0, impactedSubscribers: 1,
      path: [{ kind: 'router', id: router, name: 'core-ta', state: 'up', at: openedAt }], ...extra,
    });
    await model(INCIDENT_MODEL).collection.insertMany([
      // Level 2: the sector took both subscribers down; acknowledged after 5 minutes, resolved after 45.
      incident(i1, 2, { kind: 'device', id: ids.sector, name: 'sector-1', type: 'sector' }, new Date('2026-03-10T10:00:00Z'), { acknowledgedAt: min('2026-03-10T10:00:00Z', 5), resolvedAt: min('2026-03-10T10:00:00Z', 45) }),
      // Level 1 on alice, opened at 00:30 on 1 March Nairobi time (still 28 February in UTC).
      incident(i2, 1, { kind: 'subscriber', id: ids.s1, name: 'alice', type: 'subscriber' }, new Date('2026-02-28T21:30:00Z'), { resolvedAt: min('2026-02-28T21:30:00Z', 30) }),
      // Elsewhere: counts for nobody here.
      { ...incident(new Types.ObjectId(), 3, { kind: 'router', id: new Types.ObjectId(), name: 'core-ot', type: 'core' }, new Date('2026-03-05T00:00:00Z'), { resolvedAt: new Date('2026-03-05T01:00:00Z') }, new Types.ObjectId(ids.otherBuilding)), path: [] },
    ]);
    const log = (user: Types.ObjectId, startedAt: string, endedAt: string, cause: 'self' | 'impacted', incident: Types.ObjectId | null = null) => {
      const _id = new Types.ObjectId();
      return { _id, user, router, building, startedAt: new Date(startedAt), endedAt: new Date(endedAt), cause, incident, openKey: String(_id) };
    };
    await model(USER_DOWNTIME_LOG_MODEL).collection.insertMany([
      log(ids.s1, '2026-02-10T00:00:00Z', '2026-02-10T04:00:00Z', 'self'),
      log(ids.s1, '2026-02-28T20:00:00Z', '2026-02-28T22:00:00Z', 'self'),
      log(ids.s1, '2026-03-10T10:00:00Z', '2026-03-10T10:30:00Z', 'impacted', i1),
      log(ids.s2, '2026-03-10T10:00:00Z', '2026-03-10T10:45:00Z', 'impacted', i1),
    ]);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('splits a building month at Nairobi midnight, by cause, with incidents and mean times per level', async () => {
    const res = await get(`/api/v1/reports/sla/buildings/${ids.building}?from=2026-03`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ scope: 'building', id: ids.building, name: 'Tower, "A"', timeZone: 'Africa/Nairobi', targetPct: 99.5 });
    const [march] = res.body.months as Json[];
    expect(res.body.months).toHaveLength(1);
    expect(march).toMatchObject({
      month: '2026-03',
      from: '2026-02-28T21:00:00.000Z',
      to: '2026-03-31T21:00:00.000Z',
      periodMinutes: 31 * 1440,
      subscribers: 2,
      downtimeMinutes: 60 + 30 + 45,
      ownMinutes: 60,
      impactedMinutes: 75,
      maintenanceMinutes: 0,
      affectedSubscribers: 2,
      availabilityPct: Math.round((1 - 135 / (31 * 1440 * 2)) * 100_000) / 1000,
      met: true,
      incidents: 2,
    });
    expect(march.impactedBy).toEqual([{ root: { kind: 'device', id: String(ids.sector), name: 'sector-1', type: 'sector' }, incidents: 1, minutes: 75 }]);
    expect(march.levels).toEqual([
      { level: 1, incidents: 1, mttaMinutes: null, mttrMinutes: 30 },
      { level: 2, incidents: 1, mttaMinutes: 5, mttrMinutes: 45 },
      { level: 3, incidents: 0, mttaMinutes: null, mttrMinutes: null },
    ]);
  });

  it('reports a subscriber month by month against the target, and a router like its building', async () => {
    const res = await get(`/api/v1/reports/sla/subscribers/${ids.s1}?from=2026-02&to=2026-04`);
    expect(res.status).toBe(200);
    const [feb, mar, apr] = res.body.months as Json[];
    expect(res.body.months.map((m: Json) => m.month)).toEqual(['2026-02', '2026-03', '2026-04']);
    // February: 4 hours plus the hour before Nairobi midnight; below 99.5 %.
    expect(feb).toMatchObject({ from: '2026-01-31T21:00:00.000Z', periodMinutes: 28 * 1440, downtimeMinutes: 300, ownMinutes: 300, impactedMinutes: 0, incidents: 0, met: false });
    expect(feb.availabilityPct).toBe(Math.round((1 - 300 / (28 * 1440)) * 100_000) / 1000);
    expect(mar).toMatchObject({ downtimeMinutes: 90, ownMinutes: 60, impactedMinutes: 30, incidents: 2, met: true });
    expect(apr).toMatchObject({ downtimeMinutes: 0, availabilityPct: 100, incidents: 0, periodMinutes: 30 * 1440 });

    const router = await get(`/api/v1/reports/sla/routers/${ids.router}?to=2026-03`);
    expect(router.status).toBe(200);
    expect(router.body.months[0]).toMatchObject({ month: '2026-03', subscribers: 2, downtimeMinutes: 135, incidents: 2 });
  });

  it('answers CSV on ?format=csv or Accept: text/csv, and it parses back to the JSON figures', async () => {
    const json = await get(`/api/v1/reports/sla/subscribers/${ids.s1}?from=2026-02&to=2026-03`);
    const csv = await get(`/api/v1/reports/sla/subscribers/${ids.s1}?from=2026-02&to=2026-03&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(csv.body as string);
    expect(header).toEqual([...SLA_CSV_HEADER]);
    expect(rows).toHaveLength(2);
    const row = (i: number) => Object.fromEntries(header.map((k, j) => [k, rows[i][j]]));
    for (const [i, m] of (json.body.months as Json[]).entries()) {
      expect(row(i)).toMatchObject({ scope: 'subscriber', id: String(ids.s1), name: 'alice', timeZone: 'Africa/Nairobi', month: m.month, from: m.from, to: m.to });
      for (const k of ['downtimeMinutes', 'ownMinutes', 'impactedMinutes', 'maintenanceMinutes', 'availabilityPct', 'incidents', 'periodMinutes']) expect(Number(row(i)[k])).toBe(m[k]);
      expect(row(i).met).toBe(String(m.met));
    }
    expect(row(1)).toMatchObject({ l1Incidents: '1', l1MttaMinutes: '', l1MttrMinutes: '30', l2MttaMinutes: '5', impactedBy: 'device sector-1=30' });

    const building = await get(`/api/v1/reports/sla/buildings/${ids.building}?from=2026-03`, { accept: 'text/csv' });
    expect(building.headers['content-type']).toMatch(/^text\/csv/);
    const [, first] = parseCsv(building.body as string);
    expect(first[2]).toBe('Tower, "A"');
  });

  it('refuses bad queries with a 400 naming the field, unknown ids with 404, and anonymous callers', async () => {
    const base = `/api/v1/reports/sla/buildings/${ids.building}`;
    const cases: [string, RegExp][] = [
      ['?from=2026-13', /from/],
      ['?to=26-03', /to/],
      ['?format=xml', /format/],
      ['?from=2026-03&to=2026-02', /to must not be before from/],
      ['?from=2025-01&to=2026-03', /from\.\.to/],
      ['?to=2999-01', /to must not be after the current month/],
    ];
    for (const [query, message] of cases) {
      const res = await get(base + query);
      expect({ query, status: res.status, message: res.body.message }).toEqual({ query, status: 400, message: expect.stringMatching(message) });
    }
    expect((await get(`/api/v1/reports/sla/routers/${new Types.ObjectId()}`)).status).toBe(404);
    expect((await get('/api/v1/reports/sla/subscribers/nope')).status).toBe(400);
    expect((await h.request('GET', base)).status).toBe(401);
  });

  it('documents every status the report operations answer', async () => {
    const doc = (await h.request('GET', '/api/docs-json')).body;
    for (const path of ['/api/v1/reports/sla/subscribers/{id}', '/api/v1/reports/sla/buildings/{id}', '/api/v1/reports/sla/routers/{id}']) {
      const op = doc.paths[path].get;
      expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '403', '404', '414']);
      expect(Object.keys(op.responses['200'].content).sort()).toEqual(['application/json', 'text/csv']);
    }
  });
});
