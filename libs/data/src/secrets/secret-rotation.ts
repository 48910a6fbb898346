import type { Model } from 'mongoose';
import { SecretBox, type SecretField } from '@isp/domain';
import type { Id } from '../database/common';
import type { DomainModels } from '../database/models';

/** Every field that holds a SecretBox value: the model and the stored field name. */
function secretFields(models: DomainModels): { field: SecretField; model: Model<never>; path: string }[] {
  return [
    { field: 'router.apiPassword', model: models.router as unknown as Model<never>, path: 'apiPassword' },
    { field: 'router.webhookToken', model: models.router as unknown as Model<never>, path: 'webhookTokenEncrypted' },
    { field: 'subscriber.password', model: models.subscriber as unknown as Model<never>, path: 'password' },
  ];
}

export interface RotationProgress {
  field: SecretField;
  /** Records read so far that hold a value in this field. */
  checked: number;
  /** Re-encrypted by this run (under the first key, bound to their record). */
  rotated: number;
  /** Already current: nothing to do. */
  current: number;
  /** Not a SecretBox value at all (plain text from before encryption): left alone, listed by provisioning when it needs them. */
  unencrypted: number;
  /** Changed by someone else between read and write: left alone (the writer used the current key). */
  skipped: number;
  /** Could not be decrypted (unknown key id, altered, or copied from another record): ids listed. */
  failed: string[];
  /** Last record id handled: the run is resumable from anywhere, this says how far it got. */
  lastId?: string;
}

/**
 * Checks every stored secret and re-encrypts each that `needsRotation` (an older key, or the unbound enc1 format) under
 * the keyring's first key, bound to its record and field. Idempotent, so an interrupted run is
 * resumed by running it again: current values are only read. Each write is a compare-and-set on
 * the old value, so a concurrent change through the API is never overwritten. Reports progress
 * after every batch.
 */
export async function rotateSecrets(
  models: DomainModels,
  box: SecretBox,
  opts: { batchSize?: number; onProgress?: (p: RotationProgress) => void } = {},
): Promise<RotationProgress[]> {
  const batchSize = opts.batchSize ?? 500;
  const results: RotationProgress[] = [];
  for (const { field, model, path } of secretFields(models)) {
    const p: RotationProgress = { field, checked: 0, rotated: 0, current: 0, unencrypted: 0, skipped: 0, failed: [] };
    let after: Id | undefined;
    for (;;) {
      const filter: Record<string, unknown> = { [path]: { $type: 'string' }, ...(after && { _id: { $gt: after } }) };
      const rows = (await model.collection.find(filter, { projection: { [path]: 1 } }).sort({ _id: 1 }).limit(batchSize).toArray()) as unknown as ({ _id: Id } & Record<string, string>)[];
      if (!rows.length) break;
      for (const row of rows) {
        const stored = row[path];
        p.checked++;
        if (!SecretBox.isEncrypted(stored)) {
          p.unencrypted++;
          continue;
        }
        // Every value is decrypted, current ones too: a run doubles as a check that each value
        // belongs to its record (one copied from another record is reported, not rotated).
        let clear: string;
        try {
          clear = box.decrypt(stored, field, row._id);
        } catch {
          p.failed.push(String(row._id));
          continue;
        }
        if (!box.needsRotation(stored)) {
          p.current++;
          continue;
        }
        const next = box.encrypt(clear, field, row._id);
        const res = await model.collection.updateOne({ _id: row._id, [path]: stored }, { $set: { [path]: next } });
        if (res.modifiedCount === 1) p.rotated++;
        else p.skipped++;
      }
      after = rows[rows.length - 1]._id;
      p.lastId = String(after);
      opts.onProgress?.({ ...p, failed: [...p.failed] });
    }
    results.push(p);
  }
  return results;
}
