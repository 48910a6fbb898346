import { TopologyGraph, type TopologyInput } from './topology-graph';

/**
 * A small ISP for specs: building B1 with core router R1; R1 -> BH1 -> BH2 -> SEC-A and
 * R1 -> SEC-B; `stations` stations per sector, `subs` subscribers per station. Ids are readable
 * strings (the graph does not care that production ids are ObjectIds).
 */
export function sampleNetwork(opts: { stations?: number; subs?: number; extra?: Partial<TopologyInput> } = {}): TopologyGraph {
  const stations = opts.stations ?? 2;
  const subs = opts.subs ?? 3;
  const input: TopologyInput = {
    buildings: [{ id: 'B1', name: 'Tower One' }],
    routers: [{ id: 'R1', name: 'core-1', role: 'core', buildingId: 'B1' }],
    devices: [
      { id: 'BH1', name: 'bh-1', deviceType: 'backhaul', ipAddress: '10.0.0.1', routerId: 'R1', buildingId: 'B1' },
      { id: 'BH2', name: 'bh-2', deviceType: 'backhaul', ipAddress: '10.0.0.2', routerId: 'R1', parentId: 'BH1', buildingId: 'B1' },
      { id: 'SEC-A', name: 'sector-a', deviceType: 'sector', ipAddress: '10.0.1.1', routerId: 'R1', parentId: 'BH2', buildingId: 'B1' },
      { id: 'SEC-B', name: 'sector-b', deviceType: 'sector', ipAddress: '10.0.2.1', routerId: 'R1', buildingId: 'B1' },
    ],
    subscribers: [],
  };
  for (const sector of ['SEC-A', 'SEC-B']) {
    for (let i = 0; i < stations; i++) {
      const st = `${sector}-ST${i}`;
      input.devices.push({ id: st, name: st.toLowerCase(), deviceType: 'station', ipAddress: `10.1.${sector === 'SEC-A' ? 1 : 2}.${i + 10}`, routerId: 'R1', parentId: sector, buildingId: 'B1' });
      for (let j = 0; j < subs; j++) input.subscribers.push({ id: `${st}-U${j}`, username: `${st}-u${j}`.toLowerCase(), routerId: 'R1', stationId: st, buildingId: 'B1' });
    }
  }
  for (const k of ['buildings', 'routers', 'devices', 'subscribers'] as const) {
    (input[k] as unknown[]).push(...((opts.extra?.[k] as unknown[]) ?? []));
  }
  return TopologyGraph.build(input);
}

export function subscribersUnder(graph: TopologyGraph, id: string): string[] {
  return graph.descendants(id).filter((d) => graph.get(d)!.kind === 'subscriber');
}
