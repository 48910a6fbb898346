import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import mongoose, { type Connection, Types } from 'mongoose';
import { encryptLegacySecrets, migrateLegacyLocations, type MigrationCollections } from '@isp/data';
import { SecretBox } from '@isp/domain';
import { testMongoUrl } from '../../../test/support';

/** Data shaped like the old system's: free-text locations with status suffixes and variants. */
async function seedLegacy(conn: Connection) {
  const id = () => new Types.ObjectId();
  const r1 = id(), r2 = id(), r3 = id();
  const sA = id(), sB = id(), sOrphan = id(), apA = id();
  await conn.collection('mikrotikrouters').insertMany([
    { _id: r1, name: 'core-tower-a', host: '10.0.0.1', location: 'Tower A (Offline)' },
    { _id: r2, name: 'core-hill', host: '10.0.1.1', location: '  hilltop   site (Online) (Offline)' },
    { _id: r3, name: 'core-nowhere', host: '10.0.2.1', location: '' },
  ]);
  await conn.collection('devices').insertMany([
    { _id: apA, name: 'sector-a1', router: r1, location: 'tower a' },
    { _id: sA, name: 'station-a1', router: r1, location: 'TOWER A (Online)' },
    { _id: sB, name: 'station-h1', router: r2, location: 'Hilltop Site' },
    { _id: id(), name: 'station-inherits', router: r1 },
    { _id: sOrphan, name: 'station-orphan', router: r3, location: '(Offline)' },
  ]);
  await conn.collection('mikrotikusers').insertMany([
    { _id: id(), username: 'alice', router: r1, station: sA },
    { _id: id(), username: 'bob', router: r2, station: sB, location: 'Hilltop Site (Offline)' },
    { _id: id(), username: 'carol', router: r3, station: sOrphan },
  ]);
  return { r1, r2, r3, sA, sB, sOrphan };
}

describe('legacy migration: location strings to Buildings', () => {
  let conn: Connection;
  let c: MigrationCollections;

  beforeEach(async () => {
    conn = await mongoose.createConnection(testMongoUrl('legacy-migration')).asPromise();
    c = { buildings: conn.collection('buildings'), routers: conn.collection('mikrotikrouters'), devices: conn.collection('devices'), users: conn.collection('mikrotikusers') } as never;
  });
  afterEach(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  it('dry run prints the plan and writes nothing', async () => {
    await seedLegacy(conn);
    const before = await conn.collection('mikrotikrouters').find().toArray();
    const report = await migrateLegacyLocations(c, { dryRun: true });
    expect(report.buildingsToCreate.map((b) => b.name).sort()).toEqual(['Tower A', 'hilltop site'].sort());
    expect(report.routersMapped).toBe(2);
    expect(await conn.collection('buildings').countDocuments()).toBe(0);
    expect(await conn.collection('mikrotikrouters').find().toArray()).toEqual(before);
  });

  it('creates one building per place, sets references, drops location, keeps every record and reports the rest', async () => {
    const ids = await seedLegacy(conn);
    const report = await migrateLegacyLocations(c, { dryRun: false });

    const buildings = await conn.collection('buildings').find().toArray();
    expect(buildings.map((b) => b.name).sort()).toEqual(['Tower A', 'hilltop site'].sort());
    const towerA = buildings.find((b) => b.name === 'Tower A')!;
    const hill = buildings.find((b) => b.name === 'hilltop site')!;

    const r1 = await conn.collection('mikrotikrouters').findOne({ _id: ids.r1 });
    expect(r1!.building).toEqual(towerA._id);
    expect(r1).not.toHaveProperty('location');
    expect((await conn.collection('mikrotikrouters').findOne({ _id: ids.r2 }))!.building).toEqual(hill._id);

    // the device without a location inherits its router's building
    const inherits = await conn.collection('devices').findOne({ name: 'station-inherits' });
    expect(inherits!.building).toEqual(towerA._id);

    // subscribers take their station's building
    expect((await conn.collection('mikrotikusers').findOne({ username: 'alice' }))!.building).toEqual(towerA._id);
    const bob = await conn.collection('mikrotikusers').findOne({ username: 'bob' });
    expect(bob!.building).toEqual(hill._id);
    expect(bob).not.toHaveProperty('location');

    // nothing deleted; what could not be mapped is reported and keeps its location
    expect(await conn.collection('mikrotikrouters').countDocuments()).toBe(3);
    expect(await conn.collection('devices').countDocuments()).toBe(5);
    expect(await conn.collection('mikrotikusers').countDocuments()).toBe(3);
    expect(report.unmapped.map((u) => `${u.collection}:${u.name}`).sort()).toEqual(['devices:station-orphan', 'mikrotikrouters:core-nowhere', 'mikrotikusers:carol']);
    expect((await conn.collection('devices').findOne({ _id: ids.sOrphan }))!.location).toBe('(Offline)');
  });

  it('a second run changes nothing', async () => {
    await seedLegacy(conn);
    await migrateLegacyLocations(c, { dryRun: false });
    const snapshot = async () => ({
      b: await conn.collection('buildings').find().sort({ _id: 1 }).toArray(),
      r: await conn.collection('mikrotikrouters').find().sort({ _id: 1 }).toArray(),
      d: await conn.collection('devices').find().sort({ _id: 1 }).toArray(),
      u: await conn.collection('mikrotikusers').find().sort({ _id: 1 }).toArray(),
    });
    const first = await snapshot();
    const report = await migrateLegacyLocations(c, { dryRun: false });
    expect(report.buildingsToCreate).toEqual([]);
    expect(report.routersMapped + report.devicesMapped + report.subscribersMapped).toBe(0);
    expect(await snapshot()).toEqual(first);
  });

  it('reuses a building that already exists with another spelling', async () => {
    await conn.collection('buildings').insertOne({ name: 'TOWER A', nameKey: 'tower a', code: 'TWA' });
    await seedLegacy(conn);
    const report = await migrateLegacyLocations(c, { dryRun: false });
    expect(report.buildingsReused).toEqual(['tower a']);
    expect(await conn.collection('buildings').countDocuments()).toBe(2);
  });

  it('encrypts plaintext router and subscriber passwords in place, bound to their record, with progress; encrypted ones left alone', async () => {
    const ids = await seedLegacy(conn);
    await conn.collection('mikrotikrouters').updateOne({ _id: ids.r2 }, { $set: { apiPassword: 'r2-plain' } });
    const box = new SecretBox(SecretBox.generateKey('m1'));
    const already = box.encrypt('r3-pw', 'router.apiPassword', ids.r3);
    await conn.collection('mikrotikrouters').updateOne({ _id: ids.r3 }, { $set: { apiPassword: already } });
    const secrets = { routers: c.routers, users: c.users };
    const progress: number[] = [];
    const report = await encryptLegacySecrets(secrets, box, { dryRun: false, batchSize: 1, onProgress: (p) => progress.push(p.checked) });
    expect(report.fields.find((f) => f.field === 'router.apiPassword')).toMatchObject({ checked: 2, encrypted: 1, alreadyEncrypted: 1 });
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const r2 = await conn.collection('mikrotikrouters').findOne({ _id: ids.r2 });
    expect(box.decrypt(r2!.apiPassword, 'router.apiPassword', ids.r2)).toBe('r2-plain');
    expect((await conn.collection('mikrotikrouters').findOne({ _id: ids.r3 }))!.apiPassword).toBe(already);
    // old-system subscribers get the sync bookkeeping they lacked
    expect(report.subscribersGivenVersions).toBe(3);
    expect(await conn.collection('mikrotikusers').findOne({ username: 'alice' })).toMatchObject({ desiredVersion: 1, appliedVersion: 0, syncStatus: 'pending' });
    // without the keyring nothing can be encrypted: it says so instead of writing plaintext on
    await conn.collection('mikrotikusers').updateOne({ username: 'bob' }, { $set: { password: 'bob-plain' } });
    await expect(encryptLegacySecrets(secrets, undefined, { dryRun: false })).rejects.toThrow(/SECRETS_KEYS is required/);
  });

  it('the CLI (built) applies it, and a dry run before writes nothing', async () => {
    const url = testMongoUrl('legacy-migration-cli');
    const own = await mongoose.createConnection(url).asPromise();
    try {
      const ids = await seedLegacy(own);
      await own.collection('mikrotikrouters').updateOne({ _id: ids.r1 }, { $set: { apiPassword: 'router-plain' } });
      await own.collection('mikrotikusers').updateOne({ username: 'alice' }, { $set: { password: 'alice-plain' } });
      const keys = SecretBox.generateKey('m1');
      const cli = (...args: string[]) =>
        spawnSync(process.execPath, [join(__dirname, '../../../dist/libs/platform/src/cli/migrate-legacy.js'), ...args], {
          env: { PATH: process.env.PATH ?? '', MONGO_URL: url, SECRETS_KEYS: keys },
          encoding: 'utf8',
          timeout: 60000,
        });
      const dry = cli('--dry-run');
      expect(dry.stderr).toBe('');
      expect(dry.status).toBe(0);
      expect(await own.collection('buildings').countDocuments()).toBe(0);
      expect(dry.stdout).toMatch(/router\.apiPassword: 1 checked, 1 to encrypt/);
      expect(dry.stdout).toMatch(/subscriber\.password: 1 checked, 1 to encrypt/);
      expect((await own.collection('mikrotikrouters').findOne({ _id: ids.r1 }))!.apiPassword).toBe('router-plain');
      expect(dry.stdout).toMatch(/Routers without a role to set to core: 3/);
      await own.collection('mikrotikrouters').updateOne({ _id: ids.r3 }, { $set: { role: 'edge' } });
      expect(cli('--default-role=spine').status).toBe(1);
      const applied = cli();
      expect(applied.stderr).toBe('');
      expect(applied.status).toBe(0);
      expect(applied.stdout.match(/^\w+: \d+\/\d+ \(\d+%\)$/gm)).toEqual(['routers: 3/3 (100%)', 'devices: 5/5 (100%)', 'subscribers: 3/3 (100%)']);
      expect(await own.collection('buildings').countDocuments()).toBe(2);
      expect(`${dry.stdout}${applied.stdout}`).not.toMatch(/router-plain|alice-plain/);
      const box = new SecretBox(keys);
      expect(box.decrypt((await own.collection('mikrotikrouters').findOne({ _id: ids.r1 }))!.apiPassword, 'router.apiPassword', ids.r1)).toBe('router-plain');
      // Routers of the old system get a role (core unless told otherwise); one that has its role keeps it.
      expect(applied.stdout).toMatch(/Routers without a role set to core: 2/);
      const roles = Object.fromEntries((await own.collection('mikrotikrouters').find().toArray()).map((r) => [r.name, r.role]));
      expect(roles).toEqual({ 'core-tower-a': 'core', 'core-hill': 'core', 'core-nowhere': 'edge' });
      const again = cli();
      expect(again.stdout).toMatch(/router\.apiPassword: 1 checked, 0 encrypted, 1 already encrypted/);
      expect(again.stdout).toMatch(/Routers without a role set to core: 0/);
    } finally {
      await own.dropDatabase();
      await own.close();
    }
  });
});
