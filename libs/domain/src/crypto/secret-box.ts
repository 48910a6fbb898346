import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const FORMAT = 'enc1';

/**
 * AES-256-GCM for secrets at rest (router API passwords, subscriber passwords). The keyring
 * holds several keys: the first encrypts, any decrypts by its id, so keys can be rotated by
 * adding a new one first and re-encrypting (see `needsRotation`).
 * Stored form: enc1:<kid>:<iv b64>:<tag b64>:<ciphertext b64>.
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  private readonly currentKid: string;

  constructor(keyring: string) {
    const entries = keyring.split(',').map((e) => e.trim()).filter(Boolean);
    if (!entries.length) throw new Error('SecretBox: empty keyring');
    for (const entry of entries) {
      const [kid, b64] = entry.split(':');
      const key = Buffer.from(b64 ?? '', 'base64');
      if (!kid || key.length !== 32) throw new Error(`SecretBox: key "${kid}" must be 32 bytes of base64`);
      this.keys.set(kid, key);
    }
    this.currentKid = entries[0].split(':')[0];
  }

  static generateKey(kid = `k${Date.now().toString(36)}`): string {
    return `${kid}:${randomBytes(32).toString('base64')}`;
  }

  static isEncrypted(value: string | undefined | null): boolean {
    return typeof value === 'string' && value.startsWith(`${FORMAT}:`);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKid)!, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [FORMAT, this.currentKid, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ct.toString('base64')].join(':');
  }

  decrypt(stored: string): string {
    const [format, kid, iv, tag, ct] = stored.split(':');
    if (format !== FORMAT || !kid || !iv || !tag || ct === undefined) throw new Error('SecretBox: not an encrypted value');
    const key = this.keys.get(kid);
    if (!key) throw new Error(`SecretBox: unknown key id "${kid}"`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
  }

  /** True when the value was encrypted with a key other than the current one. */
  needsRotation(stored: string): boolean {
    return stored.split(':')[1] !== this.currentKid;
  }
}
