import { JobName } from '@isp/domain';
import { SimulatedRouter } from '@isp/routeros-testing';
import { userTag } from '../../src/planning/managed-tag';
import type { PassResult } from '../../src/reconcile/reconcile.service';
import { startProvisioning, type Harness } from '../provisioning-harness';

/** Manual edits on a managed router: each kind goes by its policy, and the pass says what it did. */
describe('provisioning scenarios: drift report', () => {
  let h: Harness;
  let sim: SimulatedRouter;
  let routerId: string;
  let userId: string;
  const secret = () => sim.table('/ppp/secret').find((r) => r.name === 'd1')!;

  beforeAll(async () => {
    sim = await SimulatedRouter.start({ pppRedialMs: 100 });
    h = await startProvisioning('provisioning-scenarios-drift', { DRIFT_POLICY: 'caller-id=adopt,profile=report' });
    routerId = await h.addRouter(sim);
    userId = await h.addSubscriber(routerId, { username: 'd1', password: 'pw', profile: 'default' });
    await h.run(JobName.RECONCILE_ROUTER, { routerId });
    sim.addSubscriber({ username: 'd1', password: 'pw', mac: '02:00:00:00:0D:01' });
  });

  afterAll(async () => {
    await h?.close();
    await sim?.stop();
  });

  it('reverts, adopts or only reports each manual edit by its kind, and reports untagged extras without touching them', async () => {
    const edit = (props: Record<string, string>) => sim['menus'].execute('/ppp/secret', 'set', { '.id': secret()['.id'], ...props }, []);
    edit({ 'caller-id': '02:00:00:00:0D:01', profile: 'gold', password: 'winbox' });
    sim['menus'].execute('/ppp/secret', 'add', { name: 'noc-test', password: 'x', service: 'pppoe' }, []);
    const session = sim.table('/ppp/active').find((r) => r.name === 'd1')!['.id'];

    const report = (await h.run(JobName.RECONCILE_ROUTER, { routerId })) as PassResult;

    expect(secret()).toMatchObject({ password: 'pw', profile: 'gold', 'caller-id': '02:00:00:00:0D:01' });
    expect(await h.users.findById(userId)).toMatchObject({ macAddress: '02:00:00:00:0D:01', profile: 'default' });
    expect(report.kicked).toBe(0);
    expect(sim.table('/ppp/active').find((r) => r.name === 'd1')!['.id']).toBe(session);
    expect(sim.table('/ppp/secret').find((r) => r.name === 'noc-test')).toMatchObject({ password: 'x' });

    const { drift } = (await h.routers.findDrift(routerId))!;
    expect(drift).toMatchObject({ mode: 'reconcile', applied: true, deployment: 'main' });
    const d1 = drift!.items.filter((i) => i.subscriber === 'd1').map((i) => `${i.field}: ${i.router} -> ${i.database} (${i.action})`);
    expect(d1.sort()).toEqual(['caller-id: 02:00:00:00:0D:01 ->  (adopt)', 'password: (hidden) -> (hidden) (revert)', 'profile: gold -> default (report)'].sort());
    expect(drift!.items).toContainEqual(expect.objectContaining({ entry: 'noc-test', action: 'report', router: 'untagged' }));

    // Adopted into the database, reported left alone: the next pass changes nothing more.
    const next = (await h.run(JobName.RECONCILE_ROUTER, { routerId })) as PassResult;
    expect(next.writes).toBe(0);
    expect((await h.routers.findDrift(routerId))!.drift!.items.filter((i) => i.subscriber === 'd1').map((i) => `${i.field} (${i.action})`)).toEqual(['profile (report)']);
  });

  it('a secret tagged before deployment ids (`isp-netops:user:<id>`) is still ours: re-tagged in place, not duplicated or orphaned, nobody kicked', async () => {
    const oldId = await h.addSubscriber(routerId, { username: 'd2', password: 'pw2', profile: 'default' });
    sim['menus'].execute('/ppp/secret', 'add', { name: 'd2', password: 'pw2', service: 'pppoe', profile: 'default', comment: `isp-netops:user:${oldId}` }, []);
    sim.addSubscriber({ username: 'd2', password: 'pw2' });
    const session = sim.table('/ppp/active').find((r) => r.name === 'd2')!['.id'];

    const report = (await h.run(JobName.RECONCILE_ROUTER, { routerId })) as PassResult;

    expect(sim.table('/ppp/secret').filter((r) => r.name === 'd2')).toEqual([expect.objectContaining({ comment: userTag(oldId), password: 'pw2' })]);
    expect(report.orphans).toEqual([]);
    expect(report.kicked).toBe(0);
    expect(sim.table('/ppp/active').find((r) => r.name === 'd2')!['.id']).toBe(session);
    expect((await h.routers.findDrift(routerId))!.drift!.items).toContainEqual(expect.objectContaining({ subscriber: 'd2', field: 'comment', router: `isp-netops:user:${oldId}`, action: 'apply' }));
  });
});
