import { createCipheriv, randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

/** What SecretBox wrote before ciphertexts were bound to their record (format enc1, no associated data). */
function legacyEncrypt(keyring: string, plain: string): string {
  const [kid, b64] = keyring.split(',')[0].split(':');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(b64, 'base64'), iv);
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['enc1', kid, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ct.toString('base64')].join(':');
}

describe('SecretBox binds each ciphertext to its record and field (issue 15, item 10; security)', () => {
  const key = SecretBox.generateKey('k1');
  const box = new SecretBox(key);
  const a = '65f000000000000000000001';
  const b = '65f000000000000000000002';

  it('a ciphertext moved to another record fails to decrypt', () => {
    const stored = box.encrypt('router-a-password', 'router.apiPassword', a);
    expect(box.decrypt(stored, 'router.apiPassword', a)).toBe('router-a-password');
    expect(() => box.decrypt(stored, 'router.apiPassword', b)).toThrow(/does not decrypt/);
  });

  it('a ciphertext moved to another field of the same record fails to decrypt', () => {
    const token = box.encrypt('rt_token', 'router.webhookToken', a);
    expect(() => box.decrypt(token, 'router.apiPassword', a)).toThrow(/does not decrypt/);
    expect(() => box.decrypt(box.encrypt('pw', 'subscriber.password', a), 'router.apiPassword', a)).toThrow(/does not decrypt/);
  });

  it('values written before the binding (enc1) still decrypt, and always need rotation', () => {
    const old = legacyEncrypt(key, 'legacy-pw');
    expect(SecretBox.isEncrypted(old)).toBe(true);
    expect(box.decrypt(old, 'subscriber.password', a)).toBe('legacy-pw');
    expect(box.needsRotation(old)).toBe(true);
    expect(box.needsRotation(box.encrypt('legacy-pw', 'subscriber.password', a))).toBe(false);
  });
});
