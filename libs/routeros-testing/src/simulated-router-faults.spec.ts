import { connect } from 'node:net';
import { RouterCommands, RouterConnectionPool, RouterLoginError, pppOnUpScript, pppOnDownScript, dhcpLeaseScript, type SnitchDialect } from '@isp/routeros';
import { waitFor } from '../../../test/support';
import { startControlServer, type ControlServer } from './control-server';
import { SimulatedNetwork } from './simulated-network';
import type { SimulatedRouter } from './simulated-router';
import { startWebhookSink } from './webhook-sink';
import { encodeSentence, SentenceDecoder } from './wire-protocol';

const TOKEN = 'rt_650000000000000000000001_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';

/** One simulated router behind the control server, its snitch scripts installed through the API. */
/** A one-router network whose PPP and DHCP scripts are in `dialect` (by default the major version's newest). */
async function setup(version: string, subscribers = 2, dialect?: SnitchDialect) {
  const sink = await startWebhookSink();
  const net = await SimulatedNetwork.start({
    generate: { routers: 1, sectorsPerRouter: 1, stationsPerSector: 1, subscribersPerStation: subscribers },
    version,
    router: { pppRedialMs: null },
  });
  const control = await startControlServer(net);
  const router = net.routers[0];
  // Short backoff: the tests take the router away and expect the pool to find it again quickly.
  const pool = new RouterConnectionPool({ callTimeoutMs: 2000, connectTimeoutMs: 500, backoffBaseMs: 20, backoffMaxMs: 50, breakerThreshold: 1000 });
  pool.register(router.endpoint());
  const cmd = new RouterCommands(pool, router.id);
  const o = { ingestBaseUrl: sink.url, token: TOKEN, dialect: dialect ?? (router.rosMajor === 6 ? 'v6' : 'v7-json') };
  const [profile] = await cmd.menu('/ppp/profile').print({ where: { name: 'default' }, proplist: ['.id'] });
  await cmd.menu('/ppp/profile').set(profile['.id'], { 'on-up': pppOnUpScript(o), 'on-down': pppOnDownScript(o) });
  const [server] = await cmd.menu('/ip/dhcp-server').print({ proplist: ['.id'] });
  await cmd.menu('/ip/dhcp-server').set(server['.id'], { 'lease-script': dhcpLeaseScript(o) });
  const fault = async (body: Record<string, unknown>) => {
    const res = await fetch(`${control.url}/fault`, { method: 'POST', body: JSON.stringify({ router: router.name, ...body }) });
    return { status: res.status, body: (await res.json()) as { ok: boolean; error?: string } };
  };
  const users = router.subscriberList().map((s) => s.username);
  const stop = async () => {
    await pool.close();
    await control.close();
    await net.stop();
    await sink.close();
  };
  return { sink, router, control: control as ControlServer, pool, cmd, fault, users, stop };
}

type Setup = Awaited<ReturnType<typeof setup>>;

describe('simulator faults through the control server', () => {
  let s: Setup;
  let router: SimulatedRouter;
  beforeAll(async () => {
    s = await setup('7.16');
    router = s.router;
    // The generated subscribers came up before the scripts were installed: start from offline.
    for (const u of s.users) router.pppDisconnect(u);
    await router.settled();
  });
  afterAll(() => s?.stop());
  beforeEach(async () => {
    await s.fault({ action: 'deliver-webhooks' });
    await s.fault({ action: 'release-webhooks' });
    await s.fault({ action: 'clock-offset', ms: 0 });
    s.sink.received.splice(0);
  });

  it('drop-webhooks {count, kind}: the next N POSTs of that kind are lost, other kinds and later ones arrive', async () => {
    const [u1] = s.users;
    expect((await s.fault({ action: 'drop-webhooks', count: 1, kind: 'ppp' })).status).toBe(200);
    router.leaseBind('02:00:00:00:00:0a', '192.168.88.20'); // dhcp: not the dropped kind
    router.pppConnect(u1); // ppp: dropped
    router.pppDisconnect(u1); // ppp: the count is used up
    await router.settled();
    const byPath = Object.fromEntries(s.sink.received.map((r, i) => [r.path, s.sink.parsed(i)]));
    expect(Object.keys(byPath).sort()).toEqual(['/api/webhooks/mikrotik/dhcp-lease', '/api/webhooks/mikrotik/ppp-status']);
    expect(s.sink.received).toHaveLength(2);
    expect(byPath['/api/webhooks/mikrotik/ppp-status']).toMatchObject({ event: 'down', user: u1 });
    // The script ran (it built its request); only the delivery was lost.
    const dropped = router.webhooks.filter((w) => w.dropped);
    expect(dropped).toHaveLength(1);
    expect(JSON.parse(dropped[0].body)).toMatchObject({ event: 'up', user: u1 });
  });

  it('drop-webhooks without arguments loses every POST until deliver-webhooks', async () => {
    const [u1, u2] = s.users;
    await s.fault({ action: 'drop-webhooks' });
    router.pppConnect(u1);
    router.pppConnect(u2);
    await router.settled();
    expect(s.sink.received).toHaveLength(0);
    await s.fault({ action: 'deliver-webhooks' });
    router.pppDisconnect(u1);
    await waitFor(() => s.sink.received.length === 1);
    expect(s.sink.parsed(0)).toMatchObject({ event: 'down', user: u1 });
    router.pppDisconnect(u2);
    await router.settled();
  });

  it('drop-webhooks refuses an unknown kind or a bad count with 400', async () => {
    expect(await s.fault({ action: 'drop-webhooks', kind: 'email' })).toEqual({ status: 400, body: { ok: false, error: 'kind must be one of ppp, dhcp, netwatch' } });
    expect((await s.fault({ action: 'drop-webhooks', count: 0 })).status).toBe(400);
  });

  it('hold-webhooks then release-webhooks {order: reverse}: the later event arrives first, each with the time its script ran', async () => {
    const [u1] = s.users;
    expect((await s.fault({ action: 'hold-webhooks' })).status).toBe(200);
    router.pppConnect(u1);
    router.pppDisconnect(u1);
    await router.settled();
    expect(s.sink.received).toHaveLength(0);
    expect(router.heldWebhooks).toBe(2);
    expect((await s.fault({ action: 'release-webhooks', order: 'sideways' })).status).toBe(400);
    expect((await s.fault({ action: 'release-webhooks', order: 'reverse' })).status).toBe(200);
    expect(s.sink.received.map((_, i) => s.sink.parsed(i).event)).toEqual(['down', 'up']);
    expect(router.heldWebhooks).toBe(0);
    // Released: the next POST leaves at once.
    router.pppConnect(u1);
    await waitFor(() => s.sink.received.length === 3);
    router.pppDisconnect(u1);
    await router.settled();
  });

  it('clock-offset shifts the timestamps the router puts in its events', async () => {
    const [u1] = s.users;
    const offset = 3 * 3600_000;
    expect((await s.fault({ action: 'clock-offset', ms: offset })).status).toBe(200);
    router.pppConnect(u1);
    await waitFor(() => s.sink.received.length === 1);
    // v7 sends local "YYYY-MM-DD HH:MM:SS"; Date parses that form as local time.
    const ts = new Date(s.sink.parsed(0).ts).getTime();
    expect(Math.abs(ts - (Date.now() + offset))).toBeLessThan(5000);
    await s.fault({ action: 'clock-offset', ms: 0 });
    router.pppDisconnect(u1);
    await waitFor(() => s.sink.received.length === 2);
    expect(Math.abs(new Date(s.sink.parsed(1).ts).getTime() - Date.now())).toBeLessThan(5000);
    expect((await s.fault({ action: 'clock-offset', ms: 'soon' })).body.error).toBe('clock-offset: "ms" must be a number');
  });
});

describe('simulator faults through the RouterOS API client', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup('7.16');
  });
  afterAll(() => s?.stop());

  it('refuse-login: the API login gets RouterOS\'s wrong-password trap until accept-login', async () => {
    const { router, fault } = s;
    await fault({ action: 'refuse-login' });
    s.pool.register({ ...router.endpoint(), id: 'fresh' }); // a new connection has to log in
    const fresh = new RouterCommands(s.pool, 'fresh');
    await expect(fresh.identity()).rejects.toBeInstanceOf(RouterLoginError);
    expect(router.stats.loginFailures).toBeGreaterThan(0);

    // On the wire: the trap text a real router sends for a bad user or password.
    const words = await new Promise<string[][]>((resolve, reject) => {
      const sock = connect(router.port, router.host, () => sock.write(encodeSentence(['/login', `=name=${router.user}`, `=password=${router.password}`])));
      const dec = new SentenceDecoder();
      const got: string[][] = [];
      sock.on('data', (c) => {
        got.push(...dec.push(c));
        if (got.some((w) => w[0] === '!done')) {
          sock.destroy();
          resolve(got);
        }
      });
      sock.on('error', reject);
    });
    expect(words[0]).toEqual(['!trap', '=message=invalid user name or password (6)']);

    await fault({ action: 'accept-login' });
    await waitFor(() => fresh.identity().then((n) => n === router.name), { message: 'login accepted again' });
  });

  it('reboot: API and forwarding down for the given time, then every subscriber dials in again (on-up, no on-down)', async () => {
    const { router, cmd, sink, fault, users } = s;
    const station = router.deviceList().find((d) => d.type === 'station')!;
    await waitFor(async () => (await cmd.menu('/ppp/active').print({ proplist: ['name'] })).length === users.length);
    await router.settled();
    sink.received.splice(0);
    // Old enough that a restarted uptime is visibly smaller (uptime has whole seconds).
    const before = await waitFor(async () => {
      const r = await cmd.resource();
      return r.uptimeMs! >= 2000 ? r : undefined;
    });

    expect((await fault({ action: 'reboot', ms: 600 })).status).toBe(200);
    expect(router.rebooting).toBe(true);
    expect(router.isReachable(station.ip)).toBe(false);
    expect(router.table('/ppp/active')).toHaveLength(0);
    await expect(cmd.identity()).rejects.toMatchObject({ kind: expect.stringMatching(/unreachable|timeout/) });

    await waitFor(() => cmd.identity().then(() => true), { timeoutMs: 5000, message: 'API back after the reboot' });
    expect(router.rebooting).toBe(false);
    expect(router.isReachable(station.ip)).toBe(true);
    const after = await cmd.resource();
    expect(after.uptimeMs!).toBeLessThan(before.uptimeMs!); // uptime started again
    expect((await cmd.menu('/ppp/active').print({ proplist: ['name'] })).map((r) => r.name).sort()).toEqual([...users].sort());
    await waitFor(() => sink.received.length === users.length);
    await router.settled();
    expect(sink.received.map((_, i) => sink.parsed(i).event)).toEqual(users.map(() => 'up'));
    expect(sink.received.map((_, i) => sink.parsed(i).user).sort()).toEqual([...users].sort());
  });

  it('reboot needs a duration', async () => {
    expect(await s.fault({ action: 'reboot' })).toEqual({ status: 400, body: { ok: false, error: 'reboot needs "ms"' } });
  });
});

describe('simulator version mode', () => {
  const setups: Setup[] = [];
  afterAll(() => Promise.all(setups.map((x) => x.stop())));

  it.each([
    ['6.48.6', 6],
    ['7.10', 7],
    ['7.16', 7],
  ] as const)('%s: /system/resource/print reports version, board and architecture', async (version, major) => {
    const s = await setup(version, 0);
    setups.push(s);
    const res = await s.cmd.resource();
    expect(res).toMatchObject({ version: `${version} (stable)`, major, boardName: 'CHR', architectureName: 'x86_64' });
  });

  it('a v7 script using :serialize is refused by 7.10 (added in 7.13) and runs on 7.16', async () => {
    const old = await setup('7.10', 1);
    const recent = await setup('7.16', 1);
    setups.push(old, recent);
    for (const x of [old, recent]) {
      x.router.pppDisconnect(x.users[0]);
      x.router.pppConnect(x.users[0]);
      await x.router.settled();
    }
    expect(recent.sink.received).toHaveLength(2);
    expect(recent.router.scriptFailures).toHaveLength(0);
    expect(old.sink.received).toHaveLength(0);
    expect(old.router.scriptFailures.map((f) => [f.kind, f.error])).toEqual([
      ['ppp', 'bad command name serialize (RouterOS 7.10; needs 7.13+)'],
      ['ppp', 'bad command name serialize (RouterOS 7.10; needs 7.13+)'],
    ]);
  });

  it('the v7-form dialect (no :serialize) runs on 7.10 and its form body arrives', async () => {
    const s = await setup('7.10', 1, 'v7-form');
    setups.push(s);
    s.router.pppDisconnect(s.users[0]);
    await waitFor(() => s.sink.received.length === 1);
    expect(s.router.scriptFailures).toHaveLength(0);
    expect(s.sink.received[0].contentType).toBe('application/x-www-form-urlencoded');
    expect(s.sink.parsed(0)).toMatchObject({ event: 'down', user: s.users[0] });
  });

  it('a v6 script runs on 6.48.6', async () => {
    const s = await setup('6.48.6', 1);
    setups.push(s);
    s.router.pppDisconnect(s.users[0]);
    await waitFor(() => s.sink.received.length === 1);
    expect(s.sink.parsed(0)).toMatchObject({ event: 'down', user: s.users[0] });
  });
});
