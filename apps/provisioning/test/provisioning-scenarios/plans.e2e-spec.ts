import { JobName, SyncStatus } from '@isp/domain';
import { PlanRepository } from '@isp/data';
import { SimulatedRouter } from '@isp/routeros-testing';
import { Types } from 'mongoose';
import { waitFor } from '../../../../test/support';
import { managedComment, userTag } from '../../src/planning/managed-tag';
import { startProvisioning, type Harness } from '../provisioning-harness';

/** Bandwidth plans: the PPP profile and the simple queues equal to the plan, now or at a scheduled time. */
describe('provisioning scenarios: plans', () => {
  let h: Harness;
  let sim: SimulatedRouter;
  let plans: PlanRepository;
  let routerId: string;
  let planId: string;
  const ids: Record<string, string> = {};

  const profile = (name: string) => sim.table('/ppp/profile').find((r) => r.name === name);
  const queue = (name: string) => sim.table('/queue/simple').find((r) => r.name === name);
  const allSynced = async () => {
    const us = await Promise.all(Object.values(ids).map((id) => h.users.findById(id)));
    return us.every((u) => u && u.syncStatus === SyncStatus.SYNCED && u.appliedVersion === u.desiredVersion);
  };

  beforeAll(async () => {
    sim = await SimulatedRouter.start({ pppRedialMs: 100 });
    h = await startProvisioning('provisioning-scenarios-plans');
    plans = h.app.get(PlanRepository);
    routerId = await h.addRouter(sim);
    planId = String((await plans.create({ name: 'home-20', download: '20M', upload: '5M', addressList: 'plan-home' }))._id);
    const router = new Types.ObjectId(routerId);
    const planRef = new Types.ObjectId(planId);
    sim.addSubscriber({ username: 'pp1', password: 'pw' });
    ids.pp1 = String((await h.users.create(((_id) => ({ _id, username: 'pp1', router, password: h.box.encrypt('pw', 'subscriber.password', _id), planId: planRef }))(new Types.ObjectId())))._id);
    ids.st1 = String((await h.users.create({ username: 'st1', router, serviceType: 'static', staticIp: '100.64.7.1', planId: planRef }))._id);
    await h.run(JobName.RECONCILE_ROUTER, { routerId });
  });

  afterAll(async () => {
    await h?.close();
    await sim?.stop();
  });

  it("a router pass installs the plan: its profile (tagged), the PPPoE secret on it, the static subscriber's queue and list entry", async () => {
    expect(profile('home-20')).toMatchObject({ 'rate-limit': '5M/20M', 'address-list': 'plan-home', comment: managedComment('profile', planId) });
    expect(sim.table('/ppp/secret').find((r) => r.name === 'pp1')).toMatchObject({ profile: 'home-20' });
    expect(queue('sub-st1')).toMatchObject({ target: '100.64.7.1/32', 'max-limit': '5M/20M', comment: userTag(ids.st1) });
    expect(sim.table('/ip/firewall/address-list').find((r) => r.list === 'plan-home' && r.address === '100.64.7.1')).toMatchObject({ comment: userTag(ids.st1) });
    expect(await allSynced()).toBe(true);
  });

  it('a plan change applied now reaches the profile and the queue through the re-sync of its subscribers', async () => {
    await plans.applyChanges(planId, { download: '40M', burstDownload: '60M', burstUpload: '10M', burstTime: 8, priority: 4 });
    const outcome = await h.run(JobName.APPLY_PLAN, { planId });
    expect(outcome).toMatchObject({ result: 'applied', subscribers: 2 });
    await waitFor(allSynced, { message: 'both subscribers synced with the new plan' });
    expect(profile('home-20')).toMatchObject({ 'rate-limit': '5M/40M 10M/60M 5M/40M 8/8 4 0/0' });
    expect(queue('sub-st1')).toMatchObject({ 'max-limit': '5M/40M', 'burst-limit': '10M/60M', 'burst-threshold': '5M/40M', 'burst-time': '8s/8s', priority: '4/4' });
  });

  it('a scheduled plan change waits for its time, then applies', async () => {
    const at = new Date(Date.now() + 1500);
    await plans.schedule(planId, at, { upload: '8M' });
    await h.producer.add(JobName.APPLY_PLAN, { planId, scheduledAt: at.toISOString() }, { delay: 1500 });
    expect(queue('sub-st1')!['max-limit']).toBe('5M/40M');
    await waitFor(() => queue('sub-st1')!['max-limit'] === '8M/40M' && profile('home-20')!['rate-limit'].startsWith('8M/40M '), { timeoutMs: 15000, message: 'scheduled change on the router' });
    expect(Date.now()).toBeGreaterThanOrEqual(at.getTime());
    const plan = (await plans.findById(planId))!;
    expect(plan).toMatchObject({ upload: '8M', scheduled: null });
    await waitFor(allSynced, { message: 'subscribers synced after the scheduled change' });
  });

  it('a replaced schedule is skipped when its old job fires', async () => {
    const at = new Date(Date.now() + 60_000);
    await plans.schedule(planId, at, { download: '1M' });
    const outcome = await h.run(JobName.APPLY_PLAN, { planId, scheduledAt: new Date(at.getTime() - 1000).toISOString() });
    expect(outcome).toMatchObject({ result: 'skipped' });
    expect((await plans.findById(planId))!.download).toBe('40M');
  });
});
