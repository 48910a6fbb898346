import mongoose, { Types, type Connection } from 'mongoose';
import { ensureIndexes, modelsOn, repositoriesOn, type DomainModels, type Repositories, type RouterDriftReport } from '@isp/data';
import { testMongoUrl } from '../../../test/support';

const report = (writes: number, items = 2): RouterDriftReport =>
  ({
    at: new Date('2026-12-03T12:00:00Z'),
    mode: 'reconcile',
    applied: true,
    deployment: 'isp-netops',
    writes,
    kicked: 0,
    items: Array.from({ length: items }, (_, i) => ({ menu: '/ppp/secret', entry: `u${i}`, field: 'password', action: 'revert', why: 'changed on the router' })),
  }) as unknown as RouterDriftReport;

describe('router drift reports live in a collection of their own (the real store)', () => {
  let conn: Connection;
  let models: DomainModels;
  let repos: Repositories;

  beforeAll(async () => {
    conn = await mongoose.createConnection(testMongoUrl('router-drift')).asPromise();
    models = modelsOn(conn);
    await ensureIndexes(models);
    repos = repositoriesOn(conn);
  });
  afterAll(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  const newRouter = (name: string) => repos.routers.create({ name, host: '10.9.0.1', apiUser: 'api', apiPassword: 'sealed' });

  it('a pass writes its report beside the record, which stays small; the last report wins', async () => {
    const r = await newRouter('drift-own');
    await repos.routers.setDrift(r._id, report(3, 2000));
    await repos.routers.setDrift(r._id, report(1));
    const found = await repos.routers.findDrift(r._id);
    expect(found).toMatchObject({ name: 'drift-own', adoption: 'onboarded', drift: { writes: 1 } });
    expect(found!.drift!.items).toHaveLength(2);
    expect(await models.routerDrift.countDocuments({ _id: r._id })).toBe(1);
    expect((await models.router.findById(r._id).lean())!.drift).toBeUndefined();
  });

  it('a report left on the record by an earlier version is read there until the next pass moves it', async () => {
    const r = await newRouter('drift-legacy');
    await models.router.updateOne({ _id: r._id }, { $set: { drift: report(7) } });
    expect((await repos.routers.findDrift(r._id))!.drift).toMatchObject({ writes: 7 });

    await repos.routers.setDrift(r._id, report(0));
    expect((await repos.routers.findDrift(r._id))!.drift).toMatchObject({ writes: 0 });
    expect((await models.router.findById(r._id).lean())!.drift).toBeUndefined();
  });

  it('no report yet: no drift; no router: null; a deleted router takes its report with it', async () => {
    const r = await newRouter('drift-none');
    expect((await repos.routers.findDrift(r._id))!.drift).toBeUndefined();
    expect(await repos.routers.findDrift(new Types.ObjectId())).toBeNull();
    await repos.routers.setDrift(r._id, report(2));
    expect(await repos.routers.delete(r._id)).toBe(true);
    expect(await models.routerDrift.countDocuments({ _id: r._id })).toBe(0);
  });
});
