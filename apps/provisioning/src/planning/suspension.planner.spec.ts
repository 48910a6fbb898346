import { firewallTag } from './managed-tag';
import { Menu } from './router-ops';
import { desiredSuspensionRules, planSuspension, type SuspensionPolicy } from './suspension.planner';

const policy: SuspensionPolicy = { list: 'suspended', gardenList: 'garden', garden: ['203.0.113.10'] };
const ours = () => desiredSuspensionRules(policy).map((d, i) => ({ '.id': `*${i + 10}`, ...d.props, disabled: 'false' }));
const fasttrack = { '.id': '*1', chain: 'forward', action: 'fasttrack-connection', comment: 'defconf' };
const gardenRow = { '.id': '*50', list: 'garden', address: '203.0.113.10', comment: firewallTag('walled-garden') };

describe('planSuspension', () => {
  it('adds the rules, in order, before the first rule that is not ours, and the walled garden', () => {
    const ops = planSuspension({ policy, filter: [{ '.id': '*0', chain: 'input', action: 'accept' }, fasttrack], garden: [] });
    const adds = ops.filter((o) => o.op === 'add' && o.menu === Menu.FILTER);
    expect(adds.map((o) => (o.op === 'add' ? [o.props.comment, o.props['place-before']] : []))).toEqual(
      ['suspended-dns-udp', 'suspended-dns-tcp', 'suspended-garden', 'suspended-drop'].map((k) => [firewallTag(k), '*1']),
    );
    expect(ops).toContainEqual(expect.objectContaining({ op: 'add', menu: Menu.ADDRESS_LIST, props: expect.objectContaining({ list: 'garden', address: '203.0.113.10' }) }));
  });

  it('writes nothing when the rules are first, in order and enabled (dynamic rules above them do not count)', () => {
    const dynamic = { '.id': '*9', chain: 'forward', action: 'passthrough', dynamic: 'true' };
    expect(planSuspension({ policy, filter: [dynamic, ...ours(), fasttrack], garden: [gardenRow] })).toEqual([]);
  });

  it('re-enables a disabled rule and moves the rules back above a rule placed before them', () => {
    const rules = ours();
    rules[3].disabled = 'true';
    const ops = planSuspension({ policy, filter: [fasttrack, ...rules], garden: [gardenRow] });
    expect(ops[0]).toMatchObject({ op: 'set', id: '*13', props: { disabled: 'no' } });
    expect(ops.slice(1)).toEqual(rules.map((r) => expect.objectContaining({ op: 'move', id: r['.id'], before: '*1' })));
  });

  it('removes stale rules of ours and never touches rules without our tag', () => {
    const stale = { '.id': '*30', chain: 'forward', action: 'drop', comment: firewallTag('old-rule') };
    const ops = planSuspension({ policy, filter: [...ours(), stale, fasttrack], garden: [gardenRow, { '.id': '*51', list: 'garden', address: '198.51.100.1', comment: 'operator' }] });
    expect(ops).toEqual([expect.objectContaining({ op: 'remove', id: '*30' })]);
  });
});
