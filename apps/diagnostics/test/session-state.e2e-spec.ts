// A subscriber's session facts and suspension, end to end through diagnostics: status events on
// monitoring-queue, the simulated router answering the probes and Live Check (issue 19, defects
// 10 and 11). Lost events healed from /ppp/active run in the scenario matrix (scenario 15).
import { QueueEvents } from 'bullmq';
import { redisOptionsFromUrl, requestLiveCheck } from '@isp/platform';
import { testRedisUrl, waitFor } from '../../../test/support';
import { DiagnosticsHarness } from './diagnostics-harness';

const h = new DiagnosticsHarness('diagnostics-session');
const user = (name: string) => h.repos.subscribers.findById(h.users.get(name)!);

beforeAll(async () => {
  await h.start();
  await h.addRouter('core-s', 'S1');
  await h.addDevice('core-s', 'sector-s', 'sector', '10.7.0.1');
  await h.addDevice('core-s', 'st-s0', 'station', '10.7.1.10', 'sector-s');
  await h.addSubscribers('core-s', 'st-s0', ['pat', 'sam', 'lee']);
  await h.startApp();
}, 120000);

afterAll(() => h.stop(), 60000);

describe('session facts and suspension', () => {
  it("an UP stores the session's address and caller id (status read), and Live Check pings that address from the router", async () => {
    const events = new QueueEvents('live-check', { connection: redisOptionsFromUrl(testRedisUrl()), prefix: h.prefix });
    await events.waitUntilReady();
    try {
      const target = { kind: 'subscriber' as const, id: h.users.get('pat')! };
      // No address yet: nothing to ping, the stored state is all there is.
      const before = await requestLiveCheck(h.liveCheck, events, target);
      expect(before.hops[3]).toMatchObject({ name: 'pat', detail: 'from the last session event' });

      // The PPPoE session's CPE answers behind the station (in the simulator only: the database knows just the station).
      h.routers.get('core-s')!.sim.addDevice({ name: 'pat-cpe', type: 'station', ip: '100.64.7.9', parentIp: '10.7.1.10' });
      await h.fire('core-s', [{ username: 'pat', event: 'up', details: { address: '100.64.7.9', callerId: 'DE:AD:BE:EF:00:07', iface: '<pppoe-pat>' } }]);
      const status = await waitFor(async () => {
        const s = await h.repos.subscribers.findStatus(h.users.get('pat')!);
        return s?.currentAddress ? s : null;
      });
      expect(status).toMatchObject({ currentAddress: '100.64.7.9', callerId: 'DE:AD:BE:EF:00:07' });

      const after = await requestLiveCheck(h.liveCheck, events, target);
      expect(after.hops[3]).toMatchObject({ name: 'pat', state: 'UP' });
      expect(after.hops[3].rttMs).toBeDefined();
      // The address is the session's: when its CPE stops answering, so does the hop.
      h.routers.get('core-s')!.sim.setDeviceUp('100.64.7.9', false);
      const gone = await requestLiveCheck(h.liveCheck, events, target);
      expect(gone.hops[3]).toMatchObject({ name: 'pat', state: 'DOWN' });
    } finally {
      await events.close();
    }
  });

  it('a suspended subscriber whose session ends is SUSPENDED: no downtime log, no Level 1 notice; its walled-garden session keeps it SUSPENDED', async () => {
    const id = h.users.get('sam')!;
    await h.repos.subscribers.update(id, { isSuspended: true });
    await h.fire('core-s', [{ username: 'sam', event: 'down' }]);
    const down = await waitFor(async () => ((await user('sam'))?.state === 'SUSPENDED' ? user('sam') : null));
    expect(down.isOnline).toBe(false);
    expect(await h.repos.downtime.find({ user: id })).toEqual([]);
    expect(await h.notificationJobs(`sub.${id}.`)).toEqual([]);

    await h.fire('core-s', [{ username: 'sam', event: 'up', details: { address: '100.64.250.3' } }]);
    await waitFor(async () => (await user('sam'))?.isOnline === true);
    expect((await user('sam'))?.state).toBe('SUSPENDED');
    expect(await h.repos.downtime.find({ user: id })).toEqual([]);
  });

  it('an outage behind which a subscriber is suspended: not IMPACTED, no downtime for it; the others are', async () => {
    const sam = h.users.get('sam')!;
    h.routers.get('core-s')!.sim.setDeviceUp('10.7.1.10', false);
    // The station's last probe (UP, the walk of the test before) must have left the shared cache.
    const station = h.devices.get('st-s0')!.id;
    await waitFor(async () => !(await h.redis.exists(`${h.prefix}:diag:probe-result:${station}`)), { message: 'cached station probe expired' });
    await h.fire('core-s', [{ username: 'lee', event: 'down' }]);
    await waitFor(async () => (await user('lee'))?.state === 'IMPACTED');
    expect((await user('sam'))?.state).toBe('SUSPENDED');
    expect(await h.repos.downtime.find({ user: sam })).toEqual([]);
    expect(await h.repos.downtime.findOpen(h.users.get('lee')!)).toMatchObject({ cause: 'impacted' });
    h.routers.get('core-s')!.sim.setDeviceUp('10.7.1.10', true);
  });
});
