import { RouterCommands, RouterConnectionPool, dhcpLeaseScript, netwatchDownScript, netwatchUpScript, pppOnDownScript, pppOnUpScript, snitchDialect } from '@isp/routeros';
import { SimulatedRouter } from '@isp/routeros-testing';
import { WebhookKind } from '@isp/domain';
import { testMongoUrl, testQueuePrefix, testRedisUrl, waitFor } from '../../../test/support';
import { seedRouter, startIngest, statusJobs, type Harness } from './ingest-harness';

/**
 * The other side of the contract: the snitch scripts libs/routeros generates, installed over the
 * RouterOS API on the simulator and run by it on PPP, DHCP and Netwatch events, reach ingest and
 * become jobs with the right content, for v7 (JSON) and v6 (form fields) routers alike.
 */
describe('snitch scripts from the simulator arrive as status-event jobs (e2e)', () => {
  let h: Harness;
  const pool = new RouterConnectionPool({ callTimeoutMs: 5000 });
  const sims: SimulatedRouter[] = [];

  beforeAll(async () => {
    h = await startIngest({ MONGO_URL: testMongoUrl('ingest-simulator'), REDIS_URL: testRedisUrl(), QUEUE_PREFIX: testQueuePrefix('ingest-simulator') });
  });
  afterAll(async () => {
    await pool.close();
    await Promise.all(sims.map((s) => s.stop()));
    await h?.close();
  });

  // Form dialects url-encode the bytes of RouterOS strings (win1252), so a Latin accent travels as
  // %E9 and comes back; 7.13+ serializes JSON. Each release gets the dialect it reports.
  it.each([
    ['7.16', `o'brien "x" ü`],
    ['7.10', `o'brien "x" ü & co=1`],
    ['6.49.10', `o'brien "x" & co=1`],
    ['6.48.6', 'josé peña'],
  ])('RouterOS %s', async (version, user) => {
    const seeded = await seedRouter(h);
    const sim = await SimulatedRouter.start({ id: seeded.id, version, token: seeded.token, pppRedialMs: null });
    sims.push(sim);
    pool.register(sim.endpoint());
    const cmd = new RouterCommands(pool, sim.id);
    const dialect = snitchDialect((await cmd.resource()).version)!;
    const opts = { ingestBaseUrl: h.url, token: seeded.token, dialect };

    // What provisioning installs: PPP profile hooks, the DHCP lease script, a Netwatch entry.
    const [profile] = (await cmd.menu('/ppp/profile').print()).filter((p) => p.name === 'default');
    await cmd.menu('/ppp/profile').set(profile['.id'], { 'on-up': pppOnUpScript(opts), 'on-down': pppOnDownScript(opts) });
    const [server] = await cmd.menu('/ip/dhcp-server').print();
    await cmd.menu('/ip/dhcp-server').set(server['.id'], { 'lease-script': dhcpLeaseScript(opts) });
    sim.addDevice({ name: 'Sector A', type: 'sector', ip: '10.10.0.2' });
    const sector = { ...opts, host: '10.10.0.2', deviceName: 'Sector A' };
    await cmd.menu('/tool/netwatch').add({ host: '10.10.0.2', name: 'Sector A', 'up-script': netwatchUpScript(sector), 'down-script': netwatchDownScript(sector) });

    // A username with quotes (and & = for the form body) travels as data.
    sim.addSubscriber({ username: user, password: 'pw', address: '100.64.1.9', mac: '02:AA:BB:CC:DD:01' });
    sim.pppDisconnect(user);
    sim.leaseBind('02:aa:bb:cc:dd:02', '10.20.0.15', { hostname: 'phone' });
    sim.setDeviceUp('10.10.0.2', false);
    await sim.settled();

    expect(sim.webhooks.map((w) => w.status)).toEqual([202, 202, 202, 202]);
    const jobs = await waitFor(async () => {
      const js = await statusJobs(h, seeded.id);
      return js.length === 4 ? js : null;
    });
    const bySource = (source: string, event: string) => jobs.find((j) => j.data.source === source && j.data.event === event)?.data;
    expect(bySource(WebhookKind.PPP, 'up')).toMatchObject({
      routerId: seeded.id,
      subject: { kind: 'ppp', username: user },
      details: { address: '100.64.1.9', callerId: '02:AA:BB:CC:DD:01', iface: `<pppoe-${user}>` },
      routerTime: expect.any(String),
    });
    expect(bySource(WebhookKind.PPP, 'down')).toMatchObject({ subject: { kind: 'ppp', username: user } });
    expect(bySource(WebhookKind.DHCP, 'up')).toMatchObject({ subject: { kind: 'dhcp', mac: '02:AA:BB:CC:DD:02', ip: '10.20.0.15' }, details: { hostname: 'phone' } });
    expect(bySource(WebhookKind.NETWATCH, 'down')).toMatchObject({ subject: { kind: 'netwatch', host: '10.10.0.2' }, details: { name: 'Sector A' } });
    // The router's clock is believed (it is ours here): the event time is the router time.
    for (const j of jobs) expect(Math.abs(Date.parse(j.data.at) - Date.parse(j.data.receivedAt))).toBeLessThan(5000);
  });
});
