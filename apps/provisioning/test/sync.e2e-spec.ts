import { JobName, QueueName, SyncStatus } from '@isp/domain';
import { SimulatedRouter } from '@isp/routeros-testing';
import { Types } from 'mongoose';
import { waitFor } from '../../../test/support';
import { userTag } from '../src/planning/managed-tag';
import { simWrites, startProvisioning, type Harness } from './provisioning-harness';

describe('provisioning: syncUser against a simulated router', () => {
  let h: Harness;
  let sim: SimulatedRouter;
  let routerId: string;
  let aliceId: string;

  const secret = (name: string) => sim.table('/ppp/secret').find((r) => r.name === name);
  const session = (name: string) => sim.table('/ppp/active').find((r) => r.name === name);
  const user = async (id: string) => (await h.users.findById(id))!;
  const syncedAt = async (id: string) => {
    const u = await user(id);
    return u.syncStatus === SyncStatus.SYNCED && u.appliedVersion === u.desiredVersion ? u : null;
  };

  beforeAll(async () => {
    sim = await SimulatedRouter.start({ pppRedialMs: 100 });
    h = await startProvisioning('provisioning-sync');
    routerId = await h.addRouter(sim);
    const _id = new Types.ObjectId();
    const alice = await h.users.create({ _id, username: 'alice', router: new Types.ObjectId(routerId), password: h.box.encrypt('s3cret', 'subscriber.password', _id), profile: 'default', staticIp: '100.64.0.10', macAddress: '02:00:00:00:00:0A' });
    aliceId = String(alice._id);
  });

  afterAll(async () => {
    await h?.close();
    await sim?.stop();
  });

  it('creates the tagged PPP secret and records the applied version', async () => {
    await h.producer.add(JobName.SYNC_USER, { userId: aliceId });
    const u = await waitFor(() => syncedAt(aliceId), { message: 'alice synced' });
    expect(u.lastSyncedAt).toBeInstanceOf(Date);
    expect(secret('alice')).toMatchObject({ password: 's3cret', profile: 'default', 'remote-address': '100.64.0.10', 'caller-id': '02:00:00:00:00:0A', comment: userTag(aliceId), disabled: 'false' });
  });

  it('a second sync (via a legacy job name) writes nothing', async () => {
    // The router's first successful call also queues a full syncRouter (scripts install): let it
    // finish so the counts below are this sync's alone.
    await waitFor(async () => {
      const c = await h.producer.queue(QueueName.SYNC).getJobCounts('active', 'waiting', 'delayed', 'prioritized');
      return Object.values(c).every((n) => n === 0);
    }, { message: 'sync queue idle' });
    sim.resetStats();
    const job = await h.producer.queue(QueueName.SYNC).add('updateUser', { userId: aliceId });
    await job.waitUntilFinished(h.events, 15000);
    expect(simWrites(sim)).toBe(0);
    // reads for one subscriber: its secret (by name or tag, one query), its queue, its list
    // entries, and its live session (/ppp/active: a suspension is enforced only when it agrees)
    expect(sim.stats.commands).toBe(4);
  });

  it('suspend: the router shows it and the active session is kicked; unsuspend reverses it', async () => {
    expect(sim.pppConnect('alice')).toBe(true);
    sim.resetStats();
    await h.users.writeDesiredState(aliceId, { isSuspended: true });
    await h.producer.add(JobName.SYNC_USER, { userId: aliceId });
    await waitFor(() => syncedAt(aliceId), { message: 'suspension applied' });
    expect(secret('alice')!.profile).toBe('suspended');
    expect(sim.table('/ppp/profile').find((p) => p.name === 'suspended')).toMatchObject({ 'address-list': 'suspended' });
    expect(sim.table('/ip/firewall/address-list')).toContainEqual(expect.objectContaining({ list: 'suspended', address: '100.64.0.10', comment: userTag(aliceId) }));
    expect(sim.stats.commandsByPath['/ppp/active/remove']).toBe(1);
    expect(session('alice')).toBeUndefined();
    // When the client dials again it lands in the suspended profile (and its address list).
    expect(sim.pppConnect('alice')).toBe(true);
    expect(sim.table('/ip/firewall/address-list')).toContainEqual(expect.objectContaining({ list: 'suspended', address: '100.64.0.10', dynamic: 'true' }));

    sim.resetStats();
    await h.users.writeDesiredState(aliceId, { isSuspended: false });
    await h.producer.add(JobName.SYNC_USER, { userId: aliceId });
    await waitFor(() => syncedAt(aliceId), { message: 'unsuspension applied' });
    expect(secret('alice')!.profile).toBe('default');
    expect(sim.table('/ip/firewall/address-list').filter((e) => e.comment === userTag(aliceId))).toEqual([]);
    expect(sim.stats.commandsByPath['/ppp/active/remove']).toBe(1);
  });

  it('router down during a suspend: pending, then applied (with other pending users) when it is back', async () => {
    const bobId = new Types.ObjectId();
    const bob = await h.users.create({ _id: bobId, username: 'bob', router: new Types.ObjectId(routerId), password: h.box.encrypt('b0b', 'subscriber.password', bobId), profile: 'default' });
    await sim.setRouterDown(true);
    await h.users.writeDesiredState(aliceId, { isSuspended: true });
    await h.producer.add(JobName.SYNC_USER, { userId: aliceId });
    const pending = await waitFor(async () => {
      const u = await user(aliceId);
      return u.syncStatus === SyncStatus.PENDING && u.syncError ? u : null;
    }, { message: 'alice pending with the reason' });
    expect(pending.syncError).toMatch(/unreachable|circuit|timed out|timeout/i);
    expect((await h.routers.findById(routerId))!.syncStatus).toBe(SyncStatus.PENDING);
    expect(secret('alice')!.profile).toBe('default');

    await sim.setRouterDown(false);
    await waitFor(() => syncedAt(aliceId), { timeoutMs: 30000, message: 'alice applied after the router came back' });
    expect(secret('alice')!.profile).toBe('suspended');
    // bob never had a job of his own: the router's recovery synced every pending subscriber.
    await waitFor(() => syncedAt(String(bob._id)), { timeoutMs: 15000, message: 'bob synced by syncRouter' });
    expect(secret('bob')).toMatchObject({ password: 'b0b', comment: userTag(String(bob._id)) });
    expect((await h.routers.findById(routerId))!.syncStatus).toBe(SyncStatus.SYNCED);
  });

  it('wrong router credentials: a permanent error on the router, no retry storm', async () => {
    const sim2 = await SimulatedRouter.start({});
    try {
      const badId = await h.addRouter(sim2, { password: 'not-the-password' });
      const ids: string[] = [];
      for (const name of ['carol', 'dave', 'erin']) {
        const _id = new Types.ObjectId();
        ids.push(String((await h.users.create({ _id, username: name, router: new Types.ObjectId(badId), password: h.box.encrypt('x', 'subscriber.password', _id) }))._id));
      }
      const first = await h.producer.add(JobName.SYNC_USER, { userId: ids[0] });
      await expect(first.waitUntilFinished(h.events, 15000)).rejects.toThrow(/ROUTER_LOGIN/);
      const router = await h.routers.findById(badId);
      expect(router!.syncStatus).toBe(SyncStatus.ERROR);
      expect(router!.syncError).toMatch(/^ROUTER_LOGIN/);
      expect((await user(ids[0])).syncStatus).toBe(SyncStatus.ERROR);

      // Further syncs fail fast without knocking on the router again.
      const more = await Promise.all(ids.slice(1).map((userId) => h.producer.add(JobName.SYNC_USER, { userId })));
      for (const j of more) await expect(j.waitUntilFinished(h.events, 15000)).rejects.toThrow(/ROUTER_LOGIN/);
      const jobs = await Promise.all([first, ...more].map((j) => h.producer.queue(QueueName.SYNC).getJob(j.id!)));
      expect(jobs.map((j) => j!.attemptsMade)).toEqual([1, 1, 1]);
      expect(sim2.stats.loginFailures).toBe(1);
      expect(sim2.stats.commands).toBe(0);
    } finally {
      await sim2.stop();
    }
  });
});
