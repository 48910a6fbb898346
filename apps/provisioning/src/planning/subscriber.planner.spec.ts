import { managedComment, userTag } from './managed-tag';
import { Menu } from './router-ops';
import { planSubscribers, type DesiredSubscriber, type ObservedSubscriberState, type SubscriberPolicy } from './subscriber.planner';

const policy: SubscriberPolicy = { suspendedProfile: 'suspended', suspendedList: 'suspended', suspendedRateLimit: '64k/64k', suspendMode: 'profile' };
const ID = 'aaaaaaaaaaaaaaaaaaaaaaa1';
const OTHER = 'bbbbbbbbbbbbbbbbbbbbbbb2';

function user(p: Partial<DesiredSubscriber> = {}): DesiredSubscriber {
  return { id: ID, username: 'alice', password: 'pw', serviceType: 'pppoe', profile: '10M', isSuspended: false, ...p };
}
function secretRow(p: Record<string, string> = {}): Record<string, string> {
  return { '.id': '*1', name: 'alice', password: 'pw', profile: '10M', service: 'pppoe', 'remote-address': '', disabled: 'false', comment: userTag(ID), ...p };
}
const suspendedProfile = { '.id': '*9', name: 'suspended', 'address-list': 'suspended', 'rate-limit': '64k/64k', comment: managedComment('profile') };
function observed(p: Partial<ObservedSubscriberState> = {}): ObservedSubscriberState {
  return { secrets: [], queues: [], addressList: [], profiles: [suspendedProfile], ...p };
}

describe('planSubscribers', () => {
  it('adds the secret of a new subscriber, tagged', () => {
    const { ops } = planSubscribers({ users: [user()], observed: observed(), policy });
    expect(ops).toEqual([
      expect.objectContaining({ op: 'add', menu: Menu.SECRET, props: { name: 'alice', password: 'pw', service: 'pppoe', profile: '10M', disabled: 'no', comment: userTag(ID) } }),
    ]);
  });

  it('writes nothing when the router already matches (booleans and rates spelled differently)', () => {
    const { ops } = planSubscribers({
      users: [user({ rateLimit: '10M/50M', staticIp: '100.64.0.9' })],
      observed: observed({
        secrets: [secretRow({ 'remote-address': '100.64.0.9' })],
        queues: [{ '.id': '*5', name: 'sub-alice', target: '100.64.0.9/32', 'max-limit': '10000000/50000000', comment: userTag(ID) }],
      }),
      policy,
    });
    expect(ops).toEqual([]);
  });

  it('suspends: switches profile, lists the static address, kicks the session', () => {
    const { ops } = planSubscribers({ users: [user({ isSuspended: true, staticIp: '100.64.0.9' })], observed: observed({ secrets: [secretRow({ 'remote-address': '100.64.0.9' })] }), policy });
    expect(ops.map((o) => o.op)).toEqual(['set', 'kick', 'add']);
    expect(ops[0]).toMatchObject({ menu: Menu.SECRET, id: '*1', props: { profile: 'suspended' } });
    expect(ops[1]).toMatchObject({ username: 'alice' });
    expect(ops[2]).toMatchObject({ menu: Menu.ADDRESS_LIST, props: { list: 'suspended', address: '100.64.0.9', comment: userTag(ID) } });
  });

  it('disable mode also disables the secret', () => {
    const { ops } = planSubscribers({ users: [user({ isSuspended: true })], observed: observed({ secrets: [secretRow()] }), policy: { ...policy, suspendMode: 'disable' } });
    expect(ops[0]).toMatchObject({ op: 'set', props: { profile: 'suspended', disabled: 'yes' } });
  });

  it('unsuspends: restores the plan, removes the tagged list entry, kicks', () => {
    const { ops } = planSubscribers({
      users: [user({ staticIp: '100.64.0.9' })],
      observed: observed({
        secrets: [secretRow({ profile: 'suspended', 'remote-address': '100.64.0.9' })],
        addressList: [{ '.id': '*7', list: 'suspended', address: '100.64.0.9', comment: userTag(ID) }],
      }),
      policy,
    });
    expect(ops.map((o) => `${o.op}`).sort()).toEqual(['kick', 'remove', 'set']);
  });

  it('adopts an untagged secret with the subscriber name by tagging it, without a kick', () => {
    const { ops } = planSubscribers({ users: [user()], observed: observed({ secrets: [secretRow({ comment: '' })] }), policy });
    expect(ops).toEqual([expect.objectContaining({ op: 'set', props: { comment: userTag(ID) } })]);
  });

  it('a password change is a set without a kick', () => {
    const { ops } = planSubscribers({ users: [user({ password: 'new' })], observed: observed({ secrets: [secretRow()] }), policy });
    expect(ops).toEqual([expect.objectContaining({ op: 'set', props: { password: 'new' } })]);
  });

  it('router-wide: removes orphans, leaves untagged entries alone', () => {
    const { ops, orphans } = planSubscribers({
      users: [user()],
      observed: observed({
        secrets: [secretRow(), secretRow({ '.id': '*2', name: 'ghost', comment: userTag(OTHER) }), secretRow({ '.id': '*3', name: 'manual', comment: 'set by hand' })],
      }),
      policy,
      routerUserIds: new Set([ID]),
    });
    expect(orphans).toEqual([expect.objectContaining({ id: '*2', name: 'ghost' })]);
    expect(ops).toEqual([expect.objectContaining({ op: 'remove', id: '*2' }), expect.objectContaining({ op: 'kick', username: 'ghost' })]);
  });

  it('report-only orphan policy writes nothing', () => {
    const { ops, orphans } = planSubscribers({
      users: [],
      observed: observed({ secrets: [secretRow({ comment: userTag(OTHER) })] }),
      policy,
      routerUserIds: new Set(),
      orphanPolicy: 'report',
    });
    expect(orphans).toHaveLength(1);
    expect(ops).toEqual([]);
  });

  it('creates the suspended profile when it is missing and someone is suspended', () => {
    const { ops } = planSubscribers({ users: [user({ isSuspended: true })], observed: observed({ profiles: [], secrets: [secretRow()] }), policy });
    expect(ops[0]).toMatchObject({ op: 'add', menu: Menu.PROFILE, props: { name: 'suspended', 'address-list': 'suspended' } });
  });

  it('static-IP subscriber: queue and list entry, no PPP secret', () => {
    const { ops } = planSubscribers({ users: [user({ serviceType: 'static', staticIp: '100.64.1.1', rateLimit: '5M/20M', isSuspended: true })], observed: observed(), policy });
    expect(ops.map((o) => o.op === 'kick' ? 'kick' : `${o.op} ${o.menu}`)).toEqual([`add ${Menu.QUEUE}`, `add ${Menu.ADDRESS_LIST}`]);
    expect(ops[0]).toMatchObject({ props: { name: 'sub-alice', target: '100.64.1.1/32', 'max-limit': '5M/20M' } });
  });

  it('does not add a queue over an unmanaged one with the same name', () => {
    const { ops, conflicts } = planSubscribers({ users: [user({ rateLimit: '5M/20M' })], observed: observed({ secrets: [secretRow()], queues: [{ '.id': '*4', name: 'sub-alice', target: '1.2.3.4/32' }] }), policy });
    expect(ops).toEqual([]);
    expect(conflicts).toHaveLength(1);
  });

  it('ends a suspended user\'s session that is not under the suspension, whatever the secret says (the kick is desired state)', () => {
    const secret = secretRow({ profile: 'suspended' });
    const active = [{ '.id': '*80000001', name: 'alice', address: '100.127.0.5' }];
    const kicked = planSubscribers({ users: [user({ isSuspended: true })], observed: observed({ secrets: [secret], active }), policy });
    expect(kicked.ops).toEqual([expect.objectContaining({ op: 'kick', username: 'alice', userId: ID })]);
    // the session that came back under the suspended profile has its address in the list: done
    const listed = [{ '.id': '*7', list: 'suspended', address: '100.127.0.5', dynamic: 'true' }];
    expect(planSubscribers({ users: [user({ isSuspended: true })], observed: observed({ secrets: [secret], active, addressList: listed }), policy }).ops).toEqual([]);
    // unsuspended, but the session is still the suspended one: ended too
    expect(planSubscribers({ users: [user()], observed: observed({ secrets: [secretRow()], active, addressList: listed }), policy }).ops).toEqual([expect.objectContaining({ op: 'kick' })]);
  });

  it('a DHCP subscriber gets a tagged static lease and, suspended, its address listed', () => {
    const dhcp = user({ serviceType: 'dhcp', staticIp: '100.64.2.3', macAddress: '02:00:00:00:02:03', isSuspended: true });
    const { ops } = planSubscribers({ users: [dhcp], observed: observed({ leases: [] }), policy });
    expect(ops).toEqual([
      expect.objectContaining({ op: 'add', menu: Menu.ADDRESS_LIST, props: { list: 'suspended', address: '100.64.2.3', comment: userTag(ID) } }),
      expect.objectContaining({ op: 'add', menu: Menu.LEASE, props: { address: '100.64.2.3', 'mac-address': '02:00:00:00:02:03', comment: userTag(ID) } }),
    ]);
  });
});
