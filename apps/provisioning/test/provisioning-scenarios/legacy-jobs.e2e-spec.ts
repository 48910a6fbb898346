import { QueueName, SyncStatus } from '@isp/domain';
import { redisOptionsFromUrl } from '@isp/platform';
import { SimulatedRouter } from '@isp/routeros-testing';
import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Types } from 'mongoose';
import { testQueuePrefix, testRedisUrl, waitFor } from '../../../../test/support';
import { startProvisioning, type Harness } from '../provisioning-harness';

/** Jobs as the old system and billing still send them: raw names and payloads on the queue. */
describe('provisioning scenarios: legacy jobs', () => {
  const prefix = testQueuePrefix('provisioning-scenarios-legacy');
  const LEGACY_KEY = 'reconcileMikrotikState:nightly::Europe/Berlin:900000';
  let h: Harness;
  let sim: SimulatedRouter;
  let redis: Redis;
  let queue: Queue;
  let userId: string;

  const secret = () => sim.table('/ppp/secret').find((r) => r.name === 'leg1');
  const raw = (name: string, data: unknown, opts: { attempts?: number } = {}) => queue.add(name, data, { attempts: opts.attempts ?? 3, backoff: { type: 'fixed', delay: 50 } });

  beforeAll(async () => {
    // What the old system left in Redis: a repeatable reconcile (key in the repeat set) and the delayed job it queued.
    redis = new Redis(testRedisUrl());
    queue = new Queue(QueueName.SYNC, { connection: redisOptionsFromUrl(testRedisUrl()), prefix });
    await redis.zadd(queue.toKey('repeat'), Date.now() + 900000, LEGACY_KEY);
    await queue.add('reconcileMikrotikState', { routerId: new Types.ObjectId().toHexString() }, { jobId: 'repeat:9f1c2e:1796000000000', delay: 900000 });
    sim = await SimulatedRouter.start({ pppRedialMs: 100 });
    sim.addSubscriber({ username: 'leg1', password: 'pw' });
    h = await startProvisioning('provisioning-scenarios-legacy', { QUEUE_PREFIX: prefix });
    const routerId = await h.addRouter(sim);
    userId = String((await h.users.create(((_id) => ({ _id, username: 'leg1', router: new Types.ObjectId(routerId), password: h.box.encrypt('pw', 'subscriber.password', _id), profile: 'default' }))(new Types.ObjectId())))._id);
  });

  afterAll(async () => {
    await queue?.close();
    await redis?.quit();
    await h?.close();
    await sim?.stop();
  });

  it("removes the old system's repeatable reconcile schedules at start-up", async () => {
    expect(await redis.zrange(queue.toKey('repeat'), '0', '-1')).not.toContain(LEGACY_KEY);
    expect((await queue.getDelayed()).filter((j) => j.name === 'reconcileMikrotikState')).toEqual([]);
  });

  it('disconnectUser {id} suspends in the database and on the router; connectUser {username} unsuspends', async () => {
    await (await raw('disconnectUser', { id: userId })).waitUntilFinished(h.events, 20000);
    let u = (await h.users.findById(userId))!;
    expect(u).toMatchObject({ isSuspended: true, syncStatus: SyncStatus.SYNCED });
    expect(secret()!.profile).toBe('suspended');

    await (await raw('connectUser', { username: 'leg1' })).waitUntilFinished(h.events, 20000);
    u = (await h.users.findById(userId))!;
    expect(u).toMatchObject({ isSuspended: false, syncStatus: SyncStatus.SYNCED });
    expect(secret()!.profile).toBe('default');
  });

  it.each([
    ['a string', 'bad', /invalid payload: expected an object/],
    ['a non-ObjectId id', { id: 'not-an-id' }, /invalid payload: subscriber id "not-an-id" is not an ObjectId/],
    ['an unknown username', { username: 'nobody' }, /no subscriber named nobody/],
  ])('a malformed payload (%s) fails permanently after one attempt, saying why', async (_label, data, reason) => {
    const job = await raw('disconnectUser', data, { attempts: 5 });
    await expect(job.waitUntilFinished(h.events, 20000)).rejects.toThrow(reason);
    const done = await waitFor(async () => ((await Job.fromId(queue, job.id!))?.finishedOn ? Job.fromId(queue, job.id!) : null), { message: 'job recorded as failed' });
    expect(done.attemptsMade).toBe(1);
    expect(done.failedReason).toMatch(reason);
  });
});
