// Scenario 2's network: the outage benchmark's tree (bench/outage: core -> backhaul -> 4 sectors
// -> 100 stations -> 5,000 subscribers) under a second core router, added to the running stack for
// that scenario only and removed after it, so the other scenarios (and the cost of their resets)
// keep the small network. Written in bulk; its simulator lives until the stack stops.
import { insertManyInChunks, newId } from '@isp/data';
import { issueWebhookToken, SecretBox, WEBHOOK_TOKEN_HEADER, webhookPath, WebhookKind } from '@isp/domain';
import { BroadcastPublisher } from '@isp/platform';
import { SimulatedRouter } from '@isp/routeros-testing';
import { autocannon } from '../load-generator';
import type { ScenarioStack } from './scenario-stack';

export const LARGE = { name: 'SCN-BIG', subscribers: 5000, sectors: 4, stationsPerSector: 25, backhaulIp: '10.62.0.1' } as const;
/** Webhooks in flight at once: the router's on-down scripts all fire within about a second. */
const POST_CONCURRENCY = 50;

export interface LargeSubtree {
  routerId: string;
  backhaulId: string;
  sim: SimulatedRouter;
  usernames: string[];
  /** The router's PPP webhooks, as its on-up/on-down scripts post them; throws on a refusal. */
  post(usernames: string[], event: 'up' | 'down'): Promise<void>;
  /** Deletes the router and its tree (and what diagnosis recorded about them). */
  remove(): Promise<void>;
}

/**
 * The embedded store answers SQLITE_BUSY when a write cannot take its lock while the apps write
 * too (the busy wait does not cover every case): tried again, as the apps' jobs would be.
 */
async function write<T>(what: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await what();
    } catch (err) {
      if (attempt >= 5 || !/database is locked|SQLITE_BUSY/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

export async function loadLargeSubtree(s: ScenarioStack, until: <T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number) => Promise<T>): Promise<LargeSubtree> {
  const sim = await SimulatedRouter.start({ name: LARGE.name });
  s.atStop(() => sim.stop());
  const m = s.models;
  const building = await s.repos.buildings.create({ name: 'Scenario Big Tower', code: 'SCNBIG' });
  const routerId = newId();
  const box = new SecretBox(s.secretsKey);
  const router = await s.repos.routers.create({
    _id: routerId,
    name: LARGE.name,
    host: sim.host,
    apiPort: sim.port,
    apiUser: sim.user,
    apiPassword: box.encrypt(sim.password, 'router.apiPassword', String(routerId)),
    building: building._id,
    role: 'core',
  });
  if (String(router._id) !== String(routerId)) throw new Error(`router created as ${String(router._id)}, not ${String(routerId)}`);
  const { token, hash } = issueWebhookToken(String(routerId));
  // With the encrypted token too: a router without one gets a new token from the next router pass.
  if (!(await s.repos.routers.setWebhookToken(routerId, hash, box.encrypt(token, 'router.webhookToken', String(routerId))))) throw new Error('webhook token not stored');
  const base = { router: routerId, building: building._id };

  sim.addDevice({ name: 'BIG-BH1', type: 'backhaul', ip: LARGE.backhaulIp });
  const [bh] = await m.device.insertMany([{ ...base, name: 'BIG-BH1', deviceType: 'backhaul', ipAddress: LARGE.backhaulIp, parent: null }]);
  const sectors = await m.device.insertMany(Array.from({ length: LARGE.sectors }, (_, i) => ({ ...base, name: `BIG-SEC${i + 1}`, deviceType: 'sector', ipAddress: `10.62.1.${i + 1}`, parent: bh._id })));
  const stationDocs = sectors.flatMap((sec, i) => Array.from({ length: LARGE.stationsPerSector }, (_, t) => ({ ...base, name: `BIG-SEC${i + 1}-ST${t + 1}`, deviceType: 'station', ipAddress: `10.62.${10 + i}.${t + 1}`, parent: sec._id })));
  const stations = await write(() => m.device.insertMany(stationDocs));
  sectors.forEach((d) => sim.addDevice({ name: d.name, type: 'sector', ip: d.ipAddress!, parentIp: LARGE.backhaulIp }));
  stations.forEach((d, i) => sim.addDevice({ name: d.name, type: 'station', ip: d.ipAddress!, parentIp: sectors[Math.floor(i / LARGE.stationsPerSector)].ipAddress! }));
  const usernames = Array.from({ length: LARGE.subscribers }, (_, i) => `big-${i + 1}`);
  // Online on the router too: the heartbeat compares /ppp/active with the stored state, and
  // 5,000 stored UP with no session would be 5,000 reconcile DOWNs at every look. No scripts are
  // installed (no router pass), so the simulator posts nothing itself: the scenario posts.
  // In slices, yielding between them: the stack's other simulated routers live in this process and
  // must keep answering the heartbeat while 5,000 sessions come up here.
  for (let i = 0; i < usernames.length; i++) {
    sim.addSubscriber({ username: usernames[i], password: `pw-${i}`, stationIp: stations[i % stations.length].ipAddress! });
    if (i % 200 === 199) await new Promise((r) => setImmediate(r));
  }
  const subscriberIds = usernames.map(() => newId());
  const subscriberDocs = usernames.map((username, i) => ({ _id: subscriberIds[i], ...base, username, station: stations[i % stations.length]._id, state: 'UP', isOnline: true }));
  // In commands of the bulk limit; tried again whole, skipping the ones already written.
  await write(() => insertManyInChunks(m.subscriber, subscriberDocs, { ignoreDuplicates: true }));

  const publisher = new BroadcastPublisher(s.redis, s.prefix);
  // Diagnostics reloads its graph; ingest loads the router at its first unknown token. No
  // ROUTER_CHANGED: provisioning would answer it with a router pass pushing 5,000 PPP secrets.
  await publisher.topologyChanged({ reason: 'scenario 2: large subtree loaded', routerId: String(routerId) });

  // autocannon, as the outage benchmark: a fetch loop costs several times the CPU per request.
  const post = async (users: string[], event: 'up' | 'down') => {
    let next = 0;
    const sent = await autocannon({
      url: s.ingestUrl,
      connections: Math.min(POST_CONCURRENCY, users.length),
      amount: users.length,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => ({
            ...req,
            path: webhookPath(WebhookKind.PPP),
            headers: { [WEBHOOK_TOKEN_HEADER]: token, 'content-type': 'application/json' },
            body: JSON.stringify({ event, user: users[next++ % users.length], iface: '<pppoe-big>' }),
          }),
        },
      ],
    });
    if (sent['2xx'] !== users.length) throw new Error(`ingest accepted ${sent['2xx']} of ${users.length} events (non-2xx ${sent.non2xx}, errors ${sent.errors})`);
  };

  // Diagnostics knows the tree once an UP about one of its subscribers is applied (the UP mark
  // is kept in Redis); each try names another subscriber, so none is collapsed as a repeat.
  const tried: string[] = [];
  let refusal = '';
  await until(
    'diagnostics and ingest know the large subtree',
    async () => {
      const i = tried.length % usernames.length;
      if (await post([usernames[i]], 'up').then(() => true, (e: Error) => ((refusal = e.message), false))) tried.push(`${s.prefix}:diag:up:${String(subscriberIds[i])}`);
      return tried.length > 0 && (await s.redis.exists(...tried)) > 0;
    },
    // Diagnostics reloads a graph of 5,000 more subscribers first.
    60000,
  ).catch(async (err: Error) => {
    const stored = await m.router.findById(routerId).lean().exec();
    throw new Error(`${err.message}; last refusal: ${refusal}; token hash stored: ${stored?.webhookTokenHash === hash}`);
  });

  return {
    routerId: String(routerId),
    backhaulId: String(bh._id),
    sim,
    usernames,
    post,
    async remove() {
      await Promise.all([
        m.subscriber.deleteMany({ router: routerId }).exec(),
        m.device.deleteMany({ router: routerId }).exec(),
        m.router.deleteOne({ _id: routerId }).exec(),
        m.building.deleteOne({ _id: building._id }).exec(),
        m.downtime.deleteMany({ router: routerId }).exec(),
      ]);
      await publisher.topologyChanged({ reason: 'scenario 2: large subtree removed', routerId: String(routerId) });
    },
  };
}
