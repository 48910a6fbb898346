// Issue 19 scenarios 10-12 and 14: resolving on evidence, merges, redundancy, a lost UP POST.
// Expected pages are written here before each scenario runs ("tech" = Level 2 technician).
import { DEVICES, type ScenarioStack, type Username } from './scenario-stack';
import type { Scenario } from './scenario-matrix';

type Until = Parameters<Scenario['run']>[1];
const WAIT = 30000;

async function openIncidents(s: ScenarioStack) {
  return s.models.incident.find({ state: { $in: ['open', 'acknowledged'] } }).lean().exec();
}
async function subscriberState(s: ScenarioStack, u: Username) {
  return (await s.models.subscriber.findById(s.ids.subscribers[u]).lean().exec())?.state;
}
async function deviceState(s: ScenarioStack, d: keyof typeof DEVICES) {
  return (await s.models.device.findById(s.ids.devices[d]).lean().exec())?.status?.state;
}
function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`final state: ${what}`);
}
const openAt = (s: ScenarioStack, d: keyof typeof DEVICES) => async () => (await openIncidents(s)).find((i) => String(i.rootCause.id) === s.ids.devices[d]);
const resolved = (s: ScenarioStack, id: unknown) => async () => (await s.models.incident.findById(id).lean().exec())?.state === 'resolved';

/** The sector returns, a station behind it does not: the station's own Level 1 finding (no page), its subscribers not UP. */
async function stationLeftDown(s: ScenarioStack, until: Until, station: 'ST1' | 'ST2', itsUsers: Username[], others: Username[]): Promise<void> {
  const own = await until(`${station}'s own finding after the re-probe`, openAt(s, station), WAIT);
  check(own.level === 1 && own.impactedSubscribers === itsUsers.length, `${station} incident L1 with ${itsUsers.length} impacted (got L${own.level}, ${own.impactedSubscribers})`);
  await until(`${station} DOWN`, async () => (await deviceState(s, station)) === 'DOWN', WAIT);
  await until('the others UP on their own events', async () => (await Promise.all(others.map((u) => subscriberState(s, u)))).every((st) => st === 'UP'), WAIT);
  await s.settle();
  for (const u of itsUsers) check((await subscriberState(s, u)) === 'IMPACTED', `${u} still IMPACTED (got ${await subscriberState(s, u)})`);
  const open = await openIncidents(s);
  check(open.length === 1 && String(open[0].rootCause.id) === s.ids.devices[station], `only ${station}'s incident open (got ${open.map((i) => i.rootCause.name).join(', ')})`);
}

export const INCID_SCENARIOS: Scenario[] = [
  {
    id: 11,
    name: 'a station incident, then its sector fails; the sector returns, the station does not',
    expectedPages: { 'tech:opened': 1, 'tech:resolved': 1 },
    async run(s, until) {
      s.sim.setDeviceUp(DEVICES.ST1.ip, false);
      const station = await until('L1 incident at ST1', openAt(s, 'ST1'), WAIT);
      check(station.level === 1, `station incident L1 (got L${station.level})`);
      await s.settle();
      const sectorFailed = new Date();
      s.sim.setDeviceUp(DEVICES.SEC1.ip, false);
      const sector = await until('the incident re-rooted at SEC1', openAt(s, 'SEC1'), WAIT);
      await s.settle();
      check(String(sector._id) === String(station._id), 'one thread: the station incident follows the sector');
      check(sector.level === 2 && sector.impactedSubscribers === 3, `L2 with 3 subscribers impacted (got L${sector.level}, ${sector.impactedSubscribers})`);
      check(+new Date(sector.openedAt) >= +sectorFailed - 1000, `opened with the sector's time (got ${new Date(sector.openedAt).toISOString()}, sector failed ${sectorFailed.toISOString()})`);
      check((await openIncidents(s)).length === 1, 'one open incident');
      s.sim.setDeviceUp(DEVICES.SEC1.ip, true);
      await until('sector incident resolved', resolved(s, sector._id), WAIT);
      await stationLeftDown(s, until, 'ST1', ['u1', 'u2'], ['u3']);
    },
  },
  {
    id: 12,
    name: 'the sector returns but one station behind it stays down',
    expectedPages: { 'tech:opened': 1, 'tech:resolved': 1 },
    async run(s, until) {
      s.sim.setDeviceUp(DEVICES.SEC1.ip, false);
      const sector = await until('L2 incident at SEC1', openAt(s, 'SEC1'), WAIT);
      await until('children IMPACTED', async () => (await subscriberState(s, 'u3')) === 'IMPACTED', WAIT);
      await s.settle();
      // ST2 fails while the sector is out (no event: it was unreachable already).
      s.sim.setDeviceUp(DEVICES.ST2.ip, false);
      s.sim.setDeviceUp(DEVICES.SEC1.ip, true);
      await until('sector incident resolved', resolved(s, sector._id), WAIT);
      await stationLeftDown(s, until, 'ST2', ['u3'], ['u1', 'u2']);
      check((await deviceState(s, 'ST1')) === 'UP', 'ST1 UP');
    },
  },
  {
    id: 14,
    name: "a sector's UP POST is lost: the recheck resolves its incident",
    expectedPages: { 'tech:opened': 1, 'tech:resolved': 1 },
    async run(s, until) {
      s.sim.setDeviceUp(DEVICES.SEC1.ip, false);
      const sector = await until('L2 incident at SEC1', openAt(s, 'SEC1'), WAIT);
      await s.settle();
      // Ingest unreachable while the sector comes back: every POST of that moment is lost (the
      // subscribers' on-up too, or their sessions would prove the sector up).
      s.sim.dropWebhooks();
      try {
        s.sim.setDeviceUp(DEVICES.SEC1.ip, true);
        await until('sector incident resolved by the recheck', resolved(s, sector._id), WAIT);
        check((await deviceState(s, 'SEC1')) === 'UP', 'SEC1 UP');
        // Its stations answer the leftover re-probe.
        await until('stations UP by the re-probe', async () => (await deviceState(s, 'ST1')) === 'UP' && (await deviceState(s, 'ST2')) === 'UP', WAIT);
      } finally {
        s.sim.deliverWebhooks();
      }
      await s.settle();
      check((await openIncidents(s)).length === 0, 'no incident left open');
    },
  },
];
