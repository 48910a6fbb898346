import { JobName, SyncStatus } from '@isp/domain';
import { SimulatedRouter } from '@isp/routeros-testing';
import { Types } from 'mongoose';
import { waitFor } from '../../../../test/support';
import { userTag } from '../../src/planning/managed-tag';
import type { ReconcileReport } from '../../src/reconcile/reconcile.service';
import { startProvisioning, type Harness } from '../provisioning-harness';

/** What provisioning does not own it leaves alone, even when it carries our tag. */
describe('provisioning scenarios: ownership', () => {
  let h: Harness;
  let sim: SimulatedRouter;
  let routerId: string;
  let userId: string;

  beforeAll(async () => {
    sim = await SimulatedRouter.start({ pppRedialMs: null });
    h = await startProvisioning('provisioning-scenarios-ownership');
    routerId = await h.addRouter(sim);
    userId = String((await h.users.create(((_id) => ({ _id, username: 'own1', router: new Types.ObjectId(routerId), password: h.box.encrypt('pw', 'subscriber.password', _id), profile: 'default' }))(new Types.ObjectId())))._id);
    await h.run(JobName.RECONCILE_ROUTER, { routerId });
  });

  afterAll(async () => {
    await h?.close();
    await sim?.stop();
  });

  it('a Winbox copy of a managed secret (same tag, another name) is left alone by syncs and passes, and reported', async () => {
    const original = sim.table('/ppp/secret').find((r) => r.name === 'own1')!;
    expect(original.comment).toBe(userTag(userId));
    sim['menus'].execute('/ppp/secret', 'add', { name: 'own1-copy', password: 'other', profile: 'default', comment: original.comment }, []);
    sim.pppConnect('own1-copy');

    await h.users.writeDesiredState(userId, { isSuspended: true });
    await h.producer.add(JobName.SYNC_USER, { userId });
    await waitFor(async () => (await h.users.findById(userId))?.syncStatus === SyncStatus.SYNCED, { message: 'own1 synced' });
    const report = (await h.run(JobName.RECONCILE_ROUTER, { routerId })) as ReconcileReport;

    expect(sim.table('/ppp/secret').find((r) => r.name === 'own1-copy')).toMatchObject({ password: 'other', profile: 'default', comment: userTag(userId) });
    expect(sim.table('/ppp/active').find((r) => r.name === 'own1-copy')).toBeDefined();
    expect(sim.table('/ppp/secret').find((r) => r.name === 'own1')).toMatchObject({ profile: 'suspended' });
    expect(report.conflicts).toContainEqual(expect.stringMatching(/own1-copy carries own1's tag/));
  });
});
