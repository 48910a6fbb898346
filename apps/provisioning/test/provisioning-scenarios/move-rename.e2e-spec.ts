import { getConnectionToken } from '@nestjs/mongoose';
import { JobName, SecretBox, SyncStatus } from '@isp/domain';
import { loadTopology, modelsOn, parseTopologyText, PlanRepository, TopologyFileRepository, type Subscriber } from '@isp/data';
import { SimulatedRouter } from '@isp/routeros-testing';
import { Types, type Connection } from 'mongoose';
import { waitFor } from '../../../../test/support';
import { userTag } from '../../src/planning/managed-tag';
import { startProvisioning, type Harness } from '../provisioning-harness';

/** Move and rename: the old secret leaves the old router, the old session ends, the new one is created. */
describe('provisioning scenarios: move and rename', () => {
  let h: Harness;
  let a: SimulatedRouter;
  let b: SimulatedRouter;
  let routerA: string;
  let routerB: string;

  const secret = (sim: SimulatedRouter, name: string) => sim.table('/ppp/secret').find((r) => r.name === name);
  const session = (sim: SimulatedRouter, name: string) => sim.table('/ppp/active').find((r) => r.name === name);
  const synced = async (id: string) => {
    const u = await h.users.findById(id);
    return u && u.syncStatus === SyncStatus.SYNCED && u.appliedVersion === u.desiredVersion ? u : null;
  };
  /** What PATCH /subscribers/:id does with username and/or routerId. */
  const relocate = async (id: string, to: { router?: string; username?: string }): Promise<Subscriber> => {
    const before = (await h.users.findById(id))!;
    const moved = await h.users.relocate(before, { router: new Types.ObjectId(to.router ?? String(before.router)), username: to.username ?? before.username, station: null, building: null });
    await h.producer.add(JobName.SYNC_USER, { userId: id });
    return moved!;
  };
  const create = async (username: string, router: string) =>
    String((await h.users.create(((_id) => ({ _id, username, router: new Types.ObjectId(router), password: h.box.encrypt('pw', 'subscriber.password', _id), profile: 'default' }))(new Types.ObjectId())))._id);

  beforeAll(async () => {
    a = await SimulatedRouter.start({ pppRedialMs: 100 });
    b = await SimulatedRouter.start({ pppRedialMs: 100 });
    h = await startProvisioning('provisioning-scenarios-move');
    routerA = await h.addRouter(a, { name: 'core-a' });
    routerB = await h.addRouter(b, { name: 'core-b' });
  });

  afterAll(async () => {
    await h?.close();
    await a?.stop();
    await b?.stop();
  });

  it('a move from router A to router B leaves no secret on A, ends the session there, and creates the secret on B', async () => {
    a.addSubscriber({ username: 'mover', password: 'pw' });
    const id = await create('mover', routerA);
    await h.run(JobName.SYNC_USER, { userId: id });
    expect(secret(a, 'mover')).toMatchObject({ comment: userTag(id) });
    expect(session(a, 'mover')).toBeDefined();

    const moved = await relocate(id, { router: routerB });
    expect(moved.leftBehind).toEqual([expect.objectContaining({ username: 'mover' })]);
    const done = await waitFor(() => synced(id), { message: 'mover synced after the move' });

    expect(secret(a, 'mover')).toBeUndefined();
    expect(session(a, 'mover')).toBeUndefined();
    expect(secret(b, 'mover')).toMatchObject({ comment: userTag(id), profile: 'default' });
    expect(done.leftBehind ?? []).toEqual([]);
  });

  it('a move while the old router is unreachable keeps the removal until the router is back', async () => {
    a.addSubscriber({ username: 'away', password: 'pw' });
    const id = await create('away', routerA);
    await h.run(JobName.SYNC_USER, { userId: id });
    await a.setRouterDown(true);
    await relocate(id, { router: routerB });
    await waitFor(async () => secret(b, 'away') && /old router core-a/.test((await h.users.findById(id))?.syncError ?? ''), { message: 'secret on B, removal on A pending' });
    const pending = (await h.users.findById(id))!;
    expect(pending.syncStatus).toBe(SyncStatus.PENDING);
    expect(pending.leftBehind).toEqual([expect.objectContaining({ username: 'away', router: new Types.ObjectId(routerA) })]);
    // A pass on the new router does not call it synced either: the old one still has the secret.
    await h.run(JobName.RECONCILE_ROUTER, { routerId: routerB });
    expect((await h.users.findById(id))!.syncStatus).toBe(SyncStatus.PENDING);

    await a.setRouterDown(false);
    // The old router's own pass removes it (no syncUser needed): the desired state says where.
    await h.run(JobName.RECONCILE_ROUTER, { routerId: routerA });
    expect(secret(a, 'away')).toBeUndefined();
    expect(session(a, 'away')).toBeUndefined();
    expect((await h.users.findById(id))!.leftBehind ?? []).toEqual([]);
    await h.producer.add(JobName.SYNC_USER, { userId: id });
    await waitFor(() => synced(id), { timeoutMs: 20000, message: 'away synced once A is clean' });
  });

  it('a rename on the same router renames the secret and kicks the session under the old name', async () => {
    a.addSubscriber({ username: 'oldname', password: 'pw' });
    const id = await create('oldname', routerA);
    await h.run(JobName.SYNC_USER, { userId: id });
    const before = session(a, 'oldname')!;
    expect(before).toBeDefined();

    await relocate(id, { username: 'newname' });
    const done = await waitFor(() => synced(id), { message: 'newname synced' });
    expect(secret(a, 'oldname')).toBeUndefined();
    expect(secret(a, 'newname')).toMatchObject({ comment: userTag(id) });
    // The old session is gone and cannot come back: the old name has no secret any more.
    expect(session(a, 'oldname')).toBeUndefined();
    expect(done.leftBehind ?? []).toEqual([]);
  });

  it('the topology loader moves a subscriber that moved in the file instead of duplicating it', async () => {
    const conn = h.app.get<Connection>(getConnectionToken());
    const repo = new TopologyFileRepository(modelsOn(conn));
    const box: SecretBox = h.box;
    const file = (router: string) => `
buildings:
  - { code: LD, name: Loader tower }
routers:
  - { name: core-a, building: LD, host: ${a.host}, apiPort: ${a.port}, apiUser: ${a.user}, apiPassword: "${a.password}" }
  - { name: core-b, building: LD, host: ${b.host}, apiPort: ${b.port}, apiUser: ${b.user}, apiPassword: "${b.password}" }
subscribers:
  - { username: filer, router: ${router}, password: pw }
  - { username: stayer, router: core-a, password: pw, plan: file-plan }
`;
    // A subscriber names an existing plan by its name; an unknown one rejects the file before any write.
    await expect(loadTopology(parseTopologyText(file('core-a')), repo, box)).rejects.toThrow(/plan "file-plan" does not exist/);
    expect(await h.userModel.countDocuments({ username: { $in: ['filer', 'stayer'] } })).toBe(0);
    const plan = await h.app.get(PlanRepository).create({ name: 'file-plan', download: '10M', upload: '2M' });
    a.addSubscriber({ username: 'filer', password: 'pw' });
    const first = await loadTopology(parseTopologyText(file('core-a')), repo, box);
    expect(first.subscribers.created).toBe(2);
    expect(String((await h.users.findByUsername('stayer'))[0].planId)).toBe(String(plan._id));
    const filer = (await h.users.findByUsername('filer'))[0];
    await h.run(JobName.SYNC_USER, { userId: String(filer._id) });
    expect(secret(a, 'filer')).toMatchObject({ comment: userTag(String(filer._id)) });

    const second = await loadTopology(parseTopologyText(file('core-b')), repo, box);
    expect(second).toMatchObject({ moved: 1, subscribers: { created: 0 } });
    const records = await h.userModel.find({ username: 'filer' }).lean().exec();
    expect(records).toHaveLength(1);
    expect(String(records[0]._id)).toBe(String(filer._id));
    expect(String(records[0].router)).toBe(routerB);

    await h.producer.add(JobName.SYNC_USER, { userId: String(filer._id) });
    await waitFor(() => synced(String(filer._id)), { message: 'filer synced after the file moved it' });
    expect(secret(a, 'filer')).toBeUndefined();
    expect(session(a, 'filer')).toBeUndefined();
    expect(secret(b, 'filer')).toMatchObject({ comment: userTag(String(filer._id)) });
    // Loading the same file again changes nothing.
    expect(await loadTopology(parseTopologyText(file('core-b')), repo, box)).toMatchObject({ moved: 0, subscribers: { created: 0, updated: 0 } });
  });
});
