// Issue 17 item 2, diagnostics side: each incident change is filed in the incident's timeline
// events where it happens (opened, merged on the swallowed incident and absorbed on the one that
// carries on, resolved), once per change even when the announcement runs again.
import { waitFor } from '../../../test/support';
import { DiagnosticsHarness } from './diagnostics-harness';

const h = new DiagnosticsHarness('diagnostics-timeline-events');
const SECTOR_IP = '10.0.1.1';
const STATIONS = { 'st-a0': '10.1.1.10', 'st-a1': '10.1.1.11' } as const;

beforeAll(async () => {
  await h.start();
  await h.addRouter('core-1', 'R1');
  await h.addDevice('core-1', 'sector-a', 'sector', SECTOR_IP);
  for (const [name, ip] of Object.entries(STATIONS)) {
    await h.addDevice('core-1', name, 'station', ip, 'sector-a');
    await h.addSubscribers('core-1', name, [`${name}-u0`]);
  }
  await h.startApp({ PROBE_CACHE_MS: '0' });
}, 60000);

afterAll(() => h.stop(), 60000);

const openFor = (name: string) => () => h.repos.incidents.findOpenFor({ kind: 'device', id: h.devices.get(name)!.id as never });
const typesOf = async (id: unknown) => (await h.repos.incidentEvents.forIncident(String(id))).map((e) => e.type);

it('opened, merged/absorbed and resolved are filed on the incidents they happened to', async () => {
  const sim = h.routers.get('core-1')!.sim;
  sim.setDeviceUp(STATIONS['st-a0'], false);
  await h.fire('core-1', [{ host: STATIONS['st-a0'], event: 'down' }, { username: 'st-a0-u0', event: 'down' }]);
  const older = await waitFor(openFor('st-a0'), { message: 'st-a0 incident' });
  await waitFor(async () => (await typesOf(older._id)).includes('opened'), { message: 'opened filed' });
  const [opened] = await h.repos.incidentEvents.forIncident(String(older._id));
  // A station root is Level 1 with its subscriber behind it: the figures of the incident then.
  expect(opened).toMatchObject({ type: 'opened', level: 1, impact: { devices: older.impactedDevices, stations: older.impactedStations ?? 0, subscribers: 1 } });
  expect(+opened.at).toBe(+new Date(older.openedAt));

  sim.setDeviceUp(STATIONS['st-a1'], false);
  await h.fire('core-1', [{ host: STATIONS['st-a1'], event: 'down' }, { username: 'st-a1-u0', event: 'down' }]);
  const younger = await waitFor(openFor('st-a1'), { message: 'st-a1 incident' });

  sim.setDeviceUp(SECTOR_IP, false);
  await h.fire('core-1', [{ host: SECTOR_IP, event: 'down' }]);
  const sector = await waitFor(openFor('sector-a'), { message: 'sector incident' });
  expect(String(sector._id)).toBe(String(older._id));
  await waitFor(async () => (await typesOf(younger._id)).includes('merged'), { message: 'merge filed' });
  const youngerEvents = await h.repos.incidentEvents.forIncident(String(younger._id));
  expect(youngerEvents.map((e) => e.type)).toEqual(['opened', 'merged']);
  expect(String(youngerEvents[1].other)).toBe(String(older._id));
  // The re-rooted incident: opened for the station, opened again for the sector's audience, and the swallowed one.
  await waitFor(async () => (await typesOf(older._id)).filter((t) => t === 'opened').length === 2, { message: 're-root filed' });
  const olderEvents = await h.repos.incidentEvents.forIncident(String(older._id));
  expect(olderEvents.filter((e) => e.type === 'absorbed').map((e) => String(e.other))).toEqual([String(younger._id)]);

  sim.setDeviceUp(SECTOR_IP, true);
  for (const ip of Object.values(STATIONS)) sim.setDeviceUp(ip, true);
  await h.fire('core-1', [{ host: SECTOR_IP, event: 'up' }]);
  await waitFor(async () => (await h.repos.incidents.findById(older._id))?.state === 'resolved', { message: 'sector incident resolved' });
  await waitFor(async () => (await typesOf(older._id)).includes('resolved'), { message: 'resolve filed' });
  const resolved = (await h.repos.incidentEvents.forIncident(String(older._id))).filter((e) => e.type === 'resolved');
  expect(resolved).toHaveLength(1);
  expect(+resolved[0].at).toBe(+new Date((await h.repos.incidents.findById(older._id))!.resolvedAt!));
});
