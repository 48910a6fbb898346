import { spawnSync } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import mongoose, { Types, type Connection } from 'mongoose';
import { SecretBox } from '@isp/domain';
import { ensureIndexes, modelsOn, rotateSecrets, type DomainModels, type RotationProgress } from '@isp/data';
import { testMongoUrl } from '../../../test/support';

/** What SecretBox wrote before ciphertexts were bound to their record (enc1, no associated data). */
function legacyEncrypt(keyring: string, plain: string): string {
  const [kid, b64] = keyring.split(':');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(b64, 'base64'), iv);
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['enc1', kid, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ct.toString('base64')].join(':');
}

/** Issue 15, item 10: secrets bound to their record, and `npm run secrets:rotate` moving old data over. */
describe('secrets at rest: record binding and rotation (security)', () => {
  const oldKey = SecretBox.generateKey('old');
  const newKey = SecretBox.generateKey('new');
  let conn: Connection;
  let models: DomainModels;
  let mongoUrl: string;
  const plain = new Map<string, string>(); // "<field>/<id>" -> clear text

  async function seed(mongoName: string, routers: number, subscribers: number): Promise<void> {
    mongoUrl = testMongoUrl(mongoName);
    conn = await mongoose.createConnection(mongoUrl).asPromise();
    models = modelsOn(conn);
    await ensureIndexes(models);
    const oldBox = new SecretBox(oldKey);
    for (let i = 0; i < routers; i++) {
      const _id = new Types.ObjectId();
      const [pw, token] = [`router-pw-${i}`, `rt_token_${i}`];
      // Half written before the binding (enc1), half under the old key but bound.
      const apiPassword = i % 2 ? legacyEncrypt(oldKey, pw) : oldBox.encrypt(pw, 'router.apiPassword', _id);
      await models.router.create({ _id, name: `rot-${mongoName}-${i}`, host: '10.0.0.1', apiUser: 'api', apiPassword, webhookTokenEncrypted: legacyEncrypt(oldKey, token) });
      plain.set(`router.apiPassword/${_id}`, pw).set(`router.webhookToken/${_id}`, token);
    }
    const router = (await models.router.findOne().lean())!._id;
    for (let i = 0; i < subscribers; i++) {
      const _id = new Types.ObjectId();
      await models.subscriber.create({ _id, username: `sub-${i}`, router, password: legacyEncrypt(oldKey, `sub-pw-${i}`) });
      plain.set(`subscriber.password/${_id}`, `sub-pw-${i}`);
    }
  }

  /** Every stored secret: field, record id, stored value. */
  async function stored(): Promise<[string, Types.ObjectId, string][]> {
    const routers = await models.router.find({}, { apiPassword: 1, webhookTokenEncrypted: 1 }).lean();
    const subs = await models.subscriber.find({}, { password: 1 }).lean();
    return [
      ...routers.flatMap((r) => [['router.apiPassword', r._id, r.apiPassword] as [string, Types.ObjectId, string], ['router.webhookToken', r._id, r.webhookTokenEncrypted!] as [string, Types.ObjectId, string]]),
      ...subs.map((s) => ['subscriber.password', s._id, s.password!] as [string, Types.ObjectId, string]),
    ];
  }

  afterEach(async () => {
    await conn?.dropDatabase();
    await conn?.close();
  });

  it('rotation re-encrypts every secret under the first key, bound to its record; a ciphertext moved to another record then fails to decrypt', async () => {
    await seed('secret-rotation-all', 4, 5);
    const box = new SecretBox(`${newKey},${oldKey}`);
    const results = await rotateSecrets(models, box);
    expect(results.map((p) => [p.field, p.rotated, p.failed.length])).toEqual([
      ['router.apiPassword', 4, 0],
      ['router.webhookToken', 4, 0],
      ['subscriber.password', 5, 0],
    ]);
    const all = await stored();
    expect(all).toHaveLength(13);
    for (const [field, id, value] of all) {
      expect(value.startsWith('enc2:new:')).toBe(true);
      expect(box.needsRotation(value)).toBe(false);
      expect(box.decrypt(value, field as 'router.apiPassword', id)).toBe(plain.get(`${field}/${id}`));
    }
    // Copy router A's password onto router B (what someone with write access to one field might do).
    const [[, a, aPassword], , [, b]] = all;
    expect(String(a)).not.toBe(String(b));
    await models.router.updateOne({ _id: b }, { $set: { apiPassword: aPassword } });
    const moved = (await models.router.findById(b).lean())!.apiPassword;
    expect(() => box.decrypt(moved, 'router.apiPassword', b)).toThrow(/does not decrypt/);
    // ...and the same value moved into another field of its own record.
    expect(() => box.decrypt(aPassword, 'router.webhookToken', a)).toThrow(/does not decrypt/);
    // A second run has nothing to rotate, and reports the moved value (it checks every value).
    const again = await rotateSecrets(models, box);
    expect(again.map((p) => [p.field, p.rotated, p.failed])).toEqual([
      ['router.apiPassword', 0, [String(b)]],
      ['router.webhookToken', 0, []],
      ['subscriber.password', 0, []],
    ]);
  });

  it('is resumable: an interrupted run is finished by the next, with progress after each batch and nothing done twice', async () => {
    await seed('secret-rotation-resume', 3, 7);
    const box = new SecretBox(`${newKey},${oldKey}`);
    const seen: RotationProgress[] = [];
    // Interrupted after the subscribers' second batch (batches of 2).
    await expect(
      rotateSecrets(models, box, {
        batchSize: 2,
        onProgress: (p) => {
          seen.push(p);
          if (p.field === 'subscriber.password' && p.checked === 4) throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow('interrupted');
    expect(seen.map((p) => `${p.field}:${p.checked}`)).toEqual([
      'router.apiPassword:2',
      'router.apiPassword:3',
      'router.webhookToken:2',
      'router.webhookToken:3',
      'subscriber.password:2',
      'subscriber.password:4',
    ]);
    const pending = (await stored()).filter(([, , v]) => box.needsRotation(v));
    expect(pending.map(([f]) => f)).toEqual(['subscriber.password', 'subscriber.password', 'subscriber.password']);

    const resumed = await rotateSecrets(models, box, { batchSize: 2 });
    expect(resumed.map((p) => [p.field, p.rotated, p.current])).toEqual([
      ['router.apiPassword', 0, 3],
      ['router.webhookToken', 0, 3],
      ['subscriber.password', 3, 4],
    ]);
    for (const [field, id, value] of await stored()) expect(box.decrypt(value, field as 'subscriber.password', id)).toBe(plain.get(`${field}/${id}`));
  });

  it('`npm run secrets:rotate` (the built CLI) prints progress and exits 0 when everything is current', async () => {
    await seed('secret-rotation-cli', 2, 2);
    const env = { PATH: process.env.PATH ?? '', MONGO_URL: mongoUrl, SECRETS_KEYS: `${newKey},${oldKey}` };
    const r = spawnSync(process.execPath, [join(__dirname, '../../../dist/libs/platform/src/cli/rotate-secrets.js')], { env, encoding: 'utf8', timeout: 60000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('router.apiPassword: 2 checked, 2 re-encrypted');
    expect(r.stdout).toContain('subscriber.password: 2 checked, 2 re-encrypted');
    expect(r.stdout).not.toContain('router-pw-');
    expect((await stored()).every(([, , v]) => v.startsWith('enc2:new:'))).toBe(true);
  });
});
