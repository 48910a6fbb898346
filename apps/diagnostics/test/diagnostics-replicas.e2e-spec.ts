// Three diagnostics replicas on one queue prefix: one outage is still one incident and one
// notification job per change.
import { unfinishedJobs, waitFor } from '../../../test/support';
import { DiagnosticsHarness } from './diagnostics-harness';

const h = new DiagnosticsHarness('diagnostics-replicas');
const subs = (station: string, n: number) => Array.from({ length: n }, (_, j) => `${station}-u${j}`);

beforeAll(async () => {
  await h.start();
  await h.addRouter('core-r', 'BR');
  await h.addDevice('core-r', 'sector-r', 'sector', '10.7.0.1');
  for (let i = 0; i < 3; i++) {
    await h.addDevice('core-r', `st-r${i}`, 'station', `10.7.1.${10 + i}`, 'sector-r');
    await h.addSubscribers('core-r', `st-r${i}`, subs(`r${i}`, 4));
  }
  await Promise.all([h.startApp(), h.startApp(), h.startApp()]);
}, 120000);

afterAll(() => h.stop(), 60000);

it('three replicas: exactly one incident and one notification job per change', async () => {
  h.routers.get('core-r')!.sim.setDeviceUp('10.7.0.1', false);
  // Events spread over time so several replicas take part in the hold-down window.
  for (let i = 0; i < 3; i++) await h.fire('core-r', subs(`r${i}`, 4).map((username) => ({ username, event: 'down' as const })));
  const sector = h.devices.get('sector-r')!.id;
  const incident = await waitFor(() => h.repos.incidents.findOpenFor({ kind: 'device', id: sector as never }), { timeoutMs: 20000 });
  expect(incident).toMatchObject({ level: 2, impactedDevices: 0, impactedStations: 3, impactedSubscribers: 12 });
  // Job schedulers' next runs (heartbeat, flap check) are always delayed: only the outage's own work counts.
  await waitFor(async () => (await unfinishedJobs(h.monitoring, ['delayed', 'active'])) === 0, { timeoutMs: 60000 });
  expect(await h.repos.incidents.count({})).toBe(1);
  expect(await h.notificationJobs('inc.')).toEqual([`inc.${incident._id}.opened.1`]);

  h.routers.get('core-r')!.sim.setDeviceUp('10.7.0.1', true);
  await h.fire('core-r', [{ host: '10.7.0.1', event: 'up' }, { username: 'r0-u0', event: 'up' }, { username: 'r1-u0', event: 'up' }]);
  await waitFor(async () => (await h.repos.incidents.findById(incident._id))?.state === 'resolved');
  await waitFor(async () => (await h.monitoring.getJobCounts('active', 'waiting')).active === 0);
  expect((await h.notificationJobs('inc.')).sort()).toEqual([`inc.${incident._id}.opened.1`, `inc.${incident._id}.resolved.2`]);
  expect(h.probers.length).toBe(3);
}, 150000);
