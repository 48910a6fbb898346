// Issue 19 scenarios 10-12 and 14: resolving on evidence, merges, redundancy, a lost UP POST.
// Expected pages are written here before each scenario runs ("tech" = Level 2 technician).
import { REDUNDANCY_LOST } from '@isp/domain';
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
    id: 10,
    name: 'redundant uplink: the primary backhaul down, then the alternate, then the primary back',
    expectedPages: { 'tech:opened': 2, 'tech:resolved': 2 },
    async run(s, until) {
      // BH2 (primary of SEC3) fails, BH3 carries SEC3: redundancy lost, nobody cut off.
      s.sim.setDeviceUp(DEVICES.BH2.ip, false);
      const lost = await until('redundancy-lost notice at BH2', openAt(s, 'BH2'), WAIT);
      await s.settle();
      check(lost.rootCause.type === REDUNDANCY_LOST && lost.level === 2 && lost.impactedSubscribers === 0, `L2 "redundancy lost", 0 subscribers impacted (got L${lost.level} ${lost.rootCause.type}, ${lost.impactedSubscribers})`);
      const priorities = (await s.models.notification.find({ incident: lost._id, channel: { $ne: 'dashboard' } }).lean().exec()).map((n) => n.priority);
      check(priorities.length > 0 && priorities.every((p) => p === 'normal'), `paged at normal priority (got ${priorities.join(', ')})`);
      check((await subscriberState(s, 'u6')) === 'UP' && (await deviceState(s, 'SEC3')) === 'UP', 'u6 and SEC3 still UP');

      // BH3 fails too: SEC3 is cut off, the outage page.
      s.sim.setDeviceUp(DEVICES.BH3.ip, false);
      const outage = await until('outage incident at BH3', openAt(s, 'BH3'), WAIT);
      await until('u6 IMPACTED', async () => (await subscriberState(s, 'u6')) === 'IMPACTED', WAIT);
      await s.settle();
      const outageNow = (await s.models.incident.findById(outage._id).lean().exec())!;
      check(outageNow.rootCause.type === 'backhaul' && outageNow.level === 2 && outageNow.impactedSubscribers === 1, `an L2 outage with 1 subscriber impacted (got L${outageNow.level} ${outageNow.rootCause.type}, ${outageNow.impactedSubscribers})`);
      const lostNow = (await s.models.incident.findById(lost._id).lean().exec())!;
      check(lostNow.state === 'open' && lostNow.rootCause.type === REDUNDANCY_LOST && lostNow.impactedSubscribers === 0, `BH2 still "redundancy lost", counted once (got ${lostNow.state} ${lostNow.rootCause.type}, ${lostNow.impactedSubscribers} impacted${lostNow.mergedInto ? `, merged into ${String(lostNow.mergedInto)}` : ''}${lostNow.flappingSince ? ', flapping' : ''})`);

      // The primary returns: SEC3 and u6 come back over it. BH3 has not answered: its incident stays.
      s.sim.setDeviceUp(DEVICES.BH2.ip, true);
      await until('BH2 notice resolved', resolved(s, lost._id), WAIT);
      await until('u6 UP over the primary', async () => (await subscriberState(s, 'u6')) === 'UP', WAIT);
      await s.settle();
      check((await s.models.incident.findById(outage._id).lean().exec())?.state === 'open', "BH3's incident open: only BH3 answering resolves it");

      s.sim.setDeviceUp(DEVICES.BH3.ip, true);
      await until('BH3 incident resolved', resolved(s, outage._id), WAIT);
      await s.settle();
      check((await openIncidents(s)).length === 0, 'no incident left open');
    },
  },
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
        // The incident is closed first, then its root marked UP: wait for both.
        await until('SEC1 UP', async () => (await deviceState(s, 'SEC1')) === 'UP', WAIT);
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
