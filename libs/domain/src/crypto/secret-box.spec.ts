import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';
import { hashSecret, issueWebhookToken, parseWebhookToken, tokenMatches } from './webhook-token';

describe('SecretBox', () => {
  const k1 = SecretBox.generateKey('k1');
  const k2 = SecretBox.generateKey('k2');

  it('round-trips and never stores the plain text', () => {
    const box = new SecretBox(k1);
    const enc = box.encrypt('p@ss "word"', 'router.apiPassword', 'r1');
    expect(enc).not.toContain('p@ss');
    expect(SecretBox.isEncrypted(enc)).toBe(true);
    expect(box.decrypt(enc, 'router.apiPassword', 'r1')).toBe('p@ss "word"');
  });

  it('uses a fresh IV each time', () => {
    const box = new SecretBox(k1);
    expect(box.encrypt('x', 'router.apiPassword', 'r1')).not.toBe(box.encrypt('x', 'router.apiPassword', 'r1'));
  });

  it('decrypts values of an older key after rotation and says they need re-encryption', () => {
    const old = new SecretBox(k1).encrypt('secret', 'subscriber.password', 's1');
    const rotated = new SecretBox(`${k2},${k1}`);
    expect(rotated.decrypt(old, 'subscriber.password', 's1')).toBe('secret');
    expect(rotated.needsRotation(old)).toBe(true);
    expect(rotated.needsRotation(rotated.encrypt('secret', 'subscriber.password', 's1'))).toBe(false);
  });

  it('rejects tampered ciphertext and unknown keys', () => {
    const box = new SecretBox(k1);
    const parts = box.encrypt('secret', 'router.apiPassword', 'r1').split(':');
    parts[4] = Buffer.from('tampered').toString('base64');
    expect(() => box.decrypt(parts.join(':'), 'router.apiPassword', 'r1')).toThrow(/does not decrypt/);
    expect(() => new SecretBox(k2).decrypt(box.encrypt('x', 'router.apiPassword', 'r1'), 'router.apiPassword', 'r1')).toThrow(/unknown key id "k1"/);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => new SecretBox('k:' + Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
    // A key pasted without its id is named by position, never echoed.
    const bare = randomBytes(32).toString('base64');
    expect(() => new SecretBox(bare)).toThrow(/^SecretBox: keyring entry 1 must be/);
    expect(() => new SecretBox(bare)).not.toThrow(bare);
  });
});

describe('webhook tokens', () => {
  it('issues a token whose secret matches only its stored hash', () => {
    const routerId = 'a'.repeat(24);
    const { token, hash } = issueWebhookToken(routerId);
    const parsed = parseWebhookToken(token)!;
    expect(parsed.routerId).toBe(routerId);
    expect(hash).toBe(hashSecret(parsed.secret));
    expect(hash).not.toContain(parsed.secret);
    expect(tokenMatches(parsed.secret, hash)).toBe(true);
    expect(tokenMatches(parsed.secret.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), hash)).toBe(false);
    expect(tokenMatches(parsed.secret, undefined)).toBe(false);
  });

  it('rejects malformed tokens', () => {
    expect(parseWebhookToken('')).toBeNull();
    expect(parseWebhookToken('rt_nothex_x')).toBeNull();
    expect(parseWebhookToken(`rt_${'a'.repeat(24)}_short`)).toBeNull();
  });
});
