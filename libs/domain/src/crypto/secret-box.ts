import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Before issue 15: no associated data, so a value copied to another record still decrypted. Read only. */
const UNBOUND = 'enc1';
/** AES-256-GCM with the record and field as associated data. What `encrypt` writes. */
const BOUND = 'enc2';

/** The fields that hold SecretBox values: each ciphertext is bound to one of them on one record. */
export type SecretField = 'router.apiPassword' | 'router.webhookToken' | 'subscriber.password';

/** A record id (ObjectId or its hex string). */
type RecordId = string | { toString(): string };

/**
 * AES-256-GCM for secrets at rest (router API passwords, webhook tokens, subscriber passwords).
 * Each ciphertext is bound to its field and record by GCM's associated data, so a value copied
 * onto another record (or into another field) fails to decrypt instead of handing the attacker
 * that record's credentials. The keyring holds several keys: the first encrypts, any decrypts by
 * its id, so keys can be rotated by adding a new one first and running `npm run secrets:rotate`,
 * which re-encrypts every value for which `needsRotation` is true.
 * Stored form: enc2:<kid>:<iv b64>:<tag b64>:<ciphertext b64>; enc1 values (no associated data,
 * written before the binding existed) still decrypt and always need rotation.
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  private readonly currentKid: string;

  constructor(keyring: string) {
    const entries = keyring.split(',').map((e) => e.trim()).filter(Boolean);
    if (!entries.length) throw new Error('SecretBox: empty keyring');
    entries.forEach((entry, i) => {
      const sep = entry.indexOf(':');
      const kid = sep > 0 ? entry.slice(0, sep) : '';
      const key = Buffer.from(sep > 0 ? entry.slice(sep + 1) : '', 'base64');
      // Names the entry by position and key id only: the message may reach a log.
      if (!/^[a-zA-Z0-9_-]+$/.test(kid) || key.length !== 32) throw new Error(`SecretBox: keyring entry ${i + 1} must be "kid:base64(32 bytes)"`);
      this.keys.set(kid, key);
    });
    this.currentKid = entries[0].slice(0, entries[0].indexOf(':'));
  }

  static generateKey(kid = `k${Date.now().toString(36)}`): string {
    return `${kid}:${randomBytes(32).toString('base64')}`;
  }

  static isEncrypted(value: string | undefined | null): boolean {
    return typeof value === 'string' && (value.startsWith(`${BOUND}:`) || value.startsWith(`${UNBOUND}:`));
  }

  encrypt(plain: string, field: SecretField, recordId: RecordId): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKid)!, iv);
    cipher.setAAD(associatedData(field, recordId));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [BOUND, this.currentKid, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ct.toString('base64')].join(':');
  }

  /** Throws when the value was not encrypted for this field of this record (or was altered). */
  decrypt(stored: string, field: SecretField, recordId: RecordId): string {
    const [format, kid, iv, tag, ct] = stored.split(':');
    if ((format !== BOUND && format !== UNBOUND) || !kid || !iv || !tag || ct === undefined) throw new Error('SecretBox: not an encrypted value');
    const key = this.keys.get(kid);
    if (!key) throw new Error(`SecretBox: unknown key id "${kid}"`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    if (format === BOUND) decipher.setAAD(associatedData(field, recordId));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`SecretBox: ${field} of ${String(recordId)} does not decrypt (altered, or encrypted for another record or field)`);
    }
  }

  /** True when the value should be re-encrypted: written without the record binding, or under a key other than the first. */
  needsRotation(stored: string): boolean {
    const [format, kid] = stored.split(':');
    return format !== BOUND || kid !== this.currentKid;
  }
}

function associatedData(field: SecretField, recordId: RecordId): Buffer {
  // ObjectId hex is case-insensitive in a URL but not in the associated data: one spelling.
  return Buffer.from(`isp-netops/${field}/${String(recordId).toLowerCase()}`, 'utf8');
}
