import { managedComment, userTag } from './managed-tag';
import { desiredProfile, planProfiles, profileRateLimit, queueLimits, type DesiredPlan } from './plan.planner';
import { Menu } from './router-ops';
import { planSubscribers, type SubscriberPolicy } from './subscriber.planner';

const PLAN_ID = 'eeeeeeeeeeeeeeeeeeeeeee1';
const ID = 'aaaaaaaaaaaaaaaaaaaaaaa1';
const policy: SubscriberPolicy = { suspendedProfile: 'suspended', suspendedList: 'suspended', suspendedRateLimit: '64k/64k', suspendMode: 'profile' };
const basic: DesiredPlan = { id: PLAN_ID, name: 'home-50', download: '50M', upload: '10M' };
const full: DesiredPlan = { ...basic, burstDownload: '80M', burstUpload: '15M', burstThresholdDownload: '40M', burstThresholdUpload: '8M', burstTime: 16, priority: 5, limitAtDownload: '20M', limitAtUpload: '4M', addressList: 'plan-home' };

describe('plan rates', () => {
  it('writes rate-limit upload first (the router receives the upload), short when there is nothing else', () => {
    expect(profileRateLimit(basic)).toBe('10M/50M');
    expect(profileRateLimit(full)).toBe('10M/50M 15M/80M 8M/40M 16/16 5 4M/20M');
    // A burst without threshold or time: the rate is the threshold, 1 s the time (RouterOS's own defaults, written out).
    expect(profileRateLimit({ ...basic, burstDownload: '80M', burstUpload: '15M' })).toBe('10M/50M 15M/80M 10M/50M 1/1 8 0/0');
  });

  it('gives a queue every limit, defaults included, and lets a subscriber rateLimit override max-limit', () => {
    expect(queueLimits(basic)).toEqual({ 'max-limit': '10M/50M', 'limit-at': '0/0', 'burst-limit': '0/0', 'burst-threshold': '0/0', 'burst-time': '0s/0s', priority: '8/8' });
    expect(queueLimits(full, '2M/5M')).toMatchObject({ 'max-limit': '2M/5M', 'limit-at': '4M/20M', 'burst-limit': '15M/80M', 'burst-time': '16s/16s', priority: '5/5' });
  });
});

describe('planProfiles', () => {
  it('creates the profile, tagged with the plan id', () => {
    const { ops } = planProfiles([full], [{ '.id': '*0', name: 'default' }]);
    expect(ops).toEqual([expect.objectContaining({ op: 'add', menu: Menu.PROFILE, props: { name: 'home-50', 'rate-limit': profileRateLimit(full), 'address-list': 'plan-home', comment: managedComment('profile', PLAN_ID) } })]);
  });

  it('writes only what changed; finds a renamed plan by its tag', () => {
    const row = { '.id': '*5', ...desiredProfile(basic), 'rate-limit': '10000000/50000000' };
    expect(planProfiles([basic], [row]).ops).toEqual([]);
    const faster = planProfiles([{ ...basic, name: 'home-100', download: '100M' }], [row]).ops;
    expect(faster).toEqual([expect.objectContaining({ op: 'set', id: '*5', props: { name: 'home-100', 'rate-limit': '10M/100M' } })]);
  });

  it("never touches a hand-made profile of the plan's name", () => {
    const { ops, conflicts } = planProfiles([basic], [{ '.id': '*7', name: 'home-50', 'rate-limit': '1M/1M', comment: '' }]);
    expect(ops).toEqual([]);
    expect(conflicts).toEqual([expect.stringContaining('home-50')]);
  });
});

describe('planSubscribers with a plan', () => {
  const observed = { secrets: [], queues: [], addressList: [], profiles: [] };

  it("gives a static subscriber the plan's queue and list entry", () => {
    const { ops } = planSubscribers({ users: [{ id: ID, username: 'shop', serviceType: 'static', staticIp: '100.64.1.9', profile: 'home-50', isSuspended: false, plan: full }], observed, policy });
    expect(ops).toEqual([
      expect.objectContaining({ op: 'add', menu: Menu.QUEUE, props: { name: 'sub-shop', target: '100.64.1.9/32', comment: userTag(ID), ...queueLimits(full) } }),
      expect.objectContaining({ op: 'add', menu: Menu.ADDRESS_LIST, props: { list: 'plan-home', address: '100.64.1.9', comment: userTag(ID) } }),
    ]);
  });

  it('updates a queue to a changed plan, and leaves a PPPoE subscriber to its profile', () => {
    const queue = { '.id': '*3', name: 'sub-shop', target: '100.64.1.9/32', comment: userTag(ID), ...queueLimits(basic) };
    const faster = { ...basic, download: '100M' };
    const { ops } = planSubscribers({ users: [{ id: ID, username: 'shop', serviceType: 'static', staticIp: '100.64.1.9', profile: 'home-50', isSuspended: false, plan: faster }], observed: { ...observed, queues: [queue] }, policy });
    expect(ops).toEqual([expect.objectContaining({ op: 'set', menu: Menu.QUEUE, id: '*3', props: { 'max-limit': '10M/100M' } })]);
    const ppp = planSubscribers({ users: [{ id: ID, username: 'ann', serviceType: 'pppoe', profile: 'home-50', isSuspended: false, plan: basic }], observed, policy });
    expect(ppp.ops).toEqual([expect.objectContaining({ op: 'add', menu: Menu.SECRET, props: expect.objectContaining({ profile: 'home-50' }) })]);
  });
});
