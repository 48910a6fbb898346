// Usage: node dist/libs/platform/src/cli/load-topology.js <file.yaml|file.json>
// Loads buildings, routers, devices, subscribers and contacts; re-running updates, never duplicates.
// With REDIS_URL (and QUEUE_PREFIX) set it also queues a router pass for every router in the file.
import 'reflect-metadata';
import mongoose from 'mongoose';
import { loadConfig } from '../config/load-config';
import { queueOnUrl } from '../jobs/queues-on-url';
import { JOB_QUEUE, JobName } from '@isp/domain';
import { jobOptions } from '../jobs/job-options';
import { SecretBox } from '@isp/domain';
import { ensureIndexes, modelsOn } from '@isp/data';
import { formatProgress, loadTopology, readTopologyFile } from '@isp/data';
import { TopologyFileRepository } from '@isp/data';
import { mongoOptions } from '../config/mongo-options';
import { CliEnv } from './cli-env';

/** The same syncRouter job the API queues after an edit (deduplicated per router). */
async function queueRouterPasses(redisUrl: string, prefix: string, routerIds: string[]): Promise<void> {
  const queue = queueOnUrl(redisUrl, JOB_QUEUE[JobName.SYNC_ROUTER], prefix);
  try {
    const name = JobName.SYNC_ROUTER;
    await queue.addBulk(routerIds.map((routerId) => ({ name, data: { routerId }, opts: jobOptions(name, { routerId }) })));
  } finally {
    await queue.close();
  }
}

async function main() {
  const path = process.argv[2];
  if (!path) throw new Error('usage: load-topology <file.yaml|file.json>');
  const env = loadConfig(CliEnv, process.env);
  if (!env.SECRETS_KEYS) throw new Error('SECRETS_KEYS is required: router and subscriber passwords are encrypted at rest');
  const file = readTopologyFile(path);
  const conn = await mongoose.createConnection(env.MONGO_URL, mongoOptions(env)).asPromise();
  try {
    const models = modelsOn(conn);
    await ensureIndexes(models);
    const summary = await loadTopology(file, new TopologyFileRepository(models), new SecretBox(env.SECRETS_KEYS), (p) => console.log(formatProgress(p)));
    console.log(JSON.stringify(summary, null, 2));
    if (env.REDIS_URL) {
      await queueRouterPasses(env.REDIS_URL, env.QUEUE_PREFIX, summary.routerIds);
      console.log(`queued a router pass for ${summary.routerIds.length} router(s): provisioning brings them in line now`);
    } else {
      console.log('REDIS_URL not set: provisioning brings the routers in line at its next scheduled reconcile');
    }
  } finally {
    await conn.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
