// Issue 19's scenarios of lost events and router reboots (defects 8 and 10): expected pages
// written before they were run. Spread into SCENARIOS by scenario-matrix.ts.
import type { Scenario } from './scenario-matrix';
import { DIAGNOSTICS_TIMINGS, SUBSCRIBERS, type ScenarioStack, type Username } from './scenario-stack';

const WAIT = 30000;
/**
 * A reboot of about a minute against a one-minute heartbeat, compressed: one and a half
 * heartbeat intervals, so a heartbeat always lands inside it (a reboot shorter than one interval
 * may pass unseen, and then there is nothing to page).
 */
const REBOOT_MS = Math.round(Number(DIAGNOSTICS_TIMINGS.HEARTBEAT_INTERVAL_MS) * 1.5);

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`final state: ${what}`);
}
const subscriber = (s: ScenarioStack, u: Username) => s.models.subscriber.findById(s.ids.subscribers[u]).lean().exec();
const openIncidents = (s: ScenarioStack) => s.models.incident.find({ state: { $in: ['open', 'acknowledged'] } }).lean().exec();
const droppedPosts = (s: ScenarioStack, user: string) => s.sim.webhooks.filter((w) => w.dropped && new RegExp(`\\b${user}\\b`).test(w.body)).length;

export const STATE_SCENARIOS: Scenario[] = [
  {
    id: 15,
    name: "a subscriber's DOWN POST is lost; the heartbeat's look at /ppp/active corrects it",
    expectedPages: {},
    async run(s, until) {
      // The on-down runs, its POST never leaves the router: only /ppp/active tells.
      const before = droppedPosts(s, 'u3');
      s.sim.dropWebhooks({ kind: 'ppp', count: 1 });
      s.sim.pppDisconnect('u3', false);
      await s.sim.settled();
      check(droppedPosts(s, 'u3') === before + 1, 'the DOWN POST was dropped by the simulator');
      await until('u3 DOWN from the comparison with /ppp/active', async () => (await subscriber(s, 'u3'))?.state === 'DOWN', WAIT);
      await s.settle();
      const down = await subscriber(s, 'u3');
      check(down?.isOnline === false, 'u3 offline');
      check((await s.models.downtime.countDocuments({ user: s.ids.subscribers.u3, cause: 'self', endedAt: null })) === 1, 'one open downtime log of its own');
      check((await s.models.incident.countDocuments({})) === 0, 'no incident (Level 1 feed only)');

      // Back, and the UP POST lost as well: the next heartbeat brings it, with the session's address and caller id.
      s.sim.dropWebhooks({ kind: 'ppp', count: 1 });
      s.sim.pppConnect('u3');
      await s.sim.settled();
      check(droppedPosts(s, 'u3') === before + 2, 'the UP POST was dropped by the simulator');
      const session = s.sim.table('/ppp/active').find((r) => r.name === 'u3');
      check(!!session?.address, 'u3 has a session on the router');
      const up = await until('u3 UP with its session facts', async () => {
        const u = await subscriber(s, 'u3');
        return u?.state === 'UP' && u.isOnline && u.currentAddress === session!.address && u;
      }, WAIT);
      check(up.callerId === session!['caller-id']!.toUpperCase(), `caller id stored (got ${up.callerId})`);
      await s.settle();
      check((await s.models.downtime.countDocuments({ user: s.ids.subscribers.u3, endedAt: null })) === 0, 'its downtime log closed');
      check((await s.models.incident.countDocuments({})) === 0, 'still no incident');
    },
  },
  {
    id: 16,
    name: 'a router reboots, then its subscribers dial in at once',
    expectedPages: { 'admin:opened': 1, 'admin:resolved': 1 },
    async run(s, until) {
      await s.sim.reboot(REBOOT_MS);
      const incident = await until('L3 incident at the rebooting router', async () => (await openIncidents(s)).find((i) => String(i.rootCause.id) === s.ids.router), WAIT);
      check(incident.level === 3, `Level 3 (got ${incident.level})`);
      await until('router incident resolved', async () => (await s.models.incident.findById(incident._id).lean().exec())?.state === 'resolved', WAIT);
      const users = Object.keys(SUBSCRIBERS).map((u) => s.ids.subscribers[u as Username]);
      await until('every subscriber dialled in again', async () => s.sim.table('/ppp/active').length === users.length, WAIT);
      await s.settle();
      // The storm of on-up events opens nothing and leaves everyone up.
      const all = await s.models.incident.find({}).lean().exec();
      check(all.length === 1, `only the reboot's incident (got ${all.map((i) => `L${i.level} ${i.rootCause.name}`).join(', ')})`);
      const states = await s.models.subscriber.find({ _id: { $in: users } }, { username: 1, state: 1, isOnline: 1 }).lean().exec();
      check(states.every((u) => u.state === 'UP' && u.isOnline), `every subscriber UP (got ${states.map((u) => `${u.username}:${u.state}`).join(', ')})`);
      check((await s.models.downtime.countDocuments({ endedAt: null })) === 0, 'no downtime log left open');
      const router = await s.models.router.findById(s.ids.router).lean().exec();
      check(router?.status?.state === 'UP', `router UP (got ${router?.status?.state})`);
    },
  },
];
