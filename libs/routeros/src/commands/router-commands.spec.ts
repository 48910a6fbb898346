import { waitFor } from '../../../../test/support';
import { SimulatedRouter } from '@isp/routeros-testing';
import { RouterConnectionPool } from '../pool/router-connection-pool';
import { RouterCommands, parsePingReplies } from './router-commands';
import { parseRouterOsDuration, formatPingTime } from './duration';

describe('parseRouterOsDuration', () => {
  it.each([
    ['1ms164us', 1.164],
    ['10ms', 10],
    ['27699us', 27.699],
    ['164us', 0.164],
    ['1s', 1000],
    ['1m30s', 90_000],
    ['1w2d3h4m5s', ((7 + 2) * 86400 + 3 * 3600 + 4 * 60 + 5) * 1000],
    ['2d03:04:05', (2 * 86400 + 3 * 3600 + 4 * 60 + 5) * 1000],
    ['500ns', 0.0005],
  ])('%s -> %s ms', (text, ms) => expect(parseRouterOsDuration(text)).toBe(ms));

  it.each(['', 'abc', '10 ms', undefined])('rejects %p', (text) => expect(parseRouterOsDuration(text)).toBeUndefined());

  it('formats what it parses (simulator side)', () => {
    expect(formatPingTime(1.164, 7)).toBe('1ms164us');
    expect(formatPingTime(0.164, 7)).toBe('164us');
    expect(formatPingTime(10.4, 6)).toBe('10ms');
  });
});

describe('parsePingReplies', () => {
  it('takes the totals from the last !re', () => {
    const r = parsePingReplies('10.0.0.1', [
      { seq: '0', host: '10.0.0.1', time: '1ms164us', sent: '1', received: '1', 'packet-loss': '0', 'min-rtt': '1ms164us', 'avg-rtt': '1ms164us', 'max-rtt': '1ms164us' },
      { seq: '1', host: '10.0.0.1', status: 'timeout', sent: '2', received: '1', 'packet-loss': '50', 'min-rtt': '1ms164us', 'avg-rtt': '1ms164us', 'max-rtt': '1ms164us' },
    ]);
    expect(r).toMatchObject({ sent: 2, received: 1, lossPercent: 50, avgRttMs: 1.164, reachable: true });
    expect(r.probes).toEqual([{ seq: 0, timeMs: 1.164, status: undefined }, { seq: 1, timeMs: undefined, status: 'timeout' }]);
  });

  it('has no RTTs when nothing came back', () => {
    const r = parsePingReplies('10.0.0.9', [{ seq: '0', host: '10.0.0.9', status: 'timeout', sent: '1', received: '0', 'packet-loss': '100' }]);
    expect(r).toMatchObject({ sent: 1, received: 0, lossPercent: 100, reachable: false, avgRttMs: undefined });
  });
});

describe.each(['6.49.10', '7.18.2'])('RouterCommands against RouterOS %s', (version) => {
  let router: SimulatedRouter;
  let pool: RouterConnectionPool;
  let cmd: RouterCommands;
  beforeAll(async () => {
    router = await SimulatedRouter.start({
      version,
      pppRedialMs: 1,
      devices: [
        { name: 'BH', type: 'backhaul', ip: '10.0.0.1', latencyMs: 2 },
        { name: 'SEC', type: 'sector', ip: '10.0.1.1', parentIp: '10.0.0.1', latencyMs: 3 },
        { name: 'ST', type: 'station', ip: '10.0.10.1', parentIp: '10.0.1.1' },
      ],
      subscribers: [
        { username: 'alice', password: 'a', stationIp: '10.0.10.1', address: '100.64.0.2' },
        { username: 'bob', password: 'b', stationIp: '10.0.10.1', address: '100.64.0.3', online: false },
      ],
    });
    pool = new RouterConnectionPool({ callTimeoutMs: 5000 });
    pool.register(router.endpoint());
    cmd = new RouterCommands(pool, router.id);
  });
  afterAll(async () => {
    await pool.close();
    await router.stop();
  });

  it('pings an up host: every probe answered, RTTs parsed from this version\'s format', async () => {
    const r = await cmd.ping('10.0.10.1', { count: 3, intervalMs: 10 });
    expect(r).toMatchObject({ address: '10.0.10.1', sent: 3, received: 3, lossPercent: 0, reachable: true });
    expect(r.avgRttMs).toBeGreaterThan(0);
    expect(r.minRttMs! <= r.avgRttMs! && r.avgRttMs! <= r.maxRttMs!).toBe(true);
    expect(router.stats.commandsByPath['/ping']).toBeGreaterThan(0);
  });

  it('pings a down host and an impacted host (parent down): nothing answers', async () => {
    router.setDeviceUp('10.0.10.1', false);
    expect(await cmd.ping('10.0.10.1', { count: 2, intervalMs: 10 })).toMatchObject({ sent: 2, received: 0, lossPercent: 100, reachable: false });
    router.setDeviceUp('10.0.10.1', true);

    router.setDeviceUp('10.0.0.1', false);
    expect(await cmd.ping('10.0.10.1', { count: 2, intervalMs: 10 })).toMatchObject({ received: 0, reachable: false });
    expect(await cmd.ping('10.0.0.1', { count: 1, intervalMs: 10 })).toMatchObject({ received: 0, reachable: false });
    router.setDeviceUp('10.0.0.1', true);
    expect(await cmd.ping('10.0.10.1', { count: 1, intervalMs: 10 })).toMatchObject({ received: 1, reachable: true });
  });

  it('reports partial loss as a number', async () => {
    router.setHostLoss('10.0.1.1', 100);
    const r = await cmd.ping('10.0.10.1', { count: 2, intervalMs: 10 });
    expect(r.lossPercent).toBe(100);
    router.setHostLoss('10.0.1.1', 0);
  });

  it('batch-reads a menu with one print and a .proplist', async () => {
    // the outage in the ping test cut alice's session; her CPE redials when the path is back
    await waitFor(() => router.table('/ppp/active').length === 1);
    const before = router.stats.commands;
    const online = await cmd.menu('/ppp/active').print({ proplist: ['name', 'address'] });
    expect(online).toEqual([{ name: 'alice', address: '100.64.0.2' }]);
    const secrets = await cmd.menu('/ppp/secret').print({ proplist: ['name', 'disabled'] });
    expect(secrets).toEqual([
      { name: 'alice', disabled: 'false' },
      { name: 'bob', disabled: 'false' },
    ]);
    expect(router.stats.commands - before).toBe(2);
  });

  it('manages queues, address lists, netwatch, scripts and leases', async () => {
    const q = await cmd.menu('/queue/simple').add({ name: 'alice', target: '100.64.0.2/32', 'max-limit': '10M/50M', comment: 'isp-netops' });
    expect(await cmd.menu('/queue/simple').find({ name: 'alice' }, ['max-limit', 'comment'])).toEqual({ 'max-limit': '10M/50M', comment: 'isp-netops' });
    await cmd.menu('/queue/simple').set(q, { 'max-limit': '5M/20M' });
    expect((await cmd.menu('/queue/simple').find({ name: 'alice' }))?.['max-limit']).toBe('5M/20M');

    const e = await cmd.menu('/ip/firewall/address-list').add({ list: 'suspended', address: '100.64.0.2', comment: 'acct:1' });
    await expect(cmd.menu('/ip/firewall/address-list').add({ list: 'suspended', address: '100.64.0.2' })).rejects.toMatchObject({ trapMessage: 'failure: already have such entry' });
    await cmd.menu('/ip/firewall/address-list').remove(e);

    const s = await cmd.menu('/system/script').add({ name: 'hello', source: ':log info "hi"' });
    await cmd.runScript('hello');
    expect((await cmd.menu('/system/script').find({ name: 'hello' }, ['run-count']))?.['run-count']).toBe('1');
    await cmd.menu('/system/script').remove(s);

    router.leaseBind('02:00:00:00:00:09', '192.168.88.9');
    expect(await cmd.menu('/ip/dhcp-server/lease').print({ where: { 'mac-address': '02:00:00:00:00:09' }, proplist: ['address', 'status'] })).toEqual([{ address: '192.168.88.9', status: 'bound' }]);
    expect((await cmd.menu('/ip/dhcp-server').print({ proplist: ['name'] }))[0].name).toBe('dhcp1');
  });

  it('kicks a session by name; the subscriber redials as a new session', async () => {
    const [before] = await cmd.menu('/ppp/active').print({ where: { name: 'alice' }, proplist: ['.id'] });
    expect((await cmd.kick(['alice'])).kicked).toBe(1);
    const after = await waitFor(async () => (await cmd.menu('/ppp/active').print({ where: { name: 'alice' }, proplist: ['.id'] }))[0]);
    expect(after['.id']).not.toBe(before['.id']);
    expect((await cmd.kick(['nobody'])).kicked).toBe(0);
  });
});
