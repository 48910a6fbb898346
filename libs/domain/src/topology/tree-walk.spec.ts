import { rootForRouterFailure, incidentLevel, type ProbeState } from './classification';
import { sampleNetwork, subscribersUnder } from './topology.fixtures';
import { TopologyGraph } from './topology-graph';
import { runWalk } from './tree-walk';

/** Runs a walk against a network whose broken nodes are `down`; returns the outcome and probes. */
async function diagnose(graph: TopologyGraph, failing: string[], down: string[], opts: { reporter?: string; unknown?: string[] } = {}) {
  const probed: string[] = [];
  const known = new Map<string, ProbeState>([[opts.reporter ?? 'R1', 'UP']]);
  const broken = new Set(down);
  // A node is unreachable when it or any primary ancestor is broken.
  const reachable = (id: string) => ![id, ...graph.ancestors(id)].some((n) => broken.has(n));
  const outcome = await runWalk(graph, failing, known, async (ids) => {
    probed.push(...ids);
    return new Map(ids.map((id): [string, ProbeState] => [id, opts.unknown?.includes(id) ? 'UNKNOWN' : reachable(id) ? 'UP' : 'DOWN']));
  });
  return { outcome, probed };
}

describe('tree walk', () => {
  it('one subscriber drops while its station answers: the subscriber is its own root cause, one probe', async () => {
    const g = sampleNetwork();
    const { outcome, probed } = await diagnose(g, ['SEC-B-ST0-U1'], []);
    expect(probed).toEqual(['SEC-B-ST0']);
    expect(outcome.roots).toEqual([expect.objectContaining({ root: 'SEC-B-ST0-U1', impacted: [], explains: ['SEC-B-ST0-U1'] })]);
    expect(incidentLevel(g.get('SEC-B-ST0-U1')!)).toBe(1);
  });

  it('a station goes down: the station is the root, its subscribers are impacted, two probes', async () => {
    const g = sampleNetwork();
    const subs = subscribersUnder(g, 'SEC-B-ST1');
    const { outcome, probed } = await diagnose(g, subs, ['SEC-B-ST1']);
    expect(probed.sort()).toEqual(['SEC-B', 'SEC-B-ST1']);
    expect(outcome.roots).toHaveLength(1);
    expect(outcome.roots[0].root).toBe('SEC-B-ST1');
    expect(outcome.roots[0].impacted.sort()).toEqual(subs.sort());
    expect(incidentLevel(g.get('SEC-B-ST1')!)).toBe(1);
  });

  it('a sector with 50 stations and 1,000 subscribers goes down: one root at the sector, a handful of probes', async () => {
    const g = sampleNetwork({ stations: 50, subs: 20 });
    const subs = subscribersUnder(g, 'SEC-B');
    expect(subs).toHaveLength(1000);
    const { outcome, probed } = await diagnose(g, subs, ['SEC-B']);
    expect(outcome.roots).toHaveLength(1);
    expect(outcome.roots[0].root).toBe('SEC-B');
    expect(outcome.roots[0].impacted).toHaveLength(1050);
    expect(outcome.roots[0].explains).toHaveLength(1000);
    expect(probed.length).toBeLessThanOrEqual(10);
    expect(incidentLevel(g.get('SEC-B')!)).toBe(2);
  });

  it('a chain of two backhauls where the first fails: the root cause is the first backhaul', async () => {
    const g = sampleNetwork({ stations: 3 });
    const subs = subscribersUnder(g, 'SEC-A');
    const { outcome, probed } = await diagnose(g, subs, ['BH1']);
    expect(outcome.roots.map((r) => r.root)).toEqual(['BH1']);
    expect(outcome.roots[0].impacted).toEqual(expect.arrayContaining(['BH2', 'SEC-A', ...subs]));
    expect(outcome.roots[0].evidence).toEqual(['B1', 'R1', 'BH1']);
    expect(probed.length).toBeLessThanOrEqual(4);
  });

  it('the second backhaul fails: the walk stops at it because the first answers', async () => {
    const g = sampleNetwork();
    const { outcome } = await diagnose(g, subscribersUnder(g, 'SEC-A'), ['BH2']);
    expect(outcome.roots.map((r) => r.root)).toEqual(['BH2']);
  });

  it('only part of an outage has been reported yet: the walk still climbs to the real root', async () => {
    const g = sampleNetwork({ stations: 4 });
    const { outcome } = await diagnose(g, subscribersUnder(g, 'SEC-A-ST2'), ['BH1']);
    expect(outcome.roots.map((r) => r.root)).toEqual(['BH1']);
  });

  it('two unrelated failures in one batch: a subscriber on its own and a station', async () => {
    const g = sampleNetwork();
    const st = subscribersUnder(g, 'SEC-B-ST1');
    const { outcome } = await diagnose(g, ['SEC-B-ST0-U0', ...st], ['SEC-B-ST1']);
    expect(outcome.roots.map((r) => r.root).sort()).toEqual(['SEC-B-ST0-U0', 'SEC-B-ST1']);
  });

  it('a device netwatch reported down answers the probe: cleared, no root cause', async () => {
    const g = sampleNetwork();
    const { outcome } = await diagnose(g, ['SEC-B-ST0'], []);
    expect(outcome.roots).toEqual([]);
    expect(outcome.cleared).toEqual(['SEC-B-ST0']);
  });

  it('a station with a redundant uplink stays up when one of its sectors fails', async () => {
    const g = sampleNetwork({
      stations: 1,
      subs: 2,
      extra: {
        devices: [{ id: 'DUAL', name: 'dual-homed', deviceType: 'station', ipAddress: '10.9.9.9', routerId: 'R1', parentId: 'SEC-B', altParentIds: ['SEC-A'], buildingId: 'B1' }],
        subscribers: [{ id: 'DUAL-U0', username: 'dual-u0', routerId: 'R1', stationId: 'DUAL' }],
      },
    });
    const subs = subscribersUnder(g, 'SEC-B-ST0');
    const { outcome } = await diagnose(g, subs, ['SEC-B']);
    expect(outcome.roots.map((r) => r.root)).toEqual(['SEC-B']);
    expect(outcome.roots[0].impacted).not.toContain('DUAL');
    expect(outcome.roots[0].impacted).not.toContain('DUAL-U0');
  });

  it('a dual-homed station that was reported down after one uplink failed is examined over its other path', async () => {
    const g = sampleNetwork({
      stations: 1,
      subs: 1,
      extra: { devices: [{ id: 'DUAL', name: 'dual-homed', deviceType: 'station', ipAddress: '10.9.9.9', routerId: 'R1', parentId: 'SEC-B', altParentIds: ['SEC-A'], buildingId: 'B1' }] },
    });
    const { outcome } = await diagnose(g, ['SEC-B-ST0-U0', 'DUAL'], ['SEC-B', 'DUAL']);
    expect(outcome.roots.map((r) => r.root).sort()).toEqual(['DUAL', 'SEC-B']);
  });
});

describe('UNKNOWN is not evidence', () => {
  it('one subscriber drops while its station cannot be asked: the subscriber alone (Level 1), undetermined, no station blamed', async () => {
    const g = sampleNetwork();
    const { outcome } = await diagnose(g, ['SEC-B-ST0-U1'], [], { unknown: ['SEC-B-ST0'] });
    expect(outcome.roots).toEqual([expect.objectContaining({ root: 'SEC-B-ST0-U1', impacted: [], explains: ['SEC-B-ST0-U1'], undetermined: true })]);
    // The evidence path keeps the hop nobody could ask.
    expect(outcome.roots[0].evidence).toContain('SEC-B-ST0');
  });

  it('every subscriber of a station drops while the station is UNKNOWN and its sector UP: each its own Level 1 finding, no station incident', async () => {
    const g = sampleNetwork();
    const subs = subscribersUnder(g, 'SEC-B-ST1');
    const { outcome } = await diagnose(g, subs, [], { unknown: ['SEC-B-ST1'] });
    expect(outcome.roots.map((r) => r.root).sort()).toEqual([...subs].sort());
    expect(outcome.roots.every((r) => r.undetermined && r.impacted.length === 0)).toBe(true);
  });

  it('an UNKNOWN sector above a station that is DOWN by probe: the station is blamed, not the sector', async () => {
    const g = sampleNetwork();
    const subs = subscribersUnder(g, 'SEC-B-ST1');
    const { outcome } = await diagnose(g, subs, ['SEC-B-ST1'], { unknown: ['SEC-B'] });
    expect(outcome.roots.map((r) => r.root)).toEqual(['SEC-B-ST1']);
    expect(outcome.roots[0].undetermined).toBeFalsy();
  });

  it('an UNKNOWN node is not counted as down when deciding who is impacted', async () => {
    const g = sampleNetwork({
      stations: 1,
      subs: 1,
      extra: { devices: [{ id: 'DUAL', name: 'dual-homed', deviceType: 'station', ipAddress: '10.9.9.9', routerId: 'R1', parentId: 'SEC-B', altParentIds: ['SEC-A'], buildingId: 'B1' }] },
    });
    const known = new Map<string, ProbeState>([['R1', 'UP'], ['SEC-A', 'UNKNOWN']]);
    const outcome = await runWalk(g, subscribersUnder(g, 'SEC-B-ST0'), known, async (ids) => new Map(ids.map((id): [string, ProbeState] => [id, id === 'SEC-B' || g.ancestors(id).includes('SEC-B') ? 'DOWN' : 'UP'])));
    expect(outcome.roots.map((r) => r.root)).toEqual(['SEC-B']);
    expect(outcome.roots[0].impacted).not.toContain('DUAL');
  });
});

describe('router failures', () => {
  const twoCores = () =>
    sampleNetwork({ extra: { routers: [{ id: 'R2', name: 'core-2', role: 'core', buildingId: 'B1' }, { id: 'E1', name: 'edge-1', role: 'edge', buildingId: 'B1' }] } });

  it('every router is a heartbeat target: edge routers and records with no role too', () => {
    const g = TopologyGraph.build({
      buildings: [{ id: 'B1', name: 'b' }],
      routers: [
        { id: 'R1', name: 'core', role: 'core', buildingId: 'B1' },
        { id: 'E1', name: 'edge', role: 'edge', buildingId: 'B1' },
        { id: 'L1', name: 'legacy', role: undefined as unknown as string, buildingId: 'B1' },
      ],
      devices: [],
      subscribers: [],
    });
    expect(g.routerIds().sort()).toEqual(['E1', 'L1', 'R1']);
  });

  it('a lone core router down is the root cause itself, Level 3', () => {
    const g = sampleNetwork();
    expect(rootForRouterFailure(g, 'R1', new Set())).toEqual({ root: 'R1', routers: ['R1'] });
    expect(incidentLevel(g.get('R1')!)).toBe(3);
  });

  it('one of two core routers down: the router; both down: the building', () => {
    const g = twoCores();
    expect(rootForRouterFailure(g, 'R1', new Set()).root).toBe('R1');
    expect(rootForRouterFailure(g, 'R1', new Set(['R2'])).root).toBe('B1');
    expect(incidentLevel(g.get('B1')!)).toBe(3);
    expect(incidentLevel(g.get('E1')!)).toBe(2);
  });
});
