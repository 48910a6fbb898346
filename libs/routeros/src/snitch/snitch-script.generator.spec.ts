import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { WEBHOOK_TOKEN_HEADER } from '@isp/domain/events/webhook-events';
import { waitFor } from '../../../../test/support';
import { RouterConnectionPool } from '../pool/router-connection-pool';
import { RouterCommands } from '../commands/router-commands';
import { SimulatedRouter } from '@isp/routeros-testing';
import {
  dhcpLeaseScript,
  isManagedScript,
  netwatchDownScript,
  netwatchUpScript,
  parseSnitchMarker,
  pppOnDownScript,
  pppOnUpScript,
  rosString,
  SNITCH_DIALECTS,
  snitchDialect,
} from './snitch-script.generator';

const TOKEN = 'rt_650000000000000000000001_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';
const golden = (name: string) => readFileSync(join(__dirname, '__golden__', name), 'utf8');

describe('snitch script generator: golden text', () => {
  const base = { ingestBaseUrl: 'https://ingest.example.net/', token: TOKEN };
  const device = { host: '10.0.1.1', deviceName: 'Sector "A" \\ $1 ?' };
  it.each(SNITCH_DIALECTS)('the %s scripts match the golden files exactly', (dialect) => {
    const o = { ...base, dialect };
    expect(pppOnUpScript(o)).toBe(golden(`ppp-up.${dialect}.rsc`));
    expect(pppOnDownScript(o)).toBe(golden(`ppp-down.${dialect}.rsc`));
    expect(dhcpLeaseScript(o)).toBe(golden(`dhcp-lease.${dialect}.rsc`));
    expect(netwatchUpScript({ ...o, ...device })).toBe(golden(`netwatch-up.${dialect}.rsc`));
    expect(netwatchDownScript({ ...o, ...device })).toBe(golden(`netwatch-down.${dialect}.rsc`));
  });

  it('picks the dialect from the version the router reports', () => {
    expect(['6.40.9', '6.48.6', '6.49.10', '7.0.5', '7.10', '7.12.1', '7.13', '7.16 (stable)', '7.18.2', '8.1'].map(snitchDialect)).toEqual([
      'v6', 'v6', 'v6', 'v7-form', 'v7-form', 'v7-form', 'v7-json', 'v7-json', 'v7-json', 'v7-json',
    ]);
    expect([undefined, '', 'unknown'].map(snitchDialect)).toEqual([undefined, undefined, undefined]);
  });

  it('marks what it generates so the reconciler can recognise its own scripts', () => {
    const s = pppOnUpScript({ ...base, dialect: 'v7-json' as const });
    expect(parseSnitchMarker(s)).toEqual({ kind: 'ppp-up', version: 1 });
    expect(isManagedScript(s)).toBe(true);
    expect(isManagedScript('/log info "hello"')).toBe(false);
  });

  it('wraps every fetch so a failure cannot abort the router work', () => {
    for (const s of [pppOnUpScript({ ...base, dialect: 'v6' as const }), dhcpLeaseScript({ ...base, dialect: 'v7-json' as const })]) {
      expect(s.split('\n')[1]).toBe(':do {');
      expect(s.trimEnd().split('\n').pop()).toMatch(/^\} on-error=\{/);
    }
  });

  it('refuses values that would break out of the script', () => {
    expect(() => pppOnUpScript({ ...base, dialect: 'v7-json' as const, token: 'a,b' })).toThrow(/token/);
    expect(() => pppOnUpScript({ ...base, dialect: 'v7-json' as const, ingestBaseUrl: 'http://x/"$(' })).toThrow(/ingestBaseUrl/);
    expect(() => netwatchUpScript({ ...base, dialect: 'v7-json' as const, host: '1.2.3.4" ; /system reboot' })).toThrow(/host/);
    expect(rosString('a"b\\c$d?e\nf')).toBe('"a\\"b\\\\c\\$d\\?e\\nf"');
  });
});

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function startIngest(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.statusCode = 202;
      res.end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, received })));
}

function parseBody(r: Received): Record<string, string> {
  return String(r.headers['content-type']).includes('json') ? JSON.parse(r.body) : Object.fromEntries(new URLSearchParams(r.body));
}

// One simulated release per dialect: each router runs the scripts of its own dialect.
describe.each([
  ['6.49.10', 'v6'],
  ['7.10', 'v7-form'],
  ['7.16', 'v7-json'],
] as const)('snitch scripts installed in a RouterOS %s simulator (%s)', (version, dialect) => {
  let ingest: Awaited<ReturnType<typeof startIngest>>;
  let router: SimulatedRouter;
  let pool: RouterConnectionPool;
  let cmd: RouterCommands;
  const tricky = `o"brien\\x 00123`;

  beforeAll(async () => {
    ingest = await startIngest();
    router = await SimulatedRouter.start({
      version,
      pppRedialMs: null,
      devices: [
        { name: 'BH1', type: 'backhaul', ip: '10.0.0.1' },
        { name: 'Sector "A"', type: 'sector', ip: '10.0.1.1', parentIp: '10.0.0.1' },
        { name: 'ST1', type: 'station', ip: '10.0.10.1', parentIp: '10.0.1.1' },
      ],
    });
    pool = new RouterConnectionPool({ callTimeoutMs: 3000 });
    pool.register(router.endpoint());
    cmd = new RouterCommands(pool, router.id);

    // What the reconciler does: install the scripts through the API.
    const o = { ingestBaseUrl: ingest.url, token: TOKEN, dialect };
    const [profile] = await cmd.menu('/ppp/profile').print({ where: { name: 'default' }, proplist: ['.id'] });
    await cmd.menu('/ppp/profile').set(profile['.id'], { 'on-up': pppOnUpScript(o), 'on-down': pppOnDownScript(o) });
    const [server] = await cmd.menu('/ip/dhcp-server').print({ proplist: ['.id'] });
    await cmd.menu('/ip/dhcp-server').set(server['.id'], { 'lease-script': dhcpLeaseScript(o) });
    await cmd.menu('/tool/netwatch').add({ host: '10.0.1.1', 'up-script': netwatchUpScript({ ...o, host: '10.0.1.1', deviceName: 'Sector "A"' }), 'down-script': netwatchDownScript({ ...o, host: '10.0.1.1', deviceName: 'Sector "A"' }) });
    await cmd.menu('/ppp/secret').add({ name: tricky, password: 'p' });
  });
  afterAll(async () => {
    await pool.close();
    await router.stop();
    await new Promise((r) => ingest.server.close(r));
  });
  beforeEach(() => ingest.received.splice(0));

  it('PPP up and down POST the ppp-status body with the token header, a quote in the username intact', async () => {
    router.pppConnect(tricky);
    await waitFor(() => ingest.received.length === 1);
    router.pppDisconnect(tricky);
    await waitFor(() => ingest.received.length === 2);
    const [up, down] = ingest.received;
    expect(up.path).toBe('/api/webhooks/mikrotik/ppp-status');
    expect(up.headers[WEBHOOK_TOKEN_HEADER]).toBe(TOKEN);
    expect(parseBody(up)).toMatchObject({ event: 'up', user: tricky, iface: `<pppoe-${tricky}>` });
    expect(parseBody(up).address).toMatch(/^100\./);
    expect(parseBody(up).ts).toBeTruthy();
    expect(parseBody(down)).toMatchObject({ event: 'down', user: tricky });
  });

  it('kicking a session through the API runs on-down', async () => {
    router.pppConnect(tricky);
    await waitFor(() => ingest.received.length === 1);
    expect((await cmd.kick([tricky])).kicked).toBe(1);
    await waitFor(() => ingest.received.length === 2);
    expect(parseBody(ingest.received[1])).toMatchObject({ event: 'down', user: tricky });
    expect((await cmd.kick([tricky])).kicked).toBe(0);
  });

  it('DHCP bind and expiry POST the dhcp-lease body', async () => {
    router.leaseBind('02:00:00:00:00:01', '192.168.88.10', { hostname: 'cam "1"' });
    await waitFor(() => ingest.received.length === 1);
    router.leaseExpire('02:00:00:00:00:01');
    await waitFor(() => ingest.received.length === 2);
    expect(ingest.received[0].path).toBe('/api/webhooks/mikrotik/dhcp-lease');
    expect(parseBody(ingest.received[0])).toMatchObject({ bound: '1', mac: '02:00:00:00:00:01', ip: '192.168.88.10', server: 'dhcp1', hostname: 'cam "1"' });
    expect(parseBody(ingest.received[1])).toMatchObject({ bound: '0', mac: '02:00:00:00:00:01' });
  });

  it('Netwatch down and up POST the netwatch body, also when an ancestor is what failed', async () => {
    router.setDeviceUp('10.0.0.1', false); // the backhaul: the sector becomes unreachable
    await waitFor(() => ingest.received.length === 1);
    router.setDeviceUp('10.0.0.1', true);
    await waitFor(() => ingest.received.length === 2);
    expect(ingest.received[0].path).toBe('/api/webhooks/mikrotik/netwatch');
    expect(parseBody(ingest.received[0])).toMatchObject({ host: '10.0.1.1', status: 'down', name: 'Sector "A"' });
    expect(parseBody(ingest.received[1])).toMatchObject({ host: '10.0.1.1', status: 'up' });
    const [entry] = await cmd.menu('/tool/netwatch').print({ proplist: ['host', 'status'] });
    expect(entry).toEqual({ host: '10.0.1.1', status: 'up' });
  });

  it('follows /system script run indirection; a missing script or another URL sends nothing to ingest', async () => {
    const o = { ingestBaseUrl: ingest.url, token: TOKEN, dialect };
    const [profile] = await cmd.menu('/ppp/profile').print({ where: { name: 'default' }, proplist: ['.id'] });
    await cmd.menu('/system/script').add({ name: 'isp-ppp-up', source: pppOnUpScript(o) });
    await cmd.menu('/ppp/profile').set(profile['.id'], { 'on-up': '/system script run isp-ppp-up', 'on-down': '' });
    router.pppConnect(tricky);
    await waitFor(() => ingest.received.length === 1);
    expect(parseBody(ingest.received[0])).toMatchObject({ event: 'up', user: tricky });
    router.pppDisconnect(tricky); // on-down is empty: nothing

    await cmd.menu('/ppp/profile').set(profile['.id'], { 'on-up': '/system script run no-such-script' });
    router.pppConnect(tricky);
    router.pppDisconnect(tricky);
    await cmd.menu('/ppp/profile').set(profile['.id'], { 'on-up': pppOnUpScript({ ...o, ingestBaseUrl: 'http://127.0.0.1:9' }) });
    router.pppConnect(tricky);
    await router.settled();
    expect(ingest.received).toHaveLength(1);
    expect(router.webhooks.at(-1)).toMatchObject({ url: 'http://127.0.0.1:9/api/webhooks/mikrotik/ppp-status' });
    expect(router.webhooks.at(-1)?.error).toBeTruthy();
  });
});
