// Usage: node dist/libs/platform/src/cli/migrate-legacy.js [--dry-run]
// From free-text `location` to Buildings and references (see migration/legacy-migration.ts).
import 'reflect-metadata';
import mongoose from 'mongoose';
import { loadConfig } from '../config/load-config';
import { modelsOn } from '@isp/data';
import { formatMigrationReport, formatProgress, migrateLegacyLocations } from '@isp/data';
import { mongoOptions } from '../config/mongo-options';
import { CliEnv } from './cli-env';

async function main() {
  const dryRun = process.argv.includes('--dry-run');
  const env = loadConfig(CliEnv, process.env);
  const conn = await mongoose.createConnection(env.MONGO_URL, mongoOptions(env)).asPromise();
  try {
    const models = modelsOn(conn);
    if (!dryRun) await models.building.createIndexes();
    const report = await migrateLegacyLocations(
      { buildings: conn.collection('buildings'), routers: conn.collection('mikrotikrouters'), devices: conn.collection('devices'), users: conn.collection('mikrotikusers') } as never,
      { dryRun, onProgress: (p) => console.log(formatProgress(p)) },
    );
    console.log(formatMigrationReport(report));
  } finally {
    await conn.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
