import type { Collection, Document, ObjectId } from 'mongodb';
import { SecretBox, SyncStatus, type SecretField } from '@isp/domain';

export interface LegacySecretCollections {
  routers: Collection<Document>;
  users: Collection<Document>;
}

export interface LegacySecretProgress {
  field: SecretField;
  /** records read so far that hold a value in this field */
  checked: number;
  /** plaintext values encrypted by this run (dry run: that would be) */
  encrypted: number;
  /** already SecretBox values: left alone */
  alreadyEncrypted: number;
  /** changed by someone else between read and write: left alone (the writer encrypts) */
  skipped: number;
  /** last record id handled (the run is resumable: a second run finishes it) */
  lastId?: string;
}

export interface LegacySecretsReport {
  dryRun: boolean;
  fields: LegacySecretProgress[];
  /** old-system subscribers given the sync bookkeeping they lacked (desiredVersion...) */
  subscribersGivenVersions: number;
}

const FIELDS: { field: SecretField; coll: keyof LegacySecretCollections; path: string }[] = [
  { field: 'router.apiPassword', coll: 'routers', path: 'apiPassword' },
  { field: 'subscriber.password', coll: 'users', path: 'password' },
];

/**
 * The old system stored router API passwords and subscriber passwords in plain text; this system
 * refuses to use them (PASSWORD_PLAIN), so a subscriber's suspension would never reach the router.
 * Encrypts each one in place, bound to its record and field. A dry run counts and writes nothing;
 * values already encrypted are only counted, so a second run changes nothing; each write is a
 * compare-and-set on the plaintext, so a value changed meanwhile through the API is never
 * overwritten. Values are never returned or logged, only counted.
 */
export async function encryptLegacySecrets(
  c: LegacySecretCollections,
  box: SecretBox | undefined,
  opts: { dryRun: boolean; batchSize?: number; onProgress?: (p: LegacySecretProgress) => void },
): Promise<LegacySecretsReport> {
  const batchSize = opts.batchSize ?? 500;
  const report: LegacySecretsReport = { dryRun: opts.dryRun, fields: [], subscribersGivenVersions: 0 };
  for (const { field, coll, path } of FIELDS) {
    const p: LegacySecretProgress = { field, checked: 0, encrypted: 0, alreadyEncrypted: 0, skipped: 0 };
    let after: ObjectId | undefined;
    for (;;) {
      const filter: Document = { [path]: { $type: 'string', $ne: '' }, ...(after && { _id: { $gt: after } }) };
      const rows = await c[coll].find(filter, { projection: { [path]: 1 } }).sort({ _id: 1 }).limit(batchSize).toArray();
      if (!rows.length) break;
      for (const row of rows) {
        const stored = row[path] as string;
        p.checked++;
        if (SecretBox.isEncrypted(stored)) {
          p.alreadyEncrypted++;
          continue;
        }
        if (opts.dryRun) {
          p.encrypted++;
          continue;
        }
        if (!box) throw new Error(`SECRETS_KEYS is required to encrypt the plaintext ${field} values (run with --dry-run to count them)`);
        const res = await c[coll].updateOne({ _id: row._id, [path]: stored }, { $set: { [path]: box.encrypt(stored, field, row._id) } });
        if (res.modifiedCount === 1) p.encrypted++;
        else p.skipped++;
      }
      after = rows[rows.length - 1]._id as ObjectId;
      p.lastId = String(after);
      opts.onProgress?.({ ...p });
    }
    report.fields.push(p);
  }
  // Old-system subscribers have no sync bookkeeping: a pass could not record them as applied.
  const unversioned = { desiredVersion: { $exists: false } };
  report.subscribersGivenVersions = opts.dryRun
    ? await c.users.countDocuments(unversioned)
    : (await c.users.updateMany(unversioned, { $set: { desiredVersion: 1, appliedVersion: 0, syncStatus: SyncStatus.PENDING } })).modifiedCount;
  return report;
}

export function formatLegacySecretsLine(p: LegacySecretProgress, dryRun: boolean): string {
  return `${p.field}: ${p.checked} checked, ${p.encrypted} ${dryRun ? 'to encrypt' : 'encrypted'}, ${p.alreadyEncrypted} already encrypted, ${p.skipped} changed meanwhile` + (p.lastId ? ` (up to ${p.lastId})` : '');
}
