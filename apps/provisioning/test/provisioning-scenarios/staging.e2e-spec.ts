import { JobName } from '@isp/domain';
import { SimulatedRouter } from '@isp/routeros-testing';
import { Types } from 'mongoose';
import type { PassResult } from '../../src/reconcile/reconcile.service';
import { startProvisioning, type Harness } from '../provisioning-harness';

const MENUS = ['/ppp/secret', '/ppp/profile', '/queue/simple', '/ip/firewall/address-list', '/ip/firewall/filter', '/tool/netwatch'];

/** A staging deployment pointed at production's router: production's rows are not its own. */
describe('provisioning scenarios: a staging deployment', () => {
  let h: Harness;
  let sim: SimulatedRouter;
  let routerId: string;
  const prod = { a: new Types.ObjectId().toHexString(), b: new Types.ObjectId().toHexString(), c: new Types.ObjectId().toHexString(), device: new Types.ObjectId().toHexString() };

  /** Every row production wrote: tagged `isp-netops@main:...`, or with the unscoped tag from before deployment ids. */
  const productionRows = () => MENUS.flatMap((m) => sim.table(m).filter((r) => /^isp-netops(@main)?:/.test(r.comment ?? '')).map((r) => ({ menu: m, ...r })));

  beforeAll(async () => {
    sim = await SimulatedRouter.start({ pppRedialMs: 100 });
    const add = (path: string, props: Record<string, string>) => sim['menus'].execute(path, 'add', props, []);
    add('/ppp/profile', { name: 'suspended', 'rate-limit': '64k/64k', 'address-list': 'suspended', comment: 'isp-netops@main:profile' });
    add('/ppp/secret', { name: 'prod-a', password: 'pa', service: 'pppoe', profile: 'default', comment: `isp-netops@main:user:${prod.a}` });
    add('/ppp/secret', { name: 'prod-b', password: 'pb', service: 'pppoe', profile: 'suspended', comment: `isp-netops:user:${prod.b}` });
    add('/ppp/secret', { name: 'shared', password: 'pc', service: 'pppoe', profile: 'default', comment: `isp-netops@main:user:${prod.c}` });
    add('/queue/simple', { name: 'sub-prod-a', target: '100.64.7.1/32', 'max-limit': '10M/10M', comment: `isp-netops@main:user:${prod.a}` });
    add('/ip/firewall/address-list', { list: 'suspended', address: '100.64.7.2', comment: `isp-netops:user:${prod.b}` });
    add('/ip/firewall/filter', { chain: 'forward', action: 'drop', 'src-address-list': 'suspended', comment: 'isp-netops@main:firewall:suspended-drop' });
    add('/tool/netwatch', { host: '10.9.9.9', interval: '30s', comment: `isp-netops@main:device:${prod.device}` });
    for (const name of ['prod-a', 'prod-b', 'shared']) sim.addSubscriber({ username: name, password: 'x' });

    // Staging's database: another subscriber called "shared" (a duplicate by name), nothing else.
    h = await startProvisioning('provisioning-scenarios-staging', { DEPLOYMENT_ID: 'staging', ORPHAN_POLICY: 'remove' });
    routerId = await h.addRouter(sim);
    await h.addSubscriber(routerId, { username: 'shared', password: 'staging-pw', profile: 'gold' });
  });

  afterAll(async () => {
    await h?.close();
    await sim?.stop();
  });

  it("removes and changes nothing of production's, duplicates by name included, and reports it", async () => {
    const before = productionRows();
    const sessions = sim.table('/ppp/active').map((r) => r['.id']);
    expect(before).toHaveLength(8);

    const report = (await h.run(JobName.RECONCILE_ROUTER, { routerId })) as PassResult;

    expect(productionRows()).toEqual(before);
    expect(sim.table('/ppp/active').map((r) => r['.id'])).toEqual(sessions);
    expect(report.orphans).toEqual([]);
    expect(report.kicked).toBe(0);
    expect(report.conflicts).toContainEqual(expect.stringMatching(/secret shared belongs to deployment main/));
    const reported = (await h.routers.findDrift(routerId))!.drift!.items.filter((i) => i.action === 'report').map((i) => `${i.entry}: ${i.router}`);
    expect(reported).toEqual(expect.arrayContaining(['prod-a: tagged by deployment main', 'prod-b: tagged by deployment main', 'shared: tagged by deployment main', 'sub-prod-a: tagged by deployment main']));
    // What staging did write is its own, under its own id.
    const staging = MENUS.flatMap((m) => sim.table(m)).filter((r) => /^isp-netops@staging:/.test(r.comment ?? ''));
    expect(staging.length).toBeGreaterThan(0);
    expect(MENUS.flatMap((m) => sim.table(m)).filter((r) => /^isp-netops/.test(r.comment ?? '')).every((r) => /^isp-netops(@main|@staging)?:/.test(r.comment))).toBe(true);
  });
});
