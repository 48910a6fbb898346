import { userTag } from '../planning/managed-tag';
import { Menu, type RouterOp } from '../planning/router-ops';
import type { DesiredSubscriber } from '../planning/subscriber.planner';
import { applyDriftPolicy, parseDriftPolicy, rowKey, untaggedExtras } from './drift-policy';
import { adoptFromRouter } from './adoption';

const ID = 'aaaaaaaaaaaaaaaaaaaaaaa1';
const alice: DesiredSubscriber = { id: ID, username: 'alice', password: 'pw', serviceType: 'pppoe', profile: '10M', isSuspended: false };
const row = { '.id': '*1', name: 'alice', password: 'hand-set', profile: '5M', 'caller-id': '02:00:00:00:00:01', disabled: 'false', comment: userTag(ID) };
const set: RouterOp = { op: 'set', menu: Menu.SECRET, id: '*1', props: { profile: '10M', 'caller-id': '', password: 'pw' }, why: 'secret alice: profile,caller-id,password', userId: ID };
const kick: RouterOp = { op: 'kick', username: 'alice', why: 'secret alice changed', userId: ID };

const run = (spec: string, synced = true, ops: RouterOp[] = [set, kick]) =>
  applyDriftPolicy({ ops, rows: new Map([[rowKey(Menu.SECRET, '*1'), row]]), users: new Map([[ID, { desired: alice, synced }]]), policies: parseDriftPolicy(spec), suspendedProfile: 'suspended' });

describe('drift policy', () => {
  it('reverts manual edits by default, per field, and never shows a password', () => {
    const r = run('');
    expect(r.ops).toEqual([set, kick]);
    expect(r.items.map((i) => `${i.field}:${i.router}->${i.database}:${i.action}`)).toEqual(['profile:5M->10M:revert', 'caller-id:02:00:00:00:00:01->:revert', 'password:(hidden)->(hidden):revert', 'session:active->undefined:kick']);
    expect(JSON.stringify(r.items)).not.toMatch(/hand-set|"pw"/);
  });

  it('adopt takes the router value into the database; report leaves it; the kick goes with the profile change', () => {
    const r = run('profile=adopt,caller-id=report');
    expect(r.ops).toEqual([{ ...set, props: { password: 'pw' } }]);
    expect(r.adopt.get(ID)).toEqual({ profile: '5M', isSuspended: false });
    expect(r.items.filter((i) => i.action !== 'revert').map((i) => `${i.field}:${i.action}`)).toEqual(['profile:adopt', 'caller-id:report']);
  });

  it("a subscriber's own pending change is applied whatever the policy (it is not a manual edit)", () => {
    const r = run('profile=report,caller-id=report,password=report', false);
    expect(r.ops).toEqual([set, kick]);
    expect(r.items.filter((i) => i.action === 'apply')).toHaveLength(3);
  });

  it('re-tagging a row tagged before deployment ids is our own write, not a reverted edit', () => {
    const retag: RouterOp = { op: 'set', menu: Menu.SECRET, id: '*1', props: { comment: userTag(ID) }, why: 'secret alice: comment', userId: ID };
    const r = applyDriftPolicy({ ops: [retag], rows: new Map([[rowKey(Menu.SECRET, '*1'), { ...row, comment: `isp-netops:user:${ID}` }]]), users: new Map([[ID, { desired: alice, synced: true }]]), policies: parseDriftPolicy('setup=report'), suspendedProfile: 'suspended' });
    expect(r.ops).toEqual([retag]);
    expect(r.items).toEqual([expect.objectContaining({ field: 'comment', router: `isp-netops:user:${ID}`, database: userTag(ID), action: 'apply' })]);
  });

  it('untagged extras and rows of another deployment are reported, a subscriber-named untagged secret is not an extra', () => {
    const items = untaggedExtras(
      { secrets: [{ '.id': '*2', name: 'noc', comment: '' }, { '.id': '*3', name: 'alice', comment: '' }, { '.id': '*4', name: 'x', comment: `isp-netops@staging:user:${ID}` }], queues: [] },
      new Set(['alice']),
    );
    expect(items.map((i) => `${i.entry}:${i.router}:${i.action}`)).toEqual(['noc:untagged:report', 'x:tagged by deployment staging:report']);
  });
});

describe('adoption from the router', () => {
  const stored = { _id: ID, username: 'alice' } as never;
  it('takes what the database lacks (profile, remote address, caller-id, suspension) and keeps what it has', () => {
    const secret = { '.id': '*1', name: 'alice', profile: 'gold', 'remote-address': '100.64.0.9', 'caller-id': '02:00:00:00:00:01', disabled: 'true', comment: '' };
    const { fields, items } = adoptFromRouter([{ stored, desired: { ...alice, profile: 'default' } }], [secret], 'suspended');
    expect(fields.get(ID)).toEqual({ profile: 'gold', staticIp: '100.64.0.9', macAddress: '02:00:00:00:00:01', isSuspended: true });
    expect(items.every((i) => i.action === 'adopt')).toBe(true);
    const has = { _id: ID, username: 'alice', profile: 'silver', staticIp: '100.64.0.1', macAddress: '02:00:00:00:00:02', isSuspended: true } as never;
    expect(adoptFromRouter([{ stored: has, desired: alice }], [secret], 'suspended').fields.size).toBe(0);
  });

  it("never adopts another deployment's secret", () => {
    const secret = { '.id': '*1', name: 'alice', profile: 'gold', comment: `isp-netops@staging:user:${ID}` };
    expect(adoptFromRouter([{ stored, desired: alice }], [secret], 'suspended').fields.size).toBe(0);
  });
});
