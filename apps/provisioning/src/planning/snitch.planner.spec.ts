import { snitchMarker } from '@isp/routeros';
import { deviceTag, userTag } from './managed-tag';
import { Menu } from './router-ops';
import { foldIntoAdds, planSnitches, type SnitchTexts } from './snitch.planner';

const UP = `${snitchMarker('ppp-up')}\n:do {} on-error={}`;
const DOWN = `${snitchMarker('ppp-down')}\n:do {} on-error={}`;
const LEASE = `${snitchMarker('dhcp-lease')}\n:do {} on-error={}`;
const texts: SnitchTexts = {
  pppUp: UP,
  pppDown: DOWN,
  dhcpLease: LEASE,
  netwatch: (d) => ({ up: `${snitchMarker('netwatch-up')}\n# ${d.host}`, down: `${snitchMarker('netwatch-down')}\n# ${d.host}` }),
};
const DEV = 'cccccccccccccccccccccccc';
const GONE = 'dddddddddddddddddddddddd';

describe('planSnitches', () => {
  const base = { texts, profileNames: new Set(['default']), devices: [{ id: DEV, name: 'sector-1', host: '10.0.1.1' }], netwatchInterval: '30s' };

  it('installs what is missing', () => {
    const { ops } = planSnitches({
      ...base,
      observed: { profiles: [{ '.id': '*0', name: 'default', 'on-up': '', 'on-down': '' }], dhcpServers: [{ '.id': '*1', name: 'dhcp1', 'lease-script': '' }], netwatch: [] },
    });
    expect(ops).toEqual([
      expect.objectContaining({ op: 'set', menu: Menu.PROFILE, props: { 'on-up': UP, 'on-down': DOWN } }),
      expect.objectContaining({ op: 'set', menu: Menu.DHCP_SERVER, props: { 'lease-script': LEASE } }),
      expect.objectContaining({ op: 'add', menu: Menu.NETWATCH, props: expect.objectContaining({ host: '10.0.1.1', interval: '30s', comment: deviceTag(DEV) }) }),
    ]);
  });

  it("writes nothing when everything is in place; removes orphan netwatch; leaves another deployment's scripts alone", () => {
    const nw = texts.netwatch({ id: DEV, name: 'sector-1', host: '10.0.1.1' });
    const { ops, conflicts, orphans } = planSnitches({
      ...base,
      observed: {
        profiles: [{ '.id': '*0', name: 'default', 'on-up': UP, 'on-down': DOWN }],
        dhcpServers: [{ '.id': '*1', name: 'dhcp1', 'lease-script': `${snitchMarker('dhcp-lease').replace(/$/, ' deployment=other-isp')}\n:log info "theirs"` }],
        netwatch: [
          { '.id': '*2', host: '10.0.1.1', interval: '30s', 'up-script': nw.up, 'down-script': nw.down, comment: deviceTag(DEV) },
          { '.id': '*3', host: '10.9.9.9', comment: deviceTag(GONE) },
          { '.id': '*4', host: '8.8.8.8', comment: 'operator' },
        ],
      },
    });
    expect(conflicts).toHaveLength(1);
    expect(orphans).toEqual([expect.objectContaining({ id: '*3' })]);
    expect(ops).toEqual([expect.objectContaining({ op: 'remove', id: '*3' })]);
  });

  it("keeps an operator's own hook script: ours goes in a marked block before it, and a second plan writes nothing", () => {
    const operator = ':log info ("operator: " . $user . " up")\n/ip firewall address-list add list=seen address=$"remote-address"';
    const observed = { profiles: [{ '.id': '*0', name: 'default', 'on-up': operator, 'on-down': DOWN }], dhcpServers: [{ '.id': '*1', name: 'dhcp1', 'lease-script': ':log info "lease"' }], netwatch: [] };
    const first = planSnitches({ ...base, devices: [], observed });
    expect(first.conflicts).toEqual([]);
    const upScript = first.ops[0].op === 'set' ? first.ops[0].props['on-up'] : '';
    expect(upScript).toBe(`# isp-netops begin\n${UP}\n# isp-netops end\n${operator}`);
    const leaseScript = first.ops[1].op === 'set' ? first.ops[1].props['lease-script'] : '';
    expect(leaseScript).toBe(`# isp-netops begin\n${LEASE}\n# isp-netops end\n:log info "lease"`);
    // The router now holds what was written (with its own line endings): nothing more to do.
    const after = { ...observed, profiles: [{ ...observed.profiles[0], 'on-up': upScript.replace(/\n/g, '\r\n') }], dhcpServers: [{ ...observed.dhcpServers[0], 'lease-script': leaseScript }] };
    expect(planSnitches({ ...base, devices: [], observed: after }).ops).toEqual([]);
    // A new token rewrites our block only.
    const rotated = planSnitches({ ...base, devices: [], texts: { ...texts, pppUp: `${UP}\n# new token` }, observed: after });
    expect(rotated.ops).toEqual([expect.objectContaining({ props: { 'on-up': `# isp-netops begin\n${UP}\n# new token\n# isp-netops end\n${operator}` } })]);
  });

  it('reports our scripts missing only where a pass verified them before', () => {
    const observed = { profiles: [{ '.id': '*0', name: 'default', 'on-up': ':log info "operator only"', 'on-down': '' }], dhcpServers: [{ '.id': '*1', name: 'dhcp1', 'lease-script': '' }], netwatch: [] };
    expect(planSnitches({ ...base, observed, devices: [{ ...base.devices[0], isNew: true }] }).missing).toEqual([]);
    const p = planSnitches({ ...base, observed, verifiedHooks: new Set(['profile default', 'dhcp-server dhcp1']) });
    expect(p.missing).toEqual(['profile default: on-up', 'profile default: on-down', 'dhcp-server dhcp1: lease-script', 'netwatch sector-1']);
    expect(p.hooks).toEqual(['profile default', 'dhcp-server dhcp1']);
  });

  it('gives a static subscriber a Netwatch entry on its address, and removes the entry of one that is gone', () => {
    const USER = 'eeeeeeeeeeeeeeeeeeeeeeee';
    const p = planSnitches({
      ...base,
      devices: [],
      subscribers: [{ id: USER, name: 'gina', host: '10.0.5.5', interval: '1m' }],
      observed: { profiles: [], dhcpServers: [], netwatch: [{ '.id': '*7', host: '10.0.6.6', comment: userTag(GONE) }] },
    });
    expect(p.ops).toEqual([
      expect.objectContaining({ op: 'add', menu: Menu.NETWATCH, props: expect.objectContaining({ host: '10.0.5.5', interval: '1m', comment: userTag(USER) }) }),
      expect.objectContaining({ op: 'remove', id: '*7' }),
    ]);
    expect(p.netwatchEntries).toBe(1);
  });

  it('rewrites scripts carrying an old token (still ours by the marker)', () => {
    const { ops } = planSnitches({ ...base, devices: [], observed: { profiles: [{ '.id': '*0', name: 'default', 'on-up': `${snitchMarker('ppp-up')}\nold`, 'on-down': DOWN }], dhcpServers: [], netwatch: [] } });
    expect(ops).toEqual([expect.objectContaining({ props: { 'on-up': UP } })]);
  });

  it('folds scripts for a profile created in the same pass into its add', () => {
    const ops = foldIntoAdds([
      { op: 'add', menu: Menu.PROFILE, props: { name: 'suspended' }, why: '' },
      { op: 'set', menu: Menu.PROFILE, id: 'new:suspended', props: { 'on-up': UP }, why: '' },
    ]);
    expect(ops).toEqual([expect.objectContaining({ op: 'add', props: { name: 'suspended', 'on-up': UP } })]);
  });
});
