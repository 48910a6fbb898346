import { impactedBy, isRedundancyLost, provenUpBy, shareJointOutage, withoutJointlyOwned } from './classification';
import { sampleNetwork } from './topology.fixtures';

describe('provenUpBy: what a node coming back proves up', () => {
  it('a station on one path proves its sector, the backhauls above, the router and the building', () => {
    const g = sampleNetwork();
    expect([...provenUpBy(g, 'SEC-A-ST0')].sort()).toEqual(['B1', 'BH1', 'BH2', 'R1', 'SEC-A', 'SEC-A-ST0']);
    expect([...provenUpBy(g, 'SEC-A-ST0-U1')]).toContain('SEC-A');
  });

  it('a node with a redundant uplink proves neither uplink, only what both paths share', () => {
    // DUAL hangs on SEC-B (primary, under R1) and SEC-A (alternate, under BH2 under BH1).
    const g = sampleNetwork({ extra: { devices: [{ id: 'DUAL', name: 'dual', deviceType: 'sector', ipAddress: '10.9.9.9', routerId: 'R1', parentId: 'SEC-B', altParentIds: ['SEC-A'], buildingId: 'B1' }] } });
    expect([...provenUpBy(g, 'DUAL')].sort()).toEqual(['B1', 'DUAL', 'R1']);
  });
});

describe('redundant uplinks: redundancy lost vs outage', () => {
  // SEC-C hangs on BH1 (primary) and SEC-B (alternate); ST-C and its subscriber behind it.
  const g = sampleNetwork({
    extra: {
      devices: [
        { id: 'SEC-C', name: 'sector-c', deviceType: 'sector', ipAddress: '10.0.3.1', routerId: 'R1', parentId: 'BH1', altParentIds: ['SEC-B'], buildingId: 'B1' },
        { id: 'ST-C', name: 'st-c', deviceType: 'station', ipAddress: '10.0.3.11', routerId: 'R1', parentId: 'SEC-C', buildingId: 'B1' },
      ],
      subscribers: [{ id: 'U-C', username: 'u-c', routerId: 'R1', stationId: 'ST-C', buildingId: 'B1' }],
    },
  });

  it('one uplink down, the other carrying: redundancy lost; a leaf down or anything cut off: an outage', () => {
    expect(impactedBy(g, 'BH1').includes('SEC-C')).toBe(false);
    // BH1 cuts off BH2 and SEC-A: an outage, whatever SEC-C does.
    expect(isRedundancyLost(g, 'BH1', impactedBy(g, 'BH1'))).toBe(false);
    const lone = sampleNetwork({ extra: { devices: [{ id: 'BH9', name: 'bh-9', deviceType: 'backhaul', ipAddress: '10.0.9.1', routerId: 'R1', buildingId: 'B1' }, { id: 'SEC-9', name: 's9', deviceType: 'sector', ipAddress: '10.0.9.2', routerId: 'R1', parentId: 'BH9', altParentIds: ['SEC-B'], buildingId: 'B1' }] } });
    expect(isRedundancyLost(lone, 'BH9', impactedBy(lone, 'BH9'))).toBe(true);
    expect(isRedundancyLost(g, 'SEC-A-ST0', impactedBy(g, 'SEC-A-ST0'))).toBe(false); // a station always cuts off its subscribers
  });

  it('both uplinks down: what they cut off together is counted once, for the uplink that failed last', () => {
    const down = new Set(['BH1', 'SEC-B']);
    const joint = impactedBy(g, 'SEC-B', down);
    expect(joint).toEqual(expect.arrayContaining(['SEC-C', 'ST-C', 'U-C']));
    const findings = [
      { root: 'BH1', impacted: impactedBy(g, 'BH1', down) },
      { root: 'SEC-B', impacted: joint },
    ];
    // BH1 was reported first (its incident is open): the joint nodes go to SEC-B.
    const shared = shareJointOutage(findings, new Set(['BH1']));
    expect(shared[0].impacted).not.toContain('SEC-C');
    expect(shared[0].impacted).toContain('SEC-A'); // BH1 alone still cuts SEC-A off
    expect(shared[1].impacted).toEqual(expect.arrayContaining(['SEC-C', 'ST-C', 'U-C']));
    // Nothing open: the first finding keeps them.
    expect(shareJointOutage(findings, new Set())[0].impacted).toContain('SEC-C');
  });

  it('across batches: what an open outage at the other uplink cuts off is not counted again for this one', () => {
    // SEC-B's outage is open (an earlier batch); a late DOWN behind SEC-C walks to BH1.
    expect(withoutJointlyOwned(g, 'BH1', ['SEC-A', 'SEC-C', 'ST-C', 'U-C'], new Set(['SEC-B']))).toEqual(['SEC-A']);
    // No open outage at the other uplink: everything stays.
    expect(withoutJointlyOwned(g, 'BH1', ['SEC-C', 'ST-C', 'U-C'], new Set())).toEqual(['SEC-C', 'ST-C', 'U-C']);
    // Nested outages are parts of one outage, not joint ones: a sector under an open backhaul outage keeps its own.
    expect(withoutJointlyOwned(g, 'SEC-A', ['SEC-A-ST0', 'SEC-A-ST0-U1'], new Set(['BH1']))).toEqual(['SEC-A-ST0', 'SEC-A-ST0-U1']);
    expect(withoutJointlyOwned(g, 'BH1', ['SEC-A', 'SEC-A-ST0'], new Set(['SEC-A']))).toEqual(['SEC-A', 'SEC-A-ST0']);
  });
});
