import mongoose, { Types, type Connection } from 'mongoose';
import {
  bulkLimit,
  bulkWriteInChunks,
  DEFAULT_IN_LIST_LIMIT,
  setInListLimit,
  ensureIndexes,
  insertManyInChunks,
  modelsOn,
  updateManyIn,
  type DomainModels,
} from '@isp/data';
import { testMongoUrl } from '../../../test/support';

// The embedded store hangs for good on one `update` command of 100+ statements on existing
// documents (see database/bulk-chunks.ts): each case below sends 250 in one call, so without the
// chunking it would never answer and the test would time out.
const N = 250;

describe('bulk writes of 250 statements complete against the real store', () => {
  let conn: Connection;
  let models: DomainModels;
  let deviceIds: Types.ObjectId[];
  const router = new Types.ObjectId();

  beforeAll(async () => {
    conn = await mongoose.createConnection(testMongoUrl('bulk-chunks')).asPromise();
    models = modelsOn(conn);
    await ensureIndexes(models);
    const docs = Array.from({ length: N }, (_, i) => ({ name: `d-${i}`, deviceType: 'station', ipAddress: `10.1.${i >> 8}.${i & 255}`, router }));
    const r = await insertManyInChunks(models.device, docs);
    expect(r).toEqual({ inserted: N, duplicates: 0 });
    deviceIds = (await models.device.find({ router }, { _id: 1 }).sort({ name: 1 }).lean()).map((d) => d._id);
    expect(deviceIds).toHaveLength(N);
  });
  afterAll(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  it("the limit stays below the store's 100-statement hang", () => {
    expect(bulkLimit()).toBeLessThan(100);
  });

  it('250 parent updates by id (the statements that hung the topology loader) all apply', async () => {
    const parent = deviceIds[0];
    const rows = deviceIds.slice(1).map((_id, i) => ({ _id, parent, altParents: i % 2 ? [deviceIds[1]] : [] }));
    const ops = [...rows, { _id: parent, parent: null, altParents: [] }].map((r) => ({ updateOne: { filter: { _id: r._id }, update: { $set: { parent: r.parent, altParents: r.altParents } } } }));
    expect(await bulkWriteInChunks(models.device, ops)).toMatchObject({ matched: N });
    expect(await models.device.countDocuments({ parent })).toBe(N - 1);
    expect(await models.device.countDocuments({ altParents: deviceIds[1] })).toBe(Math.floor((N - 1) / 2));
  });

  it('bulkWriteInChunks sums the counts of 250 updates and upserts', async () => {
    const ops = deviceIds.map((_id, i) => ({ updateOne: { filter: { _id }, update: { $set: { churnCount: i + 1 } } } }));
    const updated = await bulkWriteInChunks(models.device, ops);
    expect(updated).toMatchObject({ matched: N, modified: N, upserted: 0 });
    // Filtered by _id: an upsert filtered by another field scans the collection on this store.
    const upserts = Array.from({ length: N }, (_, i) => ({ updateOne: { filter: { _id: new Types.ObjectId() }, update: { $set: { router, name: `u-${i}`, deviceType: 'station', ipAddress: '10.9.0.1' } }, upsert: true } }));
    expect(await bulkWriteInChunks(models.device, upserts)).toMatchObject({ upserted: N });
    expect(await models.device.countDocuments({ router })).toBe(2 * N);
  });

  it('updateManyIn updates 250 ids in chunks (with the extra filter) and answers how many changed', async () => {
    setInListLimit(100); // three commands
    expect(await updateManyIn(models.device, '_id', deviceIds, { $set: { 'status.state': 'UP' } })).toBe(N);
    // Already up: nothing changes the second time.
    expect(await updateManyIn(models.device, '_id', deviceIds, { $set: { 'status.state': 'UP' } }, { 'status.state': { $ne: 'UP' } })).toBe(0);
    expect(await models.device.countDocuments({ 'status.state': 'UP' })).toBe(N);
    setInListLimit(DEFAULT_IN_LIST_LIMIT);
  });

  it('insertManyInChunks skips duplicates when asked, and rethrows them otherwise', async () => {
    const docs = Array.from({ length: N }, (_, i) => ({ name: `d-${i}`, deviceType: 'station', ipAddress: '10.2.0.1', router }));
    docs.push({ name: 'fresh', deviceType: 'station', ipAddress: '10.2.0.2', router });
    expect(await insertManyInChunks(models.device, docs, { ignoreDuplicates: true })).toEqual({ inserted: 1, duplicates: N });
    await expect(insertManyInChunks(models.device, docs.slice(0, 3))).rejects.toMatchObject({ code: 11000 });
  });
});
