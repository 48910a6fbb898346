// A recovery whose UP event never reached us (ingest down at that moment; /tool fetch does not
// retry): the periodic recheck of open incidents probes the root cause and resolves it.
import { JobName } from '@isp/domain';
import { waitFor } from '../../../test/support';
import { DiagnosticsHarness } from './diagnostics-harness';

const h = new DiagnosticsHarness('diagnostics-recheck');
const STATION_IP = '10.1.1.10';
const SECTOR_IP = '10.0.1.1';
const SUBSCRIBERS = ['r-u0', 'r-u1'];

beforeAll(async () => {
  await h.start();
  await h.addRouter('core-1', 'R1');
  await h.addDevice('core-1', 'sector-a', 'sector', '10.0.1.1');
  await h.addDevice('core-1', 'st-a0', 'station', STATION_IP, 'sector-a');
  await h.addSubscribers('core-1', 'st-a0', SUBSCRIBERS);
  await h.startApp({ INCIDENT_RECHECK_MS: '300', RESOLVE_REPROBE_AFTER_MS: '300' });
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
  expect((await h.repos.devices.findById(h.devices.get('st-a0')!.id))?.status.state).toBe('UP');
  // The station answering is no evidence for its subscribers: they stay out until their own UP.
  const states = () => Promise.all(SUBSCRIBERS.map(async (u) => (await h.repos.subscribers.findById(h.users.get(u)!))?.state));
  expect(await states()).toEqual(SUBSCRIBERS.map(() => 'IMPACTED'));
  await h.fire('core-1', SUBSCRIBERS.map((username) => ({ username, event: 'up' as const })));
  await waitFor(async () => (await states()).every((st) => st === 'UP'), { message: 'subscribers UP on their own events' });
  expect((await h.notificationJobs(`inc.${incident._id}.`)).sort()).toEqual([`inc.${incident._id}.opened.1`, `inc.${incident._id}.resolved.2`]);
});

it('the sector returns but its station stays down: the sector incident resolves, the station gets its own finding, its subscribers stay out', async () => {
  const sim = h.routers.get('core-1')!.sim;
  sim.setDeviceUp(SECTOR_IP, false);
  await h.fire('core-1', [{ host: SECTOR_IP, event: 'down' }, { host: STATION_IP, event: 'down' }, ...SUBSCRIBERS.map((username) => ({ username, event: 'down' as const }))]);
  const sector = await waitFor(() => h.repos.incidents.findOpenFor({ kind: 'device', id: h.devices.get('sector-a')!.id as never }), { message: 'sector incident' });
  // The station fails too while the sector is out; then the sector comes back with its UP event.
  sim.setDeviceUp(STATION_IP, false);
  sim.setDeviceUp(SECTOR_IP, true);
  await h.fire('core-1', [{ host: SECTOR_IP, event: 'up' }]);
  await waitFor(async () => (await h.repos.incidents.findById(sector._id))?.state === 'resolved', { message: 'sector incident resolved' });
  const station = await waitFor(() => h.repos.incidents.findOpenFor({ kind: 'device', id: h.devices.get('st-a0')!.id as never }), { message: "the station's own finding after a re-probe" });
  expect(station).toMatchObject({ level: 1, impactedSubscribers: SUBSCRIBERS.length });
  // The incident is written first, then its states and logs.
  await waitFor(async () => (await h.repos.devices.findById(h.devices.get('st-a0')!.id))?.status.state === 'DOWN', { message: 'station DOWN' });
  // One continuous log per subscriber, now carried by the station's incident.
  const logsMoved = async () => (await Promise.all(SUBSCRIBERS.map((u) => h.repos.downtime.findOpen(h.users.get(u)!)))).every((l) => String(l?.incident) === String(station._id));
  await waitFor(logsMoved, { message: "subscribers' logs labelled with the station incident" });
  for (const u of SUBSCRIBERS) expect((await h.repos.subscribers.findById(h.users.get(u)!))?.state).toBe('IMPACTED');
  expect((await h.notificationJobs(`inc.${sector._id}.`)).sort()).toEqual([`inc.${sector._id}.opened.1`, `inc.${sector._id}.resolved.2`]);
  sim.setDeviceUp(STATION_IP, true);
  await waitFor(async () => (await h.repos.incidents.findById(station._id))?.state === 'resolved', { message: 'station incident resolved by the recheck' });
});
