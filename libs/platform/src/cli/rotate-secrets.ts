// Usage: npm run secrets:rotate   (SECRETS_KEYS and MONGO_URL in the environment, as for the apps)
// Re-encrypts every router API password, webhook token and subscriber password that is not yet
// under the keyring's first key or not yet bound to its record (values written before issue 15).
// Safe while the apps run; resumable: an interrupted run is finished by running it again.
// Exit 0 when nothing is left to rotate, 1 when some value could not be decrypted (ids printed).
import 'reflect-metadata';
import mongoose from 'mongoose';
import { SecretBox } from '@isp/domain';
import { modelsOn, rotateSecrets, type RotationProgress } from '@isp/data';
import { loadConfig } from '../config/load-config';
import { CliEnv } from './cli-env';

const line = (p: RotationProgress) =>
  `${p.field}: ${p.checked} checked, ${p.rotated} re-encrypted, ${p.current} already current, ${p.unencrypted} not encrypted, ${p.skipped} changed meanwhile, ${p.failed.length} failed` +
  (p.lastId ? ` (up to ${p.lastId})` : '');

async function main(): Promise<number> {
  const env = loadConfig(CliEnv, process.env);
  if (!env.SECRETS_KEYS) throw new Error('SECRETS_KEYS is required: the first key encrypts, every key listed decrypts');
  const box = new SecretBox(env.SECRETS_KEYS);
  const conn = await mongoose.createConnection(env.MONGO_URL).asPromise();
  try {
    const results = await rotateSecrets(modelsOn(conn), box, { onProgress: (p) => console.log(line(p)) });
    console.log('done:');
    for (const p of results) console.log(`  ${line(p)}`);
    const failed = results.flatMap((p) => p.failed.map((id) => `${p.field} of ${id}`));
    if (failed.length) {
      console.error(`could not decrypt ${failed.length} value(s) (key missing from SECRETS_KEYS, altered, or copied from another record):\n  ${failed.join('\n  ')}`);
      return 1;
    }
    console.log('every secret is under the first key and bound to its record: older keys can leave SECRETS_KEYS');
    return 0;
  } finally {
    await conn.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
