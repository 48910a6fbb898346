import { NodeState } from '../node-state';
import { presenceEvents, type StoredPresence } from './presence-reconcile';

const observedAt = new Date('2026-12-02T12:00:00Z');
const longAgo = new Date('2026-12-02T11:00:00Z');

function user(p: Partial<StoredPresence> = {}): StoredPresence {
  return { id: 'u1', username: 'alice', serviceType: 'pppoe', isOnline: true, state: NodeState.UP, stateSince: longAgo, isSuspended: false, currentAddress: '100.64.0.7', callerId: 'AA:BB:CC:00:11:22', ...p };
}
const session = { name: 'alice', address: '100.64.0.7', 'caller-id': 'aa:bb:cc:00:11:22' };
const run = (stored: StoredPresence[], pppActive = [session], leases?: Record<string, string>[]) => presenceEvents({ routerId: 'r1', stored, pppActive, leases, observedAt, graceMs: 30000 });

describe('presenceEvents', () => {
  it('nothing when the router and the database agree', () => {
    expect(run([user()])).toEqual([]);
    expect(run([user({ isOnline: false, state: NodeState.DOWN })], [])).toEqual([]);
  });

  it('a lost DOWN: stored online, no session -> a reconcile DOWN at the time the table was read', () => {
    expect(run([user()], [])).toEqual([
      { routerId: 'r1', source: 'reconcile', subject: { kind: 'ppp', username: 'alice' }, event: 'down', at: observedAt.toISOString(), receivedAt: observedAt.toISOString() },
    ]);
  });

  it('a lost UP: stored offline (down or impacted), session there -> UP with its address and caller id', () => {
    for (const state of [NodeState.DOWN, NodeState.IMPACTED, NodeState.UNKNOWN]) {
      expect(run([user({ isOnline: false, state, currentAddress: null, callerId: null })])).toEqual([
        expect.objectContaining({ event: 'up', subject: { kind: 'ppp', username: 'alice' }, details: { address: '100.64.0.7', callerId: 'AA:BB:CC:00:11:22' } }),
      ]);
    }
  });

  it('a redial with a new address the webhook did not bring -> UP carrying it', () => {
    expect(run([user()], [{ ...session, address: '100.64.0.9' }])).toEqual([expect.objectContaining({ event: 'up', details: { address: '100.64.0.9', callerId: 'AA:BB:CC:00:11:22' } })]);
  });

  it('a DOWN already held or in a batch being diagnosed: no second DOWN; its UP still counts', () => {
    const heldDown = new Set(['u1']);
    expect(presenceEvents({ routerId: 'r1', stored: [user()], pppActive: [], observedAt, graceMs: 30000, heldDown })).toEqual([]);
    expect(presenceEvents({ routerId: 'r1', stored: [user({ id: 'u2', username: 'bob' })], pppActive: [], observedAt, graceMs: 30000, heldDown })).toEqual([expect.objectContaining({ event: 'down', subject: { kind: 'ppp', username: 'bob' } })]);
    expect(presenceEvents({ routerId: 'r1', stored: [user({ isOnline: false, state: NodeState.DOWN })], pppActive: [session], observedAt, graceMs: 30000, heldDown })).toEqual([expect.objectContaining({ event: 'up' })]);
  });

  it('an impacted subscriber still offline is its outage’s business: nothing', () => {
    expect(run([user({ isOnline: false, state: NodeState.IMPACTED })], [])).toEqual([]);
  });

  it('a state changed within the grace is left alone (its own event may be in flight)', () => {
    expect(run([user({ stateSince: new Date(observedAt.getTime() - 1000) })], [])).toEqual([]);
  });

  it('suspension: shown when not yet the state, lifted when still shown; a suspended session is no difference', () => {
    expect(run([user({ isSuspended: true })])).toEqual([expect.objectContaining({ event: 'up' })]);
    expect(run([user({ isSuspended: true, isOnline: false })], [])).toEqual([expect.objectContaining({ event: 'down' })]);
    expect(run([user({ isSuspended: true, state: NodeState.SUSPENDED })])).toEqual([]);
    expect(run([user({ isSuspended: false, state: NodeState.SUSPENDED, isOnline: false })], [])).toEqual([expect.objectContaining({ event: 'down' })]);
  });

  it('DHCP: a bound lease by MAC is a session; static-IP subscribers and unread leases are skipped', () => {
    const dhcp = user({ serviceType: 'dhcp', macAddress: '02:00:00:00:00:10', isOnline: false, state: NodeState.DOWN, currentAddress: null });
    expect(run([dhcp], [], [{ 'mac-address': '02:00:00:00:00:10', address: '10.9.0.5', status: 'bound' }])).toEqual([
      expect.objectContaining({ event: 'up', subject: { kind: 'dhcp', mac: '02:00:00:00:00:10', ip: '10.9.0.5' } }),
    ]);
    expect(run([dhcp], [], [{ 'mac-address': '02:00:00:00:00:10', address: '10.9.0.5', status: 'waiting' }])).toEqual([]);
    expect(run([{ ...dhcp, isOnline: true, state: NodeState.UP }], [], [])).toEqual([expect.objectContaining({ event: 'down', subject: { kind: 'dhcp', mac: '02:00:00:00:00:10' } })]);
    expect(run([dhcp], [])).toEqual([]);
    expect(run([user({ serviceType: 'static' })], [])).toEqual([]);
  });
});
