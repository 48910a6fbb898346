import { SecretBox } from './secret-box';
import { hashSecret, issueWebhookToken, parseWebhookToken, tokenMatches } from './webhook-token';

describe('SecretBox', () => {
  const k1 = SecretBox.generateKey('k1');
  const k2 = SecretBox.generateKey('k2');

  it('round-trips and never stores the plain text', () => {
    const box = new SecretBox(k1);
    const enc = box.encrypt('p@ss "word"');
    expect(enc).not.toContain('p@ss');
    expect(SecretBox.isEncrypted(enc)).toBe(true);
    expect(box.decrypt(enc)).toBe('p@ss "word"');
  });

  it('uses a fresh IV each time', () => {
    const box = new SecretBox(k1);
    expect(box.encrypt('x')).not.toBe(box.encrypt('x'));
  });

  it('decrypts values of an older key after rotation and says they need re-encryption', () => {
    const old = new SecretBox(k1).encrypt('secret');
    const rotated = new SecretBox(`${k2},${k1}`);
    expect(rotated.decrypt(old)).toBe('secret');
    expect(rotated.needsRotation(old)).toBe(true);
    expect(rotated.needsRotation(rotated.encrypt('secret'))).toBe(false);
  });

  it('rejects tampered ciphertext and unknown keys', () => {
    const box = new SecretBox(k1);
    const parts = box.encrypt('secret').split(':');
    parts[4] = Buffer.from('tampered').toString('base64');
    expect(() => box.decrypt(parts.join(':'))).toThrow();
    expect(() => new SecretBox(k2).decrypt(box.encrypt('x'))).toThrow(/unknown key id "k1"/);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => new SecretBox('k:' + Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
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
