// A recovery whose UP event never reached us (ingest down at that moment; /tool fetch does not
// retry): the periodic recheck of open incidents probes the root cause and resolves it.
import { JobName } from '@isp/domain';
import { waitFor } from '../../../test/support';
import { DiagnosticsHarness } from './diagnostics-harness';

const h = new DiagnosticsHarness('diagnostics-recheck');
const STATION_IP = '10.1.1.10';
const SUBSCRIBERS = ['r-u0', 'r-u1'];

beforeAll(async () => {
  await h.start();
  await h.addRouter('core-1', 'R1');
  await h.addDevice('core-1', 'sector-a', 'sector', '10.0.1.1');
  await h.addDevice('core-1', 'st-a0', 'station', STATION_IP, 'sector-a');
  await h.addSubscribers('core-1', 'st-a0', SUBSCRIBERS);
  await h.startApp({ INCIDENT_RECHECK_MS: '300' });
}, 60000);

afterAll(() => h.stop(), 60000);

const rechecksDone = async () => (await h.monitoring.getJobs(['completed'])).filter((j) => j.name === JobName.RECHECK_INCIDENTS).length;

it('a station back with its UP event lost: left open while it is down, resolved by the recheck once it answers', async () => {
  const sim = h.routers.get('core-1')!.sim;
  sim.setDeviceUp(STATION_IP, false);
  await h.fire('core-1', SUBSCRIBERS.map((username) => ({ username, event: 'down' as const })));
  const incident = await waitFor(() => h.repos.incidents.findOpenFor({ kind: 'device', id: h.devices.get('st-a0')!.id as never }), { message: 'station incident' });

  // Still down: rechecks come and go, the incident stays open.
  const before = await rechecksDone();
  await waitFor(async () => (await rechecksDone()) >= before + 2, { message: 'two rechecks while the station is down' });
  expect((await h.repos.incidents.findById(incident._id))?.state).toBe('open');

  // Back, and no UP event is fired: only the recheck can notice.
  sim.setDeviceUp(STATION_IP, true);
  await waitFor(async () => (await h.repos.incidents.findById(incident._id))?.state === 'resolved', { message: 'resolved by the recheck' });
  // resolve() writes the incident first, then walks the outage back.
  await waitFor(async () => {
    const states = await Promise.all(SUBSCRIBERS.map(async (u) => (await h.repos.subscribers.findById(h.users.get(u)!))?.state));
    return states.every((st) => st === 'UP');
  }, { message: 'subscribers UP again' });
  expect((await h.repos.devices.findById(h.devices.get('st-a0')!.id))?.status.state).toBe('UP');
  expect((await h.notificationJobs(`inc.${incident._id}.`)).sort()).toEqual([`inc.${incident._id}.opened.1`, `inc.${incident._id}.resolved.2`]);
});
