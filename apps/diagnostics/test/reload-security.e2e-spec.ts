import { SubscriberRepository } from '@isp/data';
import { TopologyCacheService } from '../src/topology/topology-cache.service';
import { DiagnosticsHarness } from './diagnostics-harness';

/**
 * Issue 15, item 9: an event about a subject nobody entered must not rebuild the whole topology
 * each time it comes. The rebuild rate limit is off here (interval 0), so only the remembered
 * negative answer can keep the count down.
 */
describe('diagnostics: unknown subjects do not reload the topology (security)', () => {
  const h = new DiagnosticsHarness('diag-reload-security');
  let topology: TopologyCacheService;
  let loads: jest.SpyInstance;
  let routerId: string;

  beforeAll(async () => {
    await h.start();
    routerId = await h.addRouter('rs-core', 'RS');
    await h.addDevice('rs-core', 'rs-station', 'station', '10.77.0.2');
    await h.addSubscribers('rs-core', 'rs-station', ['known-user']);
    const app = await h.startApp({ UNKNOWN_SUBJECT_RELOAD_INTERVAL_MS: '0' });
    topology = app.get(TopologyCacheService);
    // Counts full rebuilds (each reads every subscriber); the real repository still answers.
    loads = jest.spyOn(app.get(SubscriberRepository), 'findPlacements');
  });
  afterAll(() => h.stop());

  beforeEach(() => loads.mockClear());

  it('the same unknown subject, again and again: one rebuild, then answers from memory', async () => {
    for (let i = 0; i < 6; i++) expect(await topology.resolveSubject(routerId, { kind: 'ppp', username: 'ghost' })).toBeUndefined();
    for (let i = 0; i < 3; i++) expect(await topology.resolveSubject(routerId, { kind: 'netwatch', host: '10.77.9.9' })).toBeUndefined();
    expect(loads).toHaveBeenCalledTimes(2);
  });

  it('known subjects resolve without a rebuild, and a subject created after start is still found by one', async () => {
    expect(await topology.resolveSubject(routerId, { kind: 'ppp', username: 'known-user' })).toBe(h.users.get('known-user'));
    expect(loads).not.toHaveBeenCalled();
    await h.addSubscribers('rs-core', 'rs-station', ['late-user']);
    expect(await topology.resolveSubject(routerId, { kind: 'ppp', username: 'late-user' })).toBe(h.users.get('late-user'));
    expect(loads).toHaveBeenCalledTimes(1);
  });
});
