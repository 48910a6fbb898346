import { JobName, SyncStatus } from '@isp/domain';
import { SimulatedRouter } from '@isp/routeros-testing';
import { Types } from 'mongoose';
import { waitFor } from '../../../../test/support';
import { firewallTag, userTag } from '../../src/planning/managed-tag';
import { startProvisioning, type Harness } from '../provisioning-harness';

const PORTAL = '203.0.113.10';

/** A suspension that cuts off: the suspension rules on the router, and sessions that really end. */
describe('provisioning scenarios: suspension', () => {
  let h: Harness;
  let sim: SimulatedRouter;
  let routerId: string;
  const ids: Record<string, string> = {};

  const forward = () => sim.table('/ip/firewall/filter').filter((r) => r.chain === 'forward');
  const listed = (address: string) => sim.table('/ip/firewall/address-list').some((e) => e.list === 'suspended' && e.address === address);
  const session = (name: string) => sim.table('/ppp/active').find((r) => r.name === name);
  const synced = async (name: string) => {
    const u = await h.users.findById(ids[name]);
    return u && u.syncStatus === SyncStatus.SYNCED && u.appliedVersion === u.desiredVersion ? u : null;
  };
  const suspend = async (name: string, isSuspended = true) => {
    await h.users.writeDesiredState(ids[name], { isSuspended });
    await h.producer.add(JobName.SYNC_USER, { userId: ids[name] });
  };
  /** Our rules, in order, are the first rules of the forward chain, all enabled. */
  const expectRulesFirst = () => {
    const keys = ['suspended-dns-udp', 'suspended-dns-tcp', 'suspended-garden', 'suspended-drop'];
    expect(forward().slice(0, 4).map((r) => r.comment)).toEqual(keys.map(firewallTag));
    expect(forward().slice(0, 4).every((r) => r.disabled === 'false')).toBe(true);
    expect(forward()[3]).toMatchObject({ action: 'drop', 'src-address-list': 'suspended' });
    expect(forward()[2]).toMatchObject({ action: 'accept', 'dst-address-list': 'suspended-walled-garden' });
  };

  beforeAll(async () => {
    sim = await SimulatedRouter.start({ pppRedialMs: 100 });
    // The operator's own rules: a fasttrack and an accept that would let suspended traffic through.
    const filter = (props: Record<string, string>) => sim['menus'].execute('/ip/firewall/filter', 'add', props, []);
    filter({ chain: 'forward', action: 'fasttrack-connection', 'connection-state': 'established,related', comment: 'defconf: fasttrack' });
    filter({ chain: 'forward', action: 'accept', 'connection-state': 'established,related,untracked', comment: 'defconf: accept established' });
    h = await startProvisioning('provisioning-scenarios-suspension', { SUSPENDED_WALLED_GARDEN: PORTAL });
    routerId = await h.addRouter(sim);
    const router = new Types.ObjectId(routerId);
    for (const name of ['ppp1', 'ppp2', 'ppp3']) {
      sim.addSubscriber({ username: name, password: 'pw' });
      ids[name] = String((await h.users.create(((_id) => ({ _id, username: name, router, password: h.box.encrypt('pw', 'subscriber.password', _id), profile: 'default' }))(new Types.ObjectId())))._id);
    }
    ids.stat = String((await h.users.create({ username: 'stat', router, serviceType: 'static', staticIp: '100.64.1.2', profile: 'default' }))._id);
    ids.dhcp = String((await h.users.create({ username: 'dhcp', router, serviceType: 'dhcp', staticIp: '100.64.2.3', macAddress: '02:00:00:00:02:03', profile: 'default' }))._id);
    sim.leaseBind('02:00:00:00:02:03', '100.64.2.3');
    await h.run(JobName.RECONCILE_ROUTER, { routerId }, 30000);
  });

  afterAll(async () => {
    await h?.close();
    await sim?.stop();
  });

  it('suspends PPPoE, static and DHCP subscribers: rules first in the forward chain, addresses listed, the session ended', async () => {
    const before = session('ppp1')!;
    expect(listed(before.address)).toBe(false);
    for (const name of ['ppp1', 'stat', 'dhcp']) await suspend(name);
    for (const name of ['ppp1', 'stat', 'dhcp']) await waitFor(() => synced(name), { message: `${name} suspended`, timeoutMs: 15000 });
    expectRulesFirst();
    expect(sim.table('/ip/firewall/address-list')).toContainEqual(expect.objectContaining({ list: 'suspended-walled-garden', address: PORTAL }));
    expect(listed('100.64.1.2')).toBe(true);
    expect(listed('100.64.2.3')).toBe(true);
    expect(sim.table('/ip/dhcp-server/lease')).toContainEqual(expect.objectContaining({ address: '100.64.2.3', 'mac-address': '02:00:00:00:02:03', comment: userTag(ids.dhcp) }));
    // The old session is gone; the one that dialled back is under the suspended profile (listed).
    const now = await waitFor(() => session('ppp1'), { message: 'ppp1 redialled' });
    expect(now['.id']).not.toBe(before['.id']);
    expect(listed(now.address)).toBe(true);
  });

  it('a rule moved below the operator rules and disabled by hand is restored by the next pass', async () => {
    const drop = forward().find((r) => r.comment === firewallTag('suspended-drop'))!;
    sim['menus'].execute('/ip/firewall/filter', 'move', { numbers: drop['.id'] }, []);
    sim['menus'].execute('/ip/firewall/filter', 'disable', { '.id': drop['.id'] }, []);
    expect(forward().at(-1)).toMatchObject({ comment: firewallTag('suspended-drop'), disabled: 'true' });
    await h.run(JobName.RECONCILE_ROUTER, { routerId }, 30000);
    expectRulesFirst();
  });

  it('the connection drops between the profile change and the kick: not synced until the session is gone', async () => {
    const before = session('ppp2')!;
    sim.failCommand({ command: '/ppp/active/remove', mode: 'drop', count: 1 });
    await suspend('ppp2');
    // The profile change landed; the kick did not: the subscriber is pending, not synced.
    await waitFor(async () => (await h.users.findById(ids.ppp2))?.syncStatus === SyncStatus.PENDING && sim.table('/ppp/secret').find((r) => r.name === 'ppp2')?.profile === 'suspended', { message: 'ppp2 pending after the dropped kick' });
    await waitFor(() => synced('ppp2'), { message: 'ppp2 synced after the retry', timeoutMs: 20000 });
    const now = session('ppp2');
    expect(now?.['.id']).not.toBe(before['.id']);
    if (now) expect(listed(now.address)).toBe(true);
  });

  it('the router refuses the kick: pending with the reason, synced once the session is ended', async () => {
    const before = session('ppp3')!;
    sim.failCommand({ command: '/ppp/active/remove', mode: 'trap' });
    await suspend('ppp3');
    const u = await waitFor(async () => {
      const r = await h.users.findById(ids.ppp3);
      return r?.syncStatus === SyncStatus.PENDING && /not enforced/.test(r.syncError ?? '') ? r : null;
    }, { message: 'ppp3 pending: not enforced', timeoutMs: 15000 });
    expect(u.syncError).toMatch(/refused/);
    expect(await synced('ppp3')).toBeNull();
    expect(session('ppp3')!['.id']).toBe(before['.id']);
    sim.clearCommandFaults();
    await waitFor(() => synced('ppp3'), { message: 'ppp3 synced once the kick goes through', timeoutMs: 30000 });
    expect(session('ppp3')?.['.id']).not.toBe(before['.id']);
  });
});
