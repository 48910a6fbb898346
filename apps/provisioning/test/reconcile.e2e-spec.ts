import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Types } from 'mongoose';
import { issueWebhookToken, JobName, NodeState, QueueName, SyncStatus, WEBHOOK_TOKEN_HEADER, type StatusEventJob } from '@isp/domain';
import { isManagedScript, RouterConnectionPool } from '@isp/routeros';
import { SimulatedRouter } from '@isp/routeros-testing';
import { waitFor } from '../../../test/support';
import { BroadcastPublisher } from '@isp/platform';
import type { ReconcileReport } from '../src/reconcile/reconcile.service';
import { deviceTag, userTag } from '../src/planning/managed-tag';
import { simWrites, startProvisioning, type Harness } from './provisioning-harness';

interface Received {
  path: string;
  token: string | undefined;
  body: string;
}

/** Stands in for webhook-ingest: records what the routers' scripts POST. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', token: req.headers[WEBHOOK_TOKEN_HEADER] as string | undefined, body });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const N = Number(process.env.RECON_N ?? 1000);

describe('provisioning: reconcileMikrotikState', () => {
  let h: Harness;
  let sim: SimulatedRouter;
  let routerId: string;
  let token: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let pool: RouterConnectionPool;
  const ids: string[] = [];
  const name = (i: number) => `sub${String(i).padStart(4, '0')}`;
  const raw = (words: string[]) => pool.execute(sim.id, words);
  const reconcile = async (waitMs = 60000) => (await h.run(JobName.RECONCILE_ROUTER, { routerId }, waitMs)) as ReconcileReport;

  beforeAll(async () => {
    receiver = await startReceiver();
    sim = await SimulatedRouter.start({ pppRedialMs: null });
    h = await startProvisioning('provisioning-reconcile', { INGEST_PUBLIC_URL: receiver.url });
    token = issueWebhookToken(sim.id).token;
    routerId = await h.addRouter(sim, { token });
    const router = new Types.ObjectId(routerId);
    const docs = Array.from({ length: N }, () => new Types.ObjectId()).map((_id, i) => ({
      _id,
      username: name(i),
      router,
      password: h.box.encrypt(`pw-${i}`, 'subscriber.password', _id),
      serviceType: 'pppoe' as const,
      profile: 'default',
      rateLimit: i % 10 === 0 ? '5M/20M' : undefined,
      isSuspended: i % 50 === 0,
    }));
    await h.userModel.insertMany(docs);
    ids.push(...docs.map((d) => String(d._id)));
    await h.devices.create({ name: 'sector-1', deviceType: 'sector', ipAddress: '10.0.1.1', router, building: new Types.ObjectId() });
    await h.devices.create({ name: 'station-1', deviceType: 'station', ipAddress: '10.0.2.1', router, building: new Types.ObjectId() });
    sim.addDevice({ name: 'sector-1', type: 'sector', ip: '10.0.1.1' });
    sim.addDevice({ name: 'station-1', type: 'station', ip: '10.0.2.1', parentIp: '10.0.1.1' });
    pool = new RouterConnectionPool();
    pool.register(sim.endpoint());
  });

  afterAll(async () => {
    await pool?.close();
    await h?.close();
    await sim?.stop();
    await new Promise((r) => receiver?.server.close(r));
  });

  it('first pass installs subscribers and snitch scripts', async () => {
    const report = await reconcile(110000); // within the test's own 120 s
    expect(report.scripts).toBe('verified');
    expect(sim.table('/ppp/secret')).toHaveLength(N);
    const profile = sim.table('/ppp/profile').find((p) => p.name === 'default')!;
    expect(isManagedScript(profile['on-up'])).toBe(true);
    expect(profile['on-up']).toContain(token);
    expect(profile['on-up']).toContain(`${receiver.url}/api/webhooks/mikrotik/ppp-status`);
    expect(isManagedScript(sim.table('/ppp/profile').find((p) => p.name === 'suspended')!['on-down'])).toBe(true);
    expect(sim.table('/ip/dhcp-server')[0]['lease-script']).toContain(token);
    const nw = sim.table('/tool/netwatch');
    expect(nw.map((r) => r.host).sort()).toEqual(['10.0.1.1', '10.0.2.1']);
    expect(nw[0]).toMatchObject({ interval: '30s' });
    expect(nw[0]['down-script']).toContain('/api/webhooks/mikrotik/netwatch');
    expect(await h.users.findAll({ router: routerId, syncStatus: SyncStatus.PENDING })).toEqual([]);
  }, 120000); // 1,000 secrets, profiles, queues and scripts in the first pass: about 45 s alone on 2 cores

  it('10 of 1,000 drifted: exactly the needed writes; then nothing; unmanaged entries untouched', async () => {
    const secrets = new Map(sim.table('/ppp/secret').map((r) => [r.name, r]));
    // drift: 4 passwords changed, 3 secrets deleted, 2 profiles changed, 1 queue limit changed
    for (const i of [1, 2, 3, 4]) await raw(['/ppp/secret/set', `=.id=${secrets.get(name(i))!['.id']}`, '=password=hacked']);
    for (const i of [5, 6, 7]) await raw(['/ppp/secret/remove', `=.id=${secrets.get(name(i))!['.id']}`]);
    for (const i of [8, 9]) await raw(['/ppp/secret/set', `=.id=${secrets.get(name(i))!['.id']}`, '=profile=default-encryption']);
    const q = sim.table('/queue/simple').find((r) => r.name === `sub-${name(10)}`)!;
    await raw(['/queue/simple/set', `=.id=${q['.id']}`, '=max-limit=100M/100M']);
    // the operator's own entries
    await raw(['/ppp/secret/add', '=name=manual-user', '=password=keep', '=profile=default', '=comment=added by hand']);
    await raw(['/ppp/secret/add', '=name=no-comment', '=password=keep2']);
    await raw(['/tool/netwatch/add', '=host=8.8.8.8', '=comment=operator probe']);
    const manualBefore = sim.table('/ppp/secret').filter((r) => r.name === 'manual-user' || r.name === 'no-comment');

    sim.resetStats();
    const report = await reconcile();
    expect(report.drift).toBe(10);
    expect(simWrites(sim)).toBe(10);
    expect(report.orphans).toEqual([]);
    const now = new Map(sim.table('/ppp/secret').map((r) => [r.name, r]));
    for (const i of [1, 2, 3, 4]) expect(now.get(name(i))!.password).toBe(`pw-${i}`);
    for (const i of [5, 6, 7, 8, 9]) expect(now.get(name(i))).toMatchObject({ profile: 'default', comment: userTag(ids[i]) });
    expect(sim.table('/queue/simple').find((r) => r.name === `sub-${name(10)}`)!['max-limit']).toBe('5M/20M');
    // one print per menu, not one per subscriber
    expect(sim.stats.commandsByPath['/ppp/secret/print']).toBe(1);

    sim.resetStats();
    const second = await reconcile();
    expect(second.drift).toBe(0);
    expect(simWrites(sim)).toBe(0);
    expect(sim.table('/ppp/secret').filter((r) => r.name === 'manual-user' || r.name === 'no-comment')).toEqual(manualBefore);
    expect(sim.table('/tool/netwatch').find((r) => r.host === '8.8.8.8')).toMatchObject({ comment: 'operator probe' });
  });

  it('reports and removes orphans it owns (subscriber or device deleted)', async () => {
    await h.users.delete(ids[20]);
    const station = await h.devices.findByRouterAndIp(routerId, '10.0.2.1');
    await h.devices.delete(station!._id);
    sim.resetStats();
    const report = await reconcile();
    expect(report.orphans.map((o) => o.name).sort()).toEqual(['10.0.2.1', name(20)]);
    expect(sim.table('/ppp/secret').find((r) => r.name === name(20))).toBeUndefined();
    expect(sim.table('/tool/netwatch').find((r) => r.comment === deviceTag(String(station!._id)))).toBeUndefined();
    expect(simWrites(sim)).toBe(2);
  });

  it('missing snitch scripts are re-installed, after which PPP and Netwatch events reach ingest', async () => {
    const profile = sim.table('/ppp/profile').find((p) => p.name === 'default')!;
    await raw(['/ppp/profile/set', `=.id=${profile['.id']}`, '=on-up=', '=on-down=']);
    const nw = sim.table('/tool/netwatch').find((r) => r.host === '10.0.1.1')!;
    await raw(['/tool/netwatch/remove', `=.id=${nw['.id']}`]);
    sim.resetStats();
    const report = await reconcile();
    expect(report.drift).toBe(2);
    expect(simWrites(sim)).toBe(2);

    receiver.received.length = 0;
    expect(sim.pppConnect(name(30))).toBe(true);
    expect(sim.pppDisconnect(name(30))).toBe(true);
    sim.setDeviceUp('10.0.1.1', false);
    await sim.settled();
    const ppp = receiver.received.filter((r) => r.path === '/api/webhooks/mikrotik/ppp-status');
    expect(ppp.map((r) => JSON.parse(r.body))).toEqual([
      expect.objectContaining({ event: 'up', user: name(30) }),
      expect.objectContaining({ event: 'down', user: name(30) }),
    ]);
    expect(ppp.every((r) => r.token === token)).toBe(true);
    const netwatch = receiver.received.filter((r) => r.path === '/api/webhooks/mikrotik/netwatch');
    expect(netwatch.map((r) => JSON.parse(r.body))).toEqual([expect.objectContaining({ host: '10.0.1.1', status: 'down' })]);
  });

  it('a pass reports sessions that differ from the stored state as reconcile status events (lost webhooks)', async () => {
    const monitoring = h.producer.queue(QueueName.MONITORING);
    await monitoring.obliterate({ force: true });
    const long = new Date(Date.now() - 3600_000);
    // name(1) dialled in, its on-up lost: stored offline. name(2) stored online, its session gone (on-down lost).
    expect(sim.pppConnect(name(1))).toBe(true);
    const address = sim.table('/ppp/active').find((r) => r.name === name(1))!.address;
    await h.userModel.updateOne({ _id: ids[1] }, { $set: { isOnline: false, state: NodeState.DOWN, stateSince: long } }).exec();
    await h.userModel.updateOne({ _id: ids[2] }, { $set: { isOnline: true, state: NodeState.UP, stateSince: long } }).exec();
    await reconcile();
    const events = (await monitoring.getJobs(['waiting', 'prioritized', 'delayed'])).filter((j) => j.name === JobName.STATUS_EVENT).map((j) => j.data as StatusEventJob);
    const username = (e: StatusEventJob) => (e.subject.kind === 'ppp' ? e.subject.username : '');
    // Every 50th subscriber is suspended, which its stored state (never diagnosed here) does not show yet: reported too.
    const suspended = new Set(Array.from({ length: N }, (_, i) => i).filter((i) => i % 50 === 0).map(name));
    expect(events.filter((e) => suspended.has(username(e))).map((e) => e.event).sort()).toEqual([...suspended].map(() => 'down'));
    expect(events.filter((e) => !suspended.has(username(e))).sort((a, b) => a.event.localeCompare(b.event))).toEqual([
      expect.objectContaining({ routerId, source: 'reconcile', subject: { kind: 'ppp', username: name(2) }, event: 'down' }),
      expect.objectContaining({ routerId, source: 'reconcile', subject: { kind: 'ppp', username: name(1) }, event: 'up', details: expect.objectContaining({ address }) }),
    ]);
    sim.pppDisconnect(name(1));
    await h.userModel.updateMany({ _id: { $in: [ids[1], ids[2]] } }, { $set: { isOnline: false, state: NodeState.UNKNOWN } }).exec();
    await monitoring.obliterate({ force: true });
  });

  it('rotating the token re-installs the scripts with the new one', async () => {
    const next = issueWebhookToken(routerId);
    await h.routers.setWebhookToken(routerId, next.hash, h.box.encrypt(next.token, 'router.webhookToken', routerId));
    await h.app.get(BroadcastPublisher).routerChanged({ routerId, change: 'token' });
    await waitFor(() => sim.table('/ppp/profile').find((p) => p.name === 'default')!['on-up']?.includes(next.token), { timeoutMs: 20000, message: 'scripts carry the new token' });
    await waitFor(() => sim.table('/tool/netwatch').every((r) => r.comment === 'operator probe' || r['up-script'].includes(next.token)), { message: 'netwatch carries the new token' });
    expect(sim.table('/ip/dhcp-server')[0]['lease-script']).toContain(next.token);
  });
});
