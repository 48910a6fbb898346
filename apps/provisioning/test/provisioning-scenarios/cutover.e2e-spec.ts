import { encryptLegacySecrets, type LegacySecretCollections } from '@isp/data';
import { JobName, SecretBox, SyncStatus } from '@isp/domain';
import { SimulatedRouter } from '@isp/routeros-testing';
import { waitFor } from '../../../../test/support';
import { userTag } from '../../src/planning/managed-tag';
import type { PassResult } from '../../src/reconcile/reconcile.service';
import { simWrites, startProvisioning, type Harness } from '../provisioning-harness';

/** The cutover from the old system: its plaintext passwords, and routers it populated. */
describe('provisioning scenarios: cutover', () => {
  let h: Harness;
  let collections: LegacySecretCollections;

  beforeAll(async () => {
    h = await startProvisioning('provisioning-scenarios-cutover');
    const db = h.userModel.db;
    collections = { routers: db.collection('mikrotikrouters'), users: db.collection('mikrotikusers') } as never;
  });

  afterAll(async () => {
    await h?.close();
  });

  describe('a plaintext-password subscriber', () => {
    let sim: SimulatedRouter;
    let userId: string;

    beforeAll(async () => {
      sim = await SimulatedRouter.start({ pppRedialMs: 100 });
      sim.addSubscriber({ username: 'plain1', password: 'old-pw' });
      const routerId = await h.addRouter(sim);
      userId = await h.addSubscriber(routerId, { username: 'plain1', password: 'old-pw', profile: 'default' }, { legacy: true });
    });

    afterAll(async () => {
      await sim?.stop();
    });

    it('is migrated (dry run first, idempotent, never shown) and then suspended', async () => {
      // Before the migration no change reaches the router: the stored password is not encrypted.
      await h.users.writeDesiredState(userId, { isSuspended: true });
      await h.run(JobName.SYNC_USER, { userId }).catch(() => undefined);
      expect((await h.users.findById(userId))!.syncError).toMatch(/not encrypted/);
      expect(sim.table('/ppp/secret').find((r) => r.name === 'plain1')!.profile).toBe('default');

      const progress: string[] = [];
      const dry = await encryptLegacySecrets(collections, h.box, { dryRun: true, onProgress: (p) => progress.push(p.field) });
      expect(dry.fields.find((f) => f.field === 'subscriber.password')).toMatchObject({ encrypted: 1, alreadyEncrypted: 0 });
      expect(progress).toContain('subscriber.password');
      expect((await h.users.findById(userId))!.password).toBe('old-pw');
      expect(JSON.stringify(dry)).not.toContain('old-pw');

      const applied = await encryptLegacySecrets(collections, h.box, { dryRun: false });
      expect(applied.fields.find((f) => f.field === 'subscriber.password')).toMatchObject({ encrypted: 1 });
      const stored = (await h.users.findById(userId))!;
      expect(SecretBox.isEncrypted(stored.password!)).toBe(true);
      expect(h.box.decrypt(stored.password!, 'subscriber.password', stored._id)).toBe('old-pw');
      const again = await encryptLegacySecrets(collections, h.box, { dryRun: false });
      expect(again.fields.every((f) => f.encrypted === 0)).toBe(true);
      expect((await h.users.findById(userId))!.password).toBe(stored.password);

      await h.users.writeDesiredState(userId, { isSuspended: true });
      await h.producer.add(JobName.SYNC_USER, { userId });
      await waitFor(async () => (await h.users.findById(userId))?.syncStatus === SyncStatus.SYNCED, { message: 'plain1 suspended', timeoutMs: 15000 });
      expect(sim.table('/ppp/secret').find((r) => r.name === 'plain1')).toMatchObject({ profile: 'suspended', password: 'old-pw', comment: userTag(userId) });
    });
  });

  describe('a router the old system populated', () => {
    let sim: SimulatedRouter;
    let routerId: string;
    const ids: Record<string, string> = {};
    const secret = (name: string) => sim.table('/ppp/secret').find((r) => r.name === name)!;
    const sessions = () => Object.fromEntries(sim.table('/ppp/active').map((r) => [r.name, r['.id']]));

    beforeAll(async () => {
      sim = await SimulatedRouter.start({ pppRedialMs: 100 });
      const menu = (path: string, props: Record<string, string>) => sim['menus'].execute(path, 'add', props, []);
      menu('/ppp/profile', { name: 'gold', 'rate-limit': '20M/20M' });
      menu('/ppp/profile', { name: 'suspended', 'rate-limit': '64k/64k', 'address-list': 'suspended' });
      // As the old system left them: untagged secrets, a static address with a MAC lock, a
      // disabled (suspended) user, one on the suspended profile, an operator's own extra secret.
      menu('/ppp/secret', { name: 'alice', password: 'a-pw', service: 'pppoe', profile: 'gold', 'remote-address': '100.64.9.10', 'caller-id': '02:00:00:00:09:10' });
      menu('/ppp/secret', { name: 'bob', password: 'b-pw', service: 'pppoe', profile: 'gold', disabled: 'yes' });
      menu('/ppp/secret', { name: 'carol', password: 'c-pw', service: 'pppoe', profile: 'suspended' });
      menu('/ppp/secret', { name: 'dave', password: 'd-pw', service: 'pppoe', profile: 'default' });
      menu('/ppp/secret', { name: 'noc-test', password: 'x', service: 'pppoe', profile: 'default' });
      sim.addSubscriber({ username: 'alice', password: 'a-pw', mac: '02:00:00:00:09:10' });
      sim.addSubscriber({ username: 'bob', password: 'b-pw', online: false });
      sim.addSubscriber({ username: 'carol', password: 'c-pw' });
      sim.addSubscriber({ username: 'dave', password: 'd-pw' });
      routerId = await h.addRouter(sim, { legacy: true });
      for (const name of ['alice', 'bob', 'carol', 'dave']) ids[name] = await h.addSubscriber(routerId, { username: name, password: `${name[0]}-pw` }, { legacy: true });
      await encryptLegacySecrets(collections, h.box, { dryRun: false });
    });

    afterAll(async () => {
      await sim?.stop();
    });

    it("the first pass is an adoption: it reports the old system's state and writes nothing", async () => {
      const before = { writes: simWrites(sim), sessions: sessions(), secrets: sim.table('/ppp/secret') };
      const dbBefore = await h.users.findAll({ router: routerId });
      const report = (await h.run(JobName.RECONCILE_ROUTER, { routerId })) as PassResult;

      expect(report).toMatchObject({ mode: 'adoption', writes: 0, kicked: 0 });
      expect(report.differences).toBeGreaterThanOrEqual(7);
      expect(report).not.toHaveProperty('items');
      expect(simWrites(sim)).toBe(before.writes);
      expect(sim.table('/ppp/secret')).toEqual(before.secrets);
      expect(sessions()).toEqual(before.sessions);
      expect(await h.users.findAll({ router: routerId })).toEqual(dbBefore);

      const { drift, adoption } = (await h.routers.findDrift(routerId))!;
      expect(adoption).toBe('pending');
      expect(drift).toMatchObject({ mode: 'adoption', applied: false, writes: 0 });
      const adopt = drift!.items.filter((i) => i.action === 'adopt').map((i) => `${i.subscriber} ${i.field}=${i.router}`);
      expect(adopt.sort()).toEqual(['alice caller-id=02:00:00:00:09:10', 'alice profile=gold', 'alice remote-address=100.64.9.10', 'bob disabled=yes', 'bob profile=gold', 'carol profile=suspended'].sort());
      expect(drift!.items).toContainEqual(expect.objectContaining({ entry: 'noc-test', action: 'report', router: 'untagged' }));
      expect(drift!.items.some((i) => i.action === 'kick')).toBe(false);
      expect(JSON.stringify(drift)).not.toMatch(/[a-d]-pw/);
      expect((await h.routers.findById(routerId))!.syncError).toMatch(/awaiting adoption/);

      // A subscriber's sync waits for the adoption too.
      await h.users.writeDesiredState(ids.dave, { profile: 'gold' });
      expect(await h.run(JobName.SYNC_USER, { userId: ids.dave })).toMatchObject({ result: 'skipped' });
      expect(simWrites(sim)).toBe(before.writes);
    });

    it('approval adopts the state into the database and tags the secrets, kicking nobody', async () => {
      const before = sessions();
      const extra = { ...secret('noc-test') };
      expect(Object.keys(before).sort()).toEqual(['alice', 'carol', 'dave']);
      expect(await h.routers.approveAdoption(routerId, 'netadmin@test')).not.toBeNull();
      const report = (await h.run(JobName.SYNC_ROUTER, { routerId })) as PassResult;

      expect(report).toMatchObject({ mode: 'adopt', kicked: 0 });
      expect(report.writes).toBeGreaterThan(0);
      expect(sessions()).toEqual(before);
      const user = async (name: string) => (await h.users.findById(ids[name]))!;
      expect(await user('alice')).toMatchObject({ profile: 'gold', staticIp: '100.64.9.10', macAddress: '02:00:00:00:09:10', syncStatus: SyncStatus.SYNCED });
      expect(await user('bob')).toMatchObject({ profile: 'gold', isSuspended: true, syncStatus: SyncStatus.SYNCED });
      expect(await user('carol')).toMatchObject({ isSuspended: true, syncStatus: SyncStatus.SYNCED });
      expect(await user('dave')).toMatchObject({ profile: 'gold', syncStatus: SyncStatus.SYNCED });
      expect(secret('alice')).toMatchObject({ profile: 'gold', 'remote-address': '100.64.9.10', 'caller-id': '02:00:00:00:09:10', comment: userTag(ids.alice) });
      expect(secret('bob')).toMatchObject({ profile: 'suspended', comment: userTag(ids.bob) });
      expect(secret('carol')).toMatchObject({ profile: 'suspended', comment: userTag(ids.carol) });
      // dave's own pending change (gold) is written, and takes effect when he redials.
      expect(secret('dave')).toMatchObject({ profile: 'gold', comment: userTag(ids.dave) });
      expect(secret('noc-test')).toEqual(extra);
      expect((await h.routers.findDrift(routerId))!).toMatchObject({ adoption: 'adopted', drift: { mode: 'adopt', applied: true, kicked: 0 } });

      // From now on the router is managed: a later pass finds nothing to change and ends no session.
      const next = (await h.run(JobName.RECONCILE_ROUTER, { routerId })) as PassResult;
      expect(next).toMatchObject({ mode: 'reconcile', kicked: 0 });
      expect(sessions()).toMatchObject({ alice: before.alice, carol: before.carol });
    });
  });
});
