import { userTag } from './managed-tag';
import { planDeparture, type DepartureObserved } from './departure.planner';
import { Menu } from './router-ops';
import { planSubscribers, type SubscriberPolicy } from './subscriber.planner';

const ID = 'aaaaaaaaaaaaaaaaaaaaaaa1';
const OTHER = 'bbbbbbbbbbbbbbbbbbbbbbb2';
const policy: SubscriberPolicy = { suspendedProfile: 'suspended', suspendedList: 'suspended', suspendedRateLimit: '64k/64k', suspendMode: 'profile' };

describe('planDeparture (a subscriber moved to another router)', () => {
  const observed: DepartureObserved = {
    secrets: [
      { '.id': '*1', name: 'alice', comment: userTag(ID) },
      { '.id': '*2', name: 'alice-copy', comment: userTag(ID) },
      { '.id': '*3', name: 'bob', comment: userTag(OTHER) },
    ],
    queues: [{ '.id': '*4', name: 'sub-alice', comment: userTag(ID) }, { '.id': '*5', name: '<pppoe-alice>', comment: '', dynamic: 'true' }],
    addressList: [{ '.id': '*6', list: 'suspended', address: '100.64.0.9', comment: userTag(ID) }],
    leases: [],
    active: [{ '.id': '*7', name: 'alice', address: '100.64.0.9' }, { '.id': '*8', name: 'bob', address: '100.64.0.10' }],
  };

  it('removes its secret under the old name, its queue and list entry, and ends its session; leaves copies and others alone', () => {
    const ops = planDeparture({ userId: ID, names: ['alice'] }, observed);
    expect(ops).toEqual([
      expect.objectContaining({ op: 'remove', menu: Menu.SECRET, id: '*1' }),
      expect.objectContaining({ op: 'remove', menu: Menu.QUEUE, id: '*4' }),
      expect.objectContaining({ op: 'remove', menu: Menu.ADDRESS_LIST, id: '*6' }),
      expect.objectContaining({ op: 'kick', username: 'alice' }),
    ]);
  });

  it('does not end a session under a name another subscriber of that router has now', () => {
    const ops = planDeparture({ userId: ID, names: ['alice'] }, { ...observed, secrets: [], queues: [], addressList: [] }, new Set(['alice']));
    expect(ops).toEqual([]);
  });

  it('is done (nothing to do) once the router holds nothing of it', () => {
    expect(planDeparture({ userId: ID, names: ['alice'] }, { secrets: [observed.secrets[1]], queues: [], addressList: [], active: [] })).toEqual([]);
  });
});

describe('planSubscribers: a rename on the same router', () => {
  const secret = { '.id': '*1', name: 'alice', password: 'pw', profile: 'default', service: 'pppoe', 'remote-address': '', disabled: 'false', comment: userTag(ID) };
  const user = { id: ID, username: 'alice2', password: 'pw', serviceType: 'pppoe' as const, profile: 'default', isSuspended: false, formerNames: ['alice'] };

  it('renames the secret and ends the session under the old name', () => {
    const { ops } = planSubscribers({ users: [user], observed: { secrets: [secret], queues: [], addressList: [], profiles: [], active: [{ '.id': '*9', name: 'alice', address: '100.64.0.9' }] }, policy });
    expect(ops).toEqual([
      expect.objectContaining({ op: 'set', menu: Menu.SECRET, id: '*1', props: { name: 'alice2' } }),
      expect.objectContaining({ op: 'kick', username: 'alice' }),
    ]);
  });

  it('ends a session left under the old name even when the secret already has the new name (the kick is desired state)', () => {
    const { ops } = planSubscribers({ users: [user], observed: { secrets: [{ ...secret, name: 'alice2' }], queues: [], addressList: [], profiles: [], active: [{ '.id': '*9', name: 'alice', address: '100.64.0.9' }] }, policy });
    expect(ops).toEqual([expect.objectContaining({ op: 'kick', username: 'alice', userId: ID })]);
  });

  it('removes our secret still under the old name next to the new one', () => {
    const { ops } = planSubscribers({ users: [user], observed: { secrets: [{ ...secret, '.id': '*2', name: 'alice2' }, secret], queues: [], addressList: [], profiles: [], active: [] }, policy });
    expect(ops).toEqual([expect.objectContaining({ op: 'remove', menu: Menu.SECRET, id: '*1' })]);
  });
});
