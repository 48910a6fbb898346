import { modelsOn, SubscriberRepository } from '@isp/data';
import { TopologyCacheService } from '../src/topology/topology-cache.service';
import { DiagnosticsHarness } from './diagnostics-harness';

/**
 * A change that names its router re-reads that router's rows only (issue 19, scenario 2: a full
 * read of every subscriber on each change took seconds at 5,000). The graph it builds must be the
 * one a full read would build: a subscriber moved between routers, one deleted, one added.
 */
describe('diagnostics: a topology change naming its router re-reads that router only', () => {
  const h = new DiagnosticsHarness('diag-partial-reload');
  let topology: TopologyCacheService;
  let reads: jest.SpyInstance;
  let a: string;
  let b: string;

  /** Every node with what a lookup depends on, sorted: two graphs equal in this are equal for diagnosis. */
  const shape = () =>
    [...topology.graph.nodes.values()]
      .map((n) => `${n.kind}:${n.id}:${n.name}:${n.routerId ?? ''}:${n.parents.join(',')}:${n.buildingId ?? ''}`)
      .sort();

  beforeAll(async () => {
    await h.start();
    a = await h.addRouter('pr-a', 'PRA');
    b = await h.addRouter('pr-b', 'PRB');
    await h.addDevice('pr-a', 'pr-a-station', 'station', '10.78.0.2');
    await h.addDevice('pr-b', 'pr-b-station', 'station', '10.78.1.2');
    await h.addSubscribers('pr-a', 'pr-a-station', ['stays', 'moves', 'leaves']);
    await h.addSubscribers('pr-b', 'pr-b-station', ['other']);
    const app = await h.startApp();
    topology = app.get(TopologyCacheService);
    reads = jest.spyOn(app.get(SubscriberRepository), 'findPlacements');
  });
  afterAll(() => h.stop());

  it('a move to B, a deletion and an addition on A: each router re-read alone, the graph as a full read builds it', async () => {
    const m = modelsOn(h.conn);
    await m.subscriber.updateOne({ _id: h.users.get('moves') }, { router: b, station: h.devices.get('pr-b-station')!.id }).exec();
    await topology.reload('moved to B', b);
    expect(topology.graph.subscriberByUsername(b, 'moves')).toBe(h.users.get('moves'));
    expect(topology.graph.subscriberByUsername(a, 'moves')).toBeUndefined();
    expect(topology.graph.get(h.users.get('moves')!)?.parents).toEqual([h.devices.get('pr-b-station')!.id]);

    await m.subscriber.deleteOne({ _id: h.users.get('leaves') }).exec();
    await h.addSubscribers('pr-a', 'pr-a-station', ['arrives']);
    await topology.reload('changed on A', a);
    expect(topology.graph.get(h.users.get('leaves')!)).toBeUndefined();
    expect(topology.graph.subscriberByUsername(a, 'arrives')).toBe(h.users.get('arrives'));
    // B's rows were kept from the read before, not read again.
    expect(topology.graph.subscriberByUsername(b, 'other')).toBe(h.users.get('other'));
    expect(reads.mock.calls).toEqual([[{ router: b }], [{ router: a }]]);

    const partial = shape();
    await topology.reload('full');
    expect(reads).toHaveBeenLastCalledWith();
    expect(shape()).toEqual(partial);
  });
});
