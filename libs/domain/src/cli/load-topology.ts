// Usage: node dist/libs/domain/src/cli/load-topology.js <file.yaml|file.json>
// Loads buildings, routers, devices, subscribers and contacts; re-running updates, never duplicates.
import mongoose from 'mongoose';
import { loadConfig } from '../config/load-config';
import { SecretBox } from '../crypto/secret-box';
import { ensureIndexes, modelsOn } from '../database/models';
import { loadTopology, readTopologyFile } from '../topology-file/topology-file.loader';
import { TopologyFileRepository } from '../topology-file/topology-file.repository';
import { CliEnv } from './cli-env';

async function main() {
  const path = process.argv[2];
  if (!path) throw new Error('usage: load-topology <file.yaml|file.json>');
  const env = loadConfig(CliEnv, process.env);
  if (!env.SECRETS_KEYS) throw new Error('SECRETS_KEYS is required: router and subscriber passwords are encrypted at rest');
  const file = readTopologyFile(path);
  const conn = await mongoose.createConnection(env.MONGO_URL).asPromise();
  try {
    const models = modelsOn(conn);
    await ensureIndexes(models);
    const summary = await loadTopology(file, new TopologyFileRepository(models), new SecretBox(env.SECRETS_KEYS));
    console.log(JSON.stringify(summary, null, 2));
  } finally {
    await conn.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
