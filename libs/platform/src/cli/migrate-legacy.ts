// Usage: node dist/libs/platform/src/cli/migrate-legacy.js [--dry-run] [--default-role=core|edge]
// The cutover from the old system's data: free-text `location` to Buildings and references
// (migration/legacy-migration.ts), and plaintext router/subscriber passwords encrypted in place
// (migration/legacy-secrets.ts; SECRETS_KEYS as for the apps). Run with --dry-run first; a second
// run changes nothing. Routers found here stay "pending adoption" until an operator approves
// their first pass (POST /api/v1/routers/:id/adopt, README "Cutover").
import 'reflect-metadata';
import mongoose from 'mongoose';
import { ROUTER_ROLES, SecretBox, type RouterRole } from '@isp/domain';
import { loadConfig } from '../config/load-config';
import { modelsOn } from '@isp/data';
import { assignLegacyRoles, encryptLegacySecrets, formatLegacySecretsLine, formatMigrationReport, formatProgress, migrateLegacyLocations } from '@isp/data';
import { mongoOptions } from '../config/mongo-options';
import { CliEnv } from './cli-env';

async function main() {
  const dryRun = process.argv.includes('--dry-run');
  const roleArg = process.argv.find((a) => a.startsWith('--default-role='))?.split('=')[1] ?? 'core';
  if (!ROUTER_ROLES.includes(roleArg as RouterRole)) throw new Error(`--default-role must be one of ${ROUTER_ROLES.join(', ')} (got "${roleArg}")`);
  const env = loadConfig(CliEnv, process.env);
  const conn = await mongoose.createConnection(env.MONGO_URL, mongoOptions(env)).asPromise();
  try {
    const models = modelsOn(conn);
    if (!dryRun) await models.building.createIndexes();
    const routers = conn.collection('mikrotikrouters');
    const users = conn.collection('mikrotikusers');
    const report = await migrateLegacyLocations(
      { buildings: conn.collection('buildings'), routers, devices: conn.collection('devices'), users } as never,
      { dryRun, onProgress: (p) => console.log(formatProgress(p)) },
    );
    console.log(formatMigrationReport(report));
    const roles = await assignLegacyRoles(routers, roleArg as RouterRole, { dryRun });
    console.log(`Routers without a role ${dryRun ? 'to set to' : 'set to'} ${roleArg}: ${roles}`);
    const box = env.SECRETS_KEYS ? new SecretBox(env.SECRETS_KEYS) : undefined;
    const secrets = await encryptLegacySecrets({ routers, users } as never, box, { dryRun, onProgress: (p) => console.log(`  ... ${formatLegacySecretsLine(p, dryRun)}`) });
    console.log('Plaintext secrets:');
    for (const p of secrets.fields) console.log(`  ${formatLegacySecretsLine(p, dryRun)}`);
    console.log(`Subscribers ${dryRun ? 'to give' : 'given'} sync versions: ${secrets.subscribersGivenVersions}`);
  } finally {
    await conn.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
