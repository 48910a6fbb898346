// Issue 17 item 6: a router pass reports each stage as its BullMQ job's progress (Bull Board and
// the console show it), through the real worker, Redis and a simulated router over TCP.
import { Types } from 'mongoose';
import { issueWebhookToken, JobName, type RouterPassProgress } from '@isp/domain';
import { SimulatedRouter } from '@isp/routeros-testing';
import { waitFor } from '../../../test/support';
import { startProvisioning, type Harness } from './provisioning-harness';

describe('provisioning: router pass progress', () => {
  let h: Harness;
  let sim: SimulatedRouter;
  let routerId: string;

  beforeAll(async () => {
    sim = await SimulatedRouter.start({ pppRedialMs: null });
    h = await startProvisioning('router-pass-progress');
    // With its webhook token stored, so the pass does not issue one and go round again.
    routerId = await h.addRouter(sim, { token: issueWebhookToken(sim.id).token });
    const router = new Types.ObjectId(routerId);
    await h.userModel.insertMany(
      [0, 1, 2].map((i) => {
        const _id = new Types.ObjectId();
        return { _id, username: `p${i}`, router, password: h.box.encrypt(`pw-${i}`, 'subscriber.password', _id), serviceType: 'pppoe' as const, profile: 'default' };
      }),
    );
  });

  afterAll(async () => {
    await h?.close();
    await sim?.stop();
  });

  it('publishes loaded, read, planned and applied as the job progresses', async () => {
    const seen = new Map<string, RouterPassProgress[]>();
    h.events.on('progress', ({ jobId, data }) => seen.set(jobId, [...(seen.get(jobId) ?? []), data as RouterPassProgress]));
    const job = await h.producer.add(JobName.RECONCILE_ROUTER, { routerId });
    await job.waitUntilFinished(h.events, 30000);
    const progress = await waitFor(() => (seen.get(job.id!)?.length === 4 ? seen.get(job.id!) : undefined), { message: 'four progress events' });
    expect(progress.map((p) => [p.stage, p.done, p.total, p.percent])).toEqual([
      ['loaded', 1, 4, 25],
      ['read', 2, 4, 50],
      ['planned', 3, 4, 75],
      ['applied', 4, 4, 100],
    ]);
    expect(progress[0].subscribers).toBe(3);
    // Three secrets at least, plus the suspension set-up: the plan is not empty on a first pass.
    expect(progress[3].ops).toBeGreaterThanOrEqual(3);
    expect((await h.producer.queue(job.queueName).getJob(job.id!))?.progress).toEqual(progress[3]);
    expect(sim.table('/ppp/secret')).toHaveLength(3);
  });
});
