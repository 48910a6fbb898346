// Issue 19's flapping and ordering scenarios (8, 9, 13), expected pages written before running.
// Timelines are compressed with the stack's timings (scenario-stack DIAGNOSTICS_TIMINGS): a
// state held 1.4 s is twice the 0.7 s hold-down, as 10 s is twice the 5 s of a deployment, so
// every drop is a real outage (a downtime log, a Level 1 message, a walk) until flap detection
// steps in; the flap window and quiet period are FLAP_WINDOW_MS and FLAP_QUIET_MS there.
import type { DashboardFeedMessage, NodeStateFeedData } from '@isp/domain';
import { DEVICES, type ScenarioStack, type Username } from './scenario-stack';
import type { Scenario } from './scenario-matrix';

const WAIT = 30000;
/** How long each state lasts while flapping (10 s / 20 s in a deployment). */
const SUBSCRIBER_FLAP_MS = 1400;
const SECTOR_FLAP_MS = 1500;
/** Changes driven (3 minutes of flapping in a deployment, compressed; longer than the flap window). */
const FLAP_CHANGES = 10;

/** The timeline's own rhythm (a state held for a while), not a wait for a result. */
const hold = (ms: number) => new Promise((r) => setTimeout(r, ms));

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`final state: ${what}`);
}

function flapNotices(messages: DashboardFeedMessage[], id: string, flapping: 'started' | 'ended'): number {
  return messages.filter((m) => m.type === 'node-state' && (m.data as NodeStateFeedData).id === id && (m.data as NodeStateFeedData).flapping === flapping).length;
}

async function incidentTimesInOrder(s: ScenarioStack): Promise<void> {
  for (const i of await s.models.incident.find({}).lean().exec()) {
    if (i.resolvedAt) check(new Date(i.resolvedAt).getTime() >= new Date(i.openedAt).getTime(), `incident ${i.rootCause.name}: resolvedAt ${new Date(i.resolvedAt).toISOString()} before openedAt ${new Date(i.openedAt).toISOString()}`);
  }
}

export const FLAP_SCENARIOS: Scenario[] = [
  {
    id: 8,
    name: 'a subscriber flapping (down/up every 10 s for 3 min)',
    expectedPages: {},
    async run(s, until) {
      const u: Username = 'u2';
      const id = s.ids.subscribers[u];
      const feed = await s.watchFeed();
      try {
        for (let i = 0; i < FLAP_CHANGES; i++) {
          if (i % 2 === 0) s.sim.pppDisconnect(u, false);
          else s.sim.pppConnect(u);
          await hold(SUBSCRIBER_FLAP_MS);
          if (i === 4) {
            const user = await s.models.subscriber.findById(id).lean().exec();
            check(!!user?.flappingSince, 'u2 marked flapping while it flaps (the status API shows it)');
          }
        }
        await until('u2 flapping cleared after the quiet period', async () => !(await s.models.subscriber.findById(id).lean().exec())?.flappingSince, WAIT);
        await s.settle();
        check(flapNotices(feed.messages, id, 'started') === 1, `one flapping notice on the feed (got ${flapNotices(feed.messages, id, 'started')})`);
        check(flapNotices(feed.messages, id, 'ended') === 1, `one end-of-flapping notice (got ${flapNotices(feed.messages, id, 'ended')})`);
        // The Level 1 messages of the outage and the recovery before it was seen flapping; none per flap after.
        const levelOne = feed.messages.filter((m) => m.type === 'subscriber-state' && m.data.userId === id).length;
        check(levelOne <= 2, `no Level 1 message per flap (got ${levelOne} for ${FLAP_CHANGES} changes)`);
        const user = await s.models.subscriber.findById(id).lean().exec();
        check(user?.state === 'UP' && user.isOnline === true, `u2 ends UP and online (got ${user?.state}, online ${user?.isOnline})`);
        check((await s.models.incident.countDocuments({})) === 0, 'no incident');
      } finally {
        await feed.close();
      }
    },
  },
  {
    id: 9,
    name: 'a sector flapping (Netwatch down/up every 20 s for 3 min)',
    // The first outage pages and its recovery pages (nothing can know yet that it flaps);
    // from the next drop on, one incident marked flapping, no page per flap.
    expectedPages: { 'tech:opened': 1, 'tech:resolved': 1 },
    async run(s, until) {
      const sector = s.ids.devices.SEC1;
      const feed = await s.watchFeed();
      try {
        for (let i = 0; i < FLAP_CHANGES; i++) {
          s.sim.setDeviceUp(DEVICES.SEC1.ip, i % 2 === 1);
          await hold(SECTOR_FLAP_MS);
        }
        const flapping = await until('an incident at SEC1 marked flapping', async () => s.models.incident.findOne({ 'rootCause.id': sector, flappingSince: { $ne: null } }).lean().exec(), WAIT);
        await until('the flapping incident resolved after the quiet period', async () => (await s.models.incident.findById(flapping._id).lean().exec())?.state === 'resolved', WAIT);
        await s.settle();
        const all = await s.models.incident.find({}).lean().exec();
        check(all.every((i) => String(i.rootCause.id) === sector && i.level === 2), `only Level 2 incidents at SEC1 (got ${all.map((i) => `L${i.level} ${i.rootCause.name}`).join(', ')})`);
        check(all.filter((i) => i.flappingSince).length === 1, `one incident marked flapping (got ${all.filter((i) => i.flappingSince).length})`);
        check(all.length <= 2, `the first outage and the flapping one, not one per flap (got ${all.length} incidents for ${FLAP_CHANGES / 2} drops)`);
        check(all.every((i) => i.state === 'resolved'), 'every incident resolved');
        await incidentTimesInOrder(s);
        check(flapNotices(feed.messages, sector, 'started') === 1 && flapNotices(feed.messages, sector, 'ended') === 1, 'one flapping start and one end notice for SEC1 on the feed');
        const device = await s.models.device.findById(sector).lean().exec();
        check(device?.status?.state === 'UP' && !device.status.flappingSince, `SEC1 ends UP, not flapping (got ${device?.status?.state})`);
      } finally {
        await feed.close();
      }
    },
  },
  {
    id: 13,
    name: 'events out of order: an UP delivered before its DOWN',
    expectedPages: {},
    async run(s, until) {
      const u: Username = 'u3';
      // The router's clock is 90 s behind (within ingest's skew allowance, so its times are
      // believed): the order comes from the router's timestamps, not from when the POSTs land.
      s.sim.setClockOffset(-90_000);
      s.sim.holdWebhooks();
      s.sim.pppDisconnect(u, false);
      const downSecond = Math.floor(Date.now() / 1000);
      // Router timestamps have one-second resolution: the UP must carry a later second.
      await until('the router clock past the DOWN second', async () => Math.floor(Date.now() / 1000) > downSecond, 3000);
      s.sim.pppConnect(u);
      check(s.sim.heldWebhooks === 2, `the DOWN and the UP held (got ${s.sim.heldWebhooks})`);
      await s.sim.releaseWebhooks('reverse');
      await s.settle();
      const user = await s.models.subscriber.findById(s.ids.subscribers[u]).lean().exec();
      check(user?.state === 'UP' && user.isOnline === true, `u3 ends UP and online (got ${user?.state}, online ${user?.isOnline})`);
      check((await s.models.downtime.countDocuments({ endedAt: null })) === 0, 'no open downtime log');
      check((await s.models.incident.countDocuments({})) === 0, 'no incident');
    },
  },
];
