// Issue 19 scenarios that change the stack itself: a large subtree under a second core router
// (2), the database stops (18), a second diagnostics replica (19). Expected pages written before the runs, as in scenario-matrix.ts.
import { JobName, QueueName, type NodeState } from '@isp/domain';
import { LARGE, loadLargeSubtree } from './large-subtree';
import type { Scenario } from './scenario-matrix';
import { DEVICES, type ScenarioStack, type Username } from './scenario-stack';

const WAIT = 30000;
const SEC1_USERS: Username[] = ['u1', 'u2', 'u3'];
/**
 * Scenario 18's outage: 3 minutes compressed 1/12, like OUTAGE_TIMINGS. Longer than the old rule
 * (five tries 0.5 s apart doubling) lasted at these timeouts, about 12 s.
 */
const STORE_DOWN_MS = 15000;

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`final state: ${what}`);
}
const sec1Incident = async (s: ScenarioStack) => s.models.incident.findOne({ state: { $in: ['open', 'acknowledged'] }, 'rootCause.id': s.ids.devices.SEC1 }).lean().exec();
const usersIn = (s: ScenarioStack, users: Username[], state: NodeState) => s.models.subscriber.countDocuments({ _id: { $in: users.map((u) => s.ids.subscribers[u]) }, state }).exec();

/** Scenario 1's timeline and checks: SEC1 down (L2, 3 subscribers IMPACTED), then back (resolved, everyone UP). */
async function sectorDownThenBack(s: ScenarioStack, until: Parameters<Scenario['run']>[1], waitMs = WAIT): Promise<void> {
  s.sim.setDeviceUp(DEVICES.SEC1.ip, false);
  const incident = await until('L2 incident at SEC1', () => sec1Incident(s), waitMs);
  check(incident.level === 2 && incident.impactedSubscribers === 3, `sector incident L2 with 3 subscribers impacted (got L${incident.level}, ${incident.impactedSubscribers})`);
  await until('SEC1 subscribers IMPACTED', async () => (await usersIn(s, SEC1_USERS, 'IMPACTED')) === 3, WAIT);
  await s.settle();
  s.sim.setDeviceUp(DEVICES.SEC1.ip, true);
  await until('sector incident resolved', async () => (await s.models.incident.findById(incident._id).lean().exec())?.state === 'resolved', WAIT);
  await until('SEC1 subscribers UP', async () => (await usersIn(s, SEC1_USERS, 'UP')) === 3, WAIT);
  await s.settle();
  const all = await s.models.incident.find({}).lean().exec();
  check(all.length === 1, `exactly one incident (got ${all.map((i) => `L${i.level} ${i.rootCause.name}`).join(', ')})`);
}

/** Status events and diagnosis batches that failed for good (gave up) since `since`: lost work. */
async function jobsGivenUp(s: ScenarioStack, since: number): Promise<string[]> {
  const failed = await s.queue(QueueName.MONITORING).getJobs(['failed']);
  return failed
    .filter((j) => (j.name === JobName.STATUS_EVENT || j.name === JobName.DIAGNOSE_ROUTER) && (j.finishedOn ?? 0) >= since)
    .map((j) => `${j.name}#${j.id}: ${j.failedReason}`);
}

/**
 * Scenario 2 (backhaul down with 5,000 subscribers under a second core router). It loads the
 * stack far beyond the others, so it runs after them (`runLast`) and a failure cannot spill into
 * their resets.
 */
export const LARGE_SUBTREE_SCENARIO: Scenario = {
  id: 2,
  name: 'backhaul down with a large subtree (5,000 subscribers under a second core router)',
  expectedPages: { 'tech:opened': 1 },
  // Loading 5,000 subscribers and posting their 5,000 events takes a while on two shared cores.
  timeoutMs: 300000,
  runLast: true,
  async run(s, until) {
    const big = await loadLargeSubtree(s, until);
    try {
      // The backhaul goes dark; every session behind it ends and its on-down script posts.
      big.sim.setDeviceUp(LARGE.backhaulIp, false);
      await big.post(big.usernames, 'down');
      const incident = await until('L2 incident at the backhaul', () => s.models.incident.findOne({ state: 'open', 'rootCause.id': big.backhaulId }).lean().exec(), 2 * WAIT);
      // Every event and batch of the outage handled (5,000 state writes: longer than settle()'s wait).
      await s.sim.settled();
      await until('every event and batch of the outage handled', async () => (await s.idle()) && (await s.idle()), 4 * WAIT);
      const all = await s.models.incident.find({}).lean().exec();
      check(all.length === 1, `exactly one incident (got ${all.map((i) => `L${i.level} ${i.rootCause.name}`).join(', ')})`);
      const final = (await s.models.incident.findById(incident._id).lean().exec())!;
      check(final.level === 2 && final.impactedSubscribers === LARGE.subscribers, `L2 with ${LARGE.subscribers} subscribers impacted (got L${final.level}, ${final.impactedSubscribers})`);
    } finally {
      await big.remove();
    }
  },
};

export const DSTACK_SCENARIOS: Scenario[] = [
  {
    id: 18,
    name: 'MongoDB stopped for 3 minutes (15 s compressed) during a sector outage',
    expectedPages: { 'tech:opened': 1, 'tech:resolved': 1 },
    async run(s, until) {
      const started = Date.now();
      await s.stopStore();
      let storeBack: number;
      try {
        s.sim.setDeviceUp(DEVICES.SEC1.ip, false);
        await s.sim.settled();
        const refused = s.sim.webhooks.filter((w) => Date.parse(w.at) >= started && !(w.status && w.status < 300));
        check(refused.length === 0, `ingest accepts the router's events while the database is down (refused: ${refused.map((w) => w.status ?? w.error).join(', ')})`);
        // The timeline's own rhythm, not a wait for a result: the database stays down this long.
        await new Promise((r) => setTimeout(r, Math.max(0, started + STORE_DOWN_MS - Date.now())));
      } finally {
        await s.startStore();
        storeBack = Date.now();
      }
      const incident = await until('L2 incident at SEC1 once the database is back', () => sec1Incident(s), WAIT);
      check(incident.level === 2 && incident.impactedSubscribers === 3, `sector incident L2 with 3 subscribers impacted (got L${incident.level}, ${incident.impactedSubscribers})`);
      await until('SEC1 subscribers IMPACTED', async () => (await usersIn(s, SEC1_USERS, 'IMPACTED')) === 3, WAIT);
      // Recorded from the facts held through the outage: SEC1 down since its own failure, not since the database returned.
      const sec1 = await s.models.device.findById(s.ids.devices.SEC1).lean().exec();
      const since = sec1?.status?.since ? new Date(sec1.status.since).getTime() : NaN;
      check(since < storeBack, `SEC1 DOWN since its failure, before the database returned (got ${sec1?.status?.state} since ${sec1?.status?.since?.toISOString()}; the database returned at ${new Date(storeBack).toISOString()}, the incident opened at ${new Date(incident.openedAt).toISOString()})`);
      await s.settle();
      s.sim.setDeviceUp(DEVICES.SEC1.ip, true);
      await until('sector incident resolved', async () => (await s.models.incident.findById(incident._id).lean().exec())?.state === 'resolved', WAIT);
      await until('SEC1 subscribers UP', async () => (await usersIn(s, SEC1_USERS, 'UP')) === 3, WAIT);
      await s.settle();
      // The outage was felt: a diagnosis batch failed at least once and was tried again.
      const retried = (await s.queue(QueueName.MONITORING).getJobs(['completed'])).filter((j) => j.name === JobName.DIAGNOSE_ROUTER && (j.processedOn ?? 0) >= started && j.attemptsMade > 1);
      check(retried.length > 0, 'a diagnosis batch retried through the outage');
      const lost = await jobsGivenUp(s, started);
      check(lost.length === 0, `no status event or diagnosis given up (got ${lost.join('; ')})`);
      check((await s.models.incident.countDocuments({})) === 1, 'exactly one incident');
    },
  },
  {
    id: 19,
    name: 'two replicas of diagnostics during scenario 1 (sector down, then back)',
    expectedPages: { 'tech:opened': 1, 'tech:resolved': 1 },
    async run(s, until) {
      const stopSecond = await s.secondDiagnostics();
      try {
        const started = Date.now();
        await sectorDownThenBack(s, until);
        // Both replicas took monitoring work during the scenario (the heartbeat keeps some coming).
        await until(
          'monitoring jobs taken by both replicas',
          async () => new Set((await s.queue(QueueName.MONITORING).getJobs(['completed'])).filter((j) => (j.processedOn ?? 0) >= started && j.processedBy).map((j) => j.processedBy)).size >= 2,
          WAIT,
        );
      } finally {
        await stopSecond();
      }
    },
  },
];
