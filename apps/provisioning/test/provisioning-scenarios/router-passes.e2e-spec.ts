import { JobName, QueueName } from '@isp/domain';
import { SimulatedRouter } from '@isp/routeros-testing';
import { Job } from 'bullmq';
import { Types } from 'mongoose';
import { startProvisioning, type Harness } from '../provisioning-harness';

/** Router passes: one at a time per router, and never in front of a subscriber's sync. */
describe('provisioning scenarios: router passes', () => {
  let h: Harness;
  const sims: SimulatedRouter[] = [];
  const routerIds: string[] = [];
  let userId: string;

  beforeAll(async () => {
    // Two worker slots: two passes can meet on one router, and a third job has to wait for a slot.
    h = await startProvisioning('provisioning-scenarios-passes', { SYNC_CONCURRENCY: '2' });
    for (let i = 0; i < 3; i++) {
      const sim = await SimulatedRouter.start({ pppRedialMs: null });
      sim.setApiLatency(40);
      sims.push(sim);
      const routerId = await h.addRouter(sim);
      routerIds.push(routerId);
      const router = new Types.ObjectId(routerId);
      for (let u = 0; u < 5; u++) {
        const _id = new Types.ObjectId();
        await h.users.create({ _id, username: `r${i}u${u}`, router, password: h.box.encrypt('pw', 'subscriber.password', _id), profile: 'default' });
      }
    }
    userId = String((await h.users.findByUsername('r0u0'))[0]._id);
  });

  afterAll(async () => {
    await h?.close();
    for (const s of sims) await s.stop();
  });

  const finished = async (job: Job) => {
    await job.waitUntilFinished(h.events, 60000);
    return (await Job.fromId(h.producer.queue(QueueName.SYNC), job.id!))!;
  };

  it('a syncRouter and a reconcile of the same router never run at once: the later one waits its turn', async () => {
    const [a, b] = await Promise.all([h.producer.add(JobName.SYNC_ROUTER, { routerId: routerIds[0] }), h.producer.add(JobName.RECONCILE_ROUTER, { routerId: routerIds[0] })]);
    const [ja, jb] = await Promise.all([finished(a), finished(b)]);
    const waited = [ja, jb].filter((j) => j.attemptsMade > 1);
    expect(waited).toHaveLength(1);
    expect((waited[0].stacktrace ?? []).join('\n')).toMatch(/another pass is running/);
    // and they did not overlap: the one that waited started after the other finished
    const [first, second] = waited[0] === ja ? [jb, ja] : [ja, jb];
    expect(second.processedOn!).toBeGreaterThanOrEqual(first.finishedOn!);
  });

  it("a subscriber's sync goes before router passes queued ahead of it", async () => {
    const passes = await Promise.all(routerIds.map((routerId) => h.producer.add(JobName.RECONCILE_ROUTER, { routerId })));
    await h.users.writeDesiredState(userId, { isSuspended: true });
    const sync = await finished(await h.producer.add(JobName.SYNC_USER, { userId }));
    const done = await Promise.all(passes.map(finished));
    // Two worker slots: two passes may already run; the third waits behind the subscriber's sync.
    const startedAfter = done.filter((p) => p.processedOn! >= sync.processedOn!);
    expect(startedAfter.length).toBeGreaterThanOrEqual(1);
  });
});
