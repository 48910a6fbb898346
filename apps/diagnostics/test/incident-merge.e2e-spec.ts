// Issue 19, defect 4: an outage that grows upwards over older incidents. The oldest follows the
// new root with the new root's time and "opened" for its new audience; the others are merged:
// no RESOLVED notification, their subscribers keep their state (now under the wider incident).
import { waitFor } from '../../../test/support';
import { DiagnosticsHarness } from './diagnostics-harness';

const h = new DiagnosticsHarness('diagnostics-merge');
const SECTOR_IP = '10.0.1.1';
const STATIONS = { 'st-a0': '10.1.1.10', 'st-a1': '10.1.1.11' } as const;
const users = (st: string) => [`${st}-u0`, `${st}-u1`];

beforeAll(async () => {
  await h.start();
  await h.addRouter('core-1', 'R1');
  await h.addDevice('core-1', 'sector-a', 'sector', SECTOR_IP);
  for (const [name, ip] of Object.entries(STATIONS)) {
    await h.addDevice('core-1', name, 'station', ip, 'sector-a');
    await h.addSubscribers('core-1', name, users(name));
  }
  // No probe cache: the stations' walks found the sector UP a moment before it fails.
  await h.startApp({ PROBE_CACHE_MS: '0' });
}, 60000);

afterAll(() => h.stop(), 60000);

const openFor = (name: string) => () => h.repos.incidents.findOpenFor({ kind: 'device', id: h.devices.get(name)!.id as never });

it('two station incidents swallowed by their sector: the older re-rooted ("opened", the sector\'s time), the other merged without a RESOLVED', async () => {
  const sim = h.routers.get('core-1')!.sim;
  sim.setDeviceUp(STATIONS['st-a0'], false);
  await h.fire('core-1', [{ host: STATIONS['st-a0'], event: 'down' }, ...users('st-a0').map((username) => ({ username, event: 'down' as const }))]);
  const older = await waitFor(openFor('st-a0'), { message: 'st-a0 incident' });
  sim.setDeviceUp(STATIONS['st-a1'], false);
  await h.fire('core-1', [{ host: STATIONS['st-a1'], event: 'down' }, ...users('st-a1').map((username) => ({ username, event: 'down' as const }))]);
  const younger = await waitFor(openFor('st-a1'), { message: 'st-a1 incident' });
  await waitFor(async () => (await h.repos.subscribers.findById(h.users.get('st-a1-u1')!))?.state === 'IMPACTED', { message: 'st-a1 subscribers IMPACTED' });

  const sectorFailed = new Date();
  sim.setDeviceUp(SECTOR_IP, false);
  await h.fire('core-1', [{ host: SECTOR_IP, event: 'down' }]);
  const sector = await waitFor(openFor('sector-a'), { message: 'sector incident' });
  expect(String(sector._id)).toBe(String(older._id));
  expect(sector).toMatchObject({ level: 2, impactedStations: 2, impactedSubscribers: 4 });
  expect(+new Date(sector.openedAt)).toBeGreaterThanOrEqual(+sectorFailed - 1000);
  await waitFor(async () => (await h.notificationJobs(`inc.${older._id}.`)).length === 2, { message: 'the re-root handed off' });
  expect((await h.notificationJobs(`inc.${older._id}.`)).sort()).toEqual([`inc.${older._id}.opened.1`, `inc.${older._id}.opened.2`]);

  const merged = (await h.repos.incidents.findById(younger._id))!;
  expect(merged.state).toBe('resolved');
  expect(String(merged.mergedInto)).toBe(String(older._id));
  expect(await h.notificationJobs(`inc.${younger._id}.`)).toEqual([`inc.${younger._id}.opened.1`]);
  // Its subscribers never went UP: still out, their logs now on the sector's incident.
  for (const u of users('st-a1')) {
    expect((await h.repos.subscribers.findById(h.users.get(u)!))?.state).toBe('IMPACTED');
  }
  await waitFor(async () => (await Promise.all(users('st-a1').map((u) => h.repos.downtime.findOpen(h.users.get(u)!)))).every((l) => String(l?.incident) === String(older._id)), { message: 'logs relabelled' });
});
