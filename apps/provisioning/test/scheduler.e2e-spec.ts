import { QueueName, SecretBox } from '@isp/domain';
import { SimulatedRouter } from '@isp/routeros-testing';
import { testMongoUrl, testQueuePrefix, waitFor } from '../../../test/support';
import { RECONCILE_SCHEDULER_ID } from '../src/reconcile/reconcile-scheduler.service';
import { startProvisioning, type Harness } from './provisioning-harness';

describe('reconcile scheduler', () => {
  const shared = { MONGO_URL: testMongoUrl('provisioning-scheduler'), QUEUE_PREFIX: testQueuePrefix('provisioning-scheduler'), RECONCILE_SCHEDULER: 'true', RECONCILE_EVERY_MS: '1000', SECRETS_KEYS: SecretBox.generateKey('s') };
  let a: Harness;
  let b: Harness;
  let sim: SimulatedRouter;

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await sim?.stop();
  });

  it('two replicas keep one schedule, and every router gets reconciled on it', async () => {
    a = await startProvisioning('provisioning-scheduler', shared);
    b = await startProvisioning('provisioning-scheduler', shared);
    sim = await SimulatedRouter.start({});
    const routerId = await a.addRouter(sim);
    const schedulers = await a.producer.queue(QueueName.SYNC).getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toEqual([RECONCILE_SCHEDULER_ID]);
    const r = await waitFor(async () => (await a.routers.findById(routerId))?.lastReconcileAt, { timeoutMs: 15000, message: 'router reconciled by the schedule' });
    expect(r).toBeInstanceOf(Date);
  });
});
