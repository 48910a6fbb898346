import { provenUpBy } from './classification';
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
