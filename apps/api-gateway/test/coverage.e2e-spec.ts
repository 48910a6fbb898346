// Issue 14's coverage report, end to end: every app running against simulated routers, the
// report read over HTTP. Router passes are run in-process (there is no HTTP trigger for one) and
// so is the silence check, so "reported once" is counted over two checks, not over a wait.
import { DeviceRepository, SubscriberRepository } from '@isp/data';
import { RouterConnectionPool } from '@isp/routeros';
import { SimulatedRouter } from '@isp/routeros-testing';
import { waitFor } from '../../../test/support';
import { RouterSilenceService } from '../../diagnostics/src/heartbeat/router-silence.service';
import { ReconcileService } from '../../provisioning/src/reconcile/reconcile.service';
import { simWrites } from '../../provisioning/test/provisioning-harness';
import { startFullStack, type FullStack } from './full-stack-harness';

const SILENT_AFTER_MS = 4000;
const SECTOR = '10.30.1.1';
const STATION = '10.30.11.1';
const GINA = '10.30.11.50';
const OPERATOR_ON_UP = ':log info ("operator on-up: " . $user)';

describe('coverage report: what is monitored and what is not', () => {
  let s: FullStack;
  let quiet: SimulatedRouter;
  const older: SimulatedRouter[] = [];
  let pool: RouterConnectionPool;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    s = await startFullStack({
      name: 'coverage',
      // The silence check runs when the spec says (a long interval keeps the scheduler out of the way).
      diagnostics: { ROUTER_SILENT_AFTER_MS: String(SILENT_AFTER_MS), ROUTER_SILENCE_CHECK_INTERVAL_MS: '3600000' },
      gateway: { ROUTER_SILENT_AFTER_MS: String(SILENT_AFTER_MS) },
    });
    quiet = await SimulatedRouter.start({ name: 'edge-quiet', version: '7.10', pppRedialMs: null });
    pool = new RouterConnectionPool();
    pool.register(s.sim.endpoint());
  }, 60000);

  afterAll(async () => {
    await pool?.close();
    await s?.close();
    await quiet?.stop();
    await Promise.all(older.map((o) => o.stop()));
  }, 30000);

  const api = (method: string, url: string, body?: unknown, token?: string) => s.request(method, url, body, token);
  const pass = (routerId: string) => s.provisioning.get(ReconcileService).reconcileRouter(routerId);
  const coverage = async (routerId: string) => {
    const r = await api('GET', `/api/v1/routers/${routerId}/coverage`);
    expect(r.status).toBe(200);
    return r.body;
  };

  it('a router registered without a version is covered after its first pass: version observed, scripts of its dialect verified', async () => {
    // The operator had their own on-up on the profile before this system came.
    const profile = s.sim.table('/ppp/profile').find((p) => p.name === 'default')!;
    await pool.execute(s.sim.id, ['/ppp/profile/set', `=.id=${profile['.id']}`, `=on-up=${OPERATOR_ON_UP}`]);
    s.sim.addDevice({ name: 'sector-c', type: 'sector', ip: SECTOR });
    s.sim.addDevice({ name: 'station-c1', type: 'station', ip: STATION, parentIp: SECTOR });
    ids.building = (await api('POST', '/api/v1/buildings', { name: 'Torre Sur', code: 'TS', address: 'Calle 1' })).body.id;
    const router = await api('POST', '/api/v1/routers', { name: 'core-ts', host: s.sim.host, apiPort: s.sim.port, apiUser: s.sim.user, apiPassword: s.sim.password, building: ids.building, role: 'core' });
    expect(router.status).toBe(201);
    ids.router = router.body.id;
    for (const [name, deviceType, ipAddress] of [['sector-c', 'sector', SECTOR], ['station-c1', 'station', STATION]]) {
      const d = await api('POST', '/api/v1/devices', { name, deviceType, ipAddress, router: ids.router, ...(name === 'station-c1' && { parent: ids['sector-c'] }) });
      expect(d.status).toBe(201);
      ids[name] = d.body.id;
    }
    const sub = await api('POST', '/api/v1/subscribers', { username: 'erin', password: 'pw-erin', router: ids.router, profile: 'default' });
    expect(sub.status).toBe(201);
    await s.settle('first passes');
    await pass(ids.router);
    const c = await coverage(ids.router);
    expect(c).toMatchObject({ name: 'core-ts', verdict: 'covered', reasons: [], rosVersion: s.sim.version, scriptDialect: 'v7-json', scriptsMissing: [], devicesWithoutNetwatch: [], subscribersWithoutStatusSource: [], namesRefused: [] });
    expect(c.rosVersionObservedAt).toBeDefined();
    expect(c.scriptsVerifiedAt).toBeDefined();
    expect(c.lastReconcileAt).toBeDefined();
  });

  it.each([
    ['6.48.6', 'v6', 'keep-result=no'],
    ['7.10', 'v7-form', 'output=none'],
  ])('a %s router registered without a version gets %s scripts after its first pass, and its PPP, DHCP and Netwatch events reach ingest', async (version, dialect, tail) => {
    const n = older.length + 1;
    const sim = await SimulatedRouter.start({ name: `edge-old-${n}`, version, pppRedialMs: null });
    older.push(sim);
    const r = await api('POST', '/api/v1/routers', { name: `edge-old-${n}`, host: sim.host, apiPort: sim.port, apiUser: sim.user, apiPassword: sim.password, building: ids.building, role: 'edge' });
    expect(r.status).toBe(201);
    expect(r.body.rosVersion).toBeUndefined();
    const id = r.body.id;
    const sectorIp = `10.40.${n}.1`;
    sim.addDevice({ name: `sector-old-${n}`, type: 'sector', ip: sectorIp });
    expect((await api('POST', '/api/v1/devices', { name: `sector-old-${n}`, deviceType: 'sector', ipAddress: sectorIp, router: id })).status).toBe(201);
    expect((await api('POST', '/api/v1/subscribers', { username: `olduser${n}`, password: 'pw-old', router: id, profile: 'default' })).status).toBe(201);
    // The passes its creation queued (no explicit pass here): the version read there picks the dialect.
    await s.settle('older router provisioned');
    const onUp = sim.table('/ppp/profile').find((p) => p.name === 'default')!['on-up'];
    expect(onUp).toContain(tail);
    expect(onUp).not.toContain(':serialize');
    expect(sim.table('/tool/netwatch').find((w) => w.host === sectorIp)!['down-script']).toContain(tail);
    expect(await coverage(id)).toMatchObject({ rosVersion: version, scriptDialect: dialect, verdict: 'covered' });

    expect(sim.pppConnect(`olduser${n}`)).toBe(true);
    sim.leaseBind('02:00:00:00:40:01', `10.41.${n}.9`);
    sim.setDeviceUp(sectorIp, false);
    await sim.settled();
    expect(sim.scriptFailures).toEqual([]);
    expect(sim.webhooks.map((w) => w.status)).toEqual([202, 202, 202]);
    await waitFor(async () => Object.keys((await coverage(id)).lastWebhookAt).sort().join() === 'dhcp-lease,netwatch,ppp-status', { timeoutMs: 20000, message: `${version}: a webhook of every kind recorded` });
    sim.setDeviceUp(sectorIp, true);
    await s.settle('older router settled');
  });

  it("an operator's existing on-up script survives two reconcile passes, ours beside it in a marked block, and its PPP events arrive", async () => {
    const onUp = () => s.sim.table('/ppp/profile').find((p) => p.name === 'default')!['on-up'];
    const first = onUp();
    expect(first).toMatch(/^# isp-netops begin\n# managed-by=isp-netops kind=ppp-up[^]*\n# isp-netops end\n/);
    expect(first.endsWith(`\n${OPERATOR_ON_UP}`)).toBe(true);
    const writes = () => simWrites(s.sim);
    for (let i = 0; i < 2; i++) {
      const before = writes();
      const report = await pass(ids.router);
      expect(report).toMatchObject({ conflicts: [], scriptsRepaired: 0 });
      expect(writes()).toBe(before);
      expect(onUp()).toBe(first);
    }
    expect((await coverage(ids.router)).verdict).toBe('covered');
    expect(s.sim.pppConnect('erin')).toBe(true);
    expect(s.sim.scriptFailures).toEqual([]);
    await waitFor(async () => (await coverage(ids.router)).lastWebhookAt['ppp-status'], { timeoutMs: 20000, message: "erin's PPP events reach ingest through the shared on-up" });
  });

  it('keeps the last webhook received per kind', async () => {
    s.sim.setDeviceUp(STATION, false);
    await waitFor(async () => (await coverage(ids.router)).lastWebhookAt.netwatch, { timeoutMs: 20000, message: 'a Netwatch webhook recorded' });
    s.sim.setDeviceUp(STATION, true);
    await s.settle('station back');
    const c = await coverage(ids.router);
    expect(new Date(c.lastWebhookAt['ppp-status']).getTime()).toBeLessThan(new Date(c.lastWebhookAt.netwatch).getTime());
    expect(new Date(c.lastWebhookAt.netwatch).getTime()).toBeGreaterThan(Date.now() - 60000);
  });

  it("a static subscriber without DHCP gets a Netwatch entry on its address, and its outage is detected", async () => {
    s.sim.addDevice({ name: 'cpe-gina', type: 'station', ip: GINA, parentIp: STATION });
    const gina = await api('POST', '/api/v1/subscribers', { username: 'gina', router: ids.router, station: ids['station-c1'], serviceType: 'static', staticIp: GINA });
    expect(gina.status).toBe(201);
    ids.gina = gina.body.id;
    await s.settle('gina provisioned');
    await pass(ids.router);
    expect(s.sim.table('/tool/netwatch').find((n) => n.host === GINA)).toMatchObject({ comment: expect.stringContaining(`:user:${ids.gina}`), interval: expect.any(String) });
    const c = await coverage(ids.router);
    expect(c.subscribersWithoutStatusSource).toEqual([]);
    expect(c.verdict).toBe('covered');
    const state = async () => (await api('GET', `/api/v1/subscribers/${ids.gina}/status`)).body.state;
    s.sim.setDeviceUp(GINA, false);
    await waitFor(async () => (await state()) === 'DOWN', { timeoutMs: 20000, message: "gina's outage detected through Netwatch" });
    s.sim.setDeviceUp(GINA, true);
    await waitFor(async () => (await state()) === 'UP', { timeoutMs: 20000, message: 'gina back up through Netwatch' });
    await s.settle('gina settled');
  });

  it('a router whose scripts are removed by hand is degraded in the report; the next pass repairs them and finds them intact', async () => {
    const profile = s.sim.table('/ppp/profile').find((p) => p.name === 'default')!;
    const station = s.sim.table('/tool/netwatch').find((n) => n.host === STATION)!;
    await pool.execute(s.sim.id, ['/ppp/profile/set', `=.id=${profile['.id']}`, '=on-up=']);
    await pool.execute(s.sim.id, ['/tool/netwatch/remove', `=.id=${station['.id']}`]);
    await pass(ids.router);
    const c = await coverage(ids.router);
    expect(c.verdict).toBe('degraded');
    expect(c.scriptsMissing).toEqual(expect.arrayContaining(['profile default: on-up', 'netwatch station-c1']));
    expect(c.reasons.join('\n')).toMatch(/found 2 snitch script\(s\) missing/);
    // Rewritten by that pass: the next one finds nothing missing.
    expect(s.sim.table('/ppp/profile').find((p) => p.name === 'default')!['on-up']).toContain('ppp-status');
    expect(s.sim.table('/tool/netwatch').some((n) => n.host === STATION)).toBe(true);
    await pass(ids.router);
    expect(await coverage(ids.router)).toMatchObject({ verdict: 'covered', scriptsMissing: [] });
  });

  it('lists the names with control characters and the subscribers without a status source', async () => {
    // Records from before the API refused such names: inserted below the API.
    const bad = await s.gateway.get(DeviceRepository).create({ name: 'old\tsector', deviceType: 'sector', ipAddress: '10.30.9.9', router: ids.router as never, building: ids.building as never });
    const stat = await s.gateway.get(SubscriberRepository).create({ username: 'frank', router: ids.router as never, building: ids.building as never, serviceType: 'static' });
    const c = await coverage(ids.router);
    expect(c.verdict).toBe('degraded');
    expect(c.namesRefused).toEqual([{ kind: 'device', id: String(bad._id), field: 'name', value: 'old\\u0009sector' }]);
    expect(c.subscribersWithoutStatusSource).toEqual([{ id: String(stat._id), name: 'frank', why: 'static subscriber without an address: nothing to watch' }]);
    expect(c.devicesWithoutNetwatch.map((d: { name: string }) => d.name)).toEqual(['old\tsector']);
    const all = await api('GET', '/api/v1/coverage');
    expect(all.status).toBe(200);
    expect(all.body.routers.find((r: { id: string }) => r.id === ids.router).verdict).toBe('degraded');
    expect(all.body.silentAfterMs).toBe(SILENT_AFTER_MS);
  });

  it('a router that stops sending and answering is reported silent once, and cleared when it speaks again', async () => {
    const r = await api('POST', '/api/v1/routers', { name: 'edge-quiet', host: quiet.host, apiPort: quiet.port, apiUser: quiet.user, apiPassword: quiet.password, building: ids.building, role: 'edge' });
    expect(r.status).toBe(201);
    ids.quiet = r.body.id;
    await s.settle('edge router first pass');
    await quiet.setRouterDown(true);
    await waitFor(async () => (await coverage(ids.quiet)).verdict === 'silent', { timeoutMs: 20000, intervalMs: 250, message: 'the report calls the router silent' });
    expect((await coverage(ids.quiet)).reasons).toEqual([`no webhook and no API answer for ${SILENT_AFTER_MS / 1000} s`]);

    const silence = s.diagnostics.get(RouterSilenceService);
    await silence.check();
    await silence.check();
    const notices = async (state: string) =>
      ((await api('GET', `/api/v1/incidents?state=${state}`)).body.items as { rootCause: { id: string; type: string }; level: number }[]).filter((i) => i.rootCause.id === ids.quiet);
    const open = await notices('open');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ level: 3, rootCause: { type: 'router-silent' } });

    await quiet.setRouterDown(false);
    // The pool's breaker still holds the failures of moments ago: the pass succeeds once it lets go.
    await waitFor(() => pass(ids.quiet).then(() => true, () => false), { timeoutMs: 15000, intervalMs: 200, message: 'a router pass reaches the router again' });
    expect((await coverage(ids.quiet)).verdict).not.toBe('silent');
    expect((await silence.check()).cleared).toBeGreaterThanOrEqual(1);
    expect(await notices('open')).toHaveLength(0);
  });

  it('the per-router report is scope-checked: a technician of another building is refused', async () => {
    const other = (await api('POST', '/api/v1/buildings', { name: 'Otra', code: 'OT', address: 'x' })).body.id;
    const user = await api('POST', '/api/v1/users', { email: 'tech@isp.test', password: 'technician password 1', role: 'technician', buildings: [other] });
    expect(user.status).toBe(201);
    const login = await api('POST', '/api/v1/auth/login', { email: 'tech@isp.test', password: 'technician password 1' });
    const token = String(login.body.accessToken);
    expect((await api('GET', `/api/v1/routers/${ids.router}/coverage`, undefined, token)).status).toBe(403);
    expect((await api('GET', '/api/v1/coverage', undefined, token)).status).toBe(403);
  });
});
