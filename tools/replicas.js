// Replicas behave as one: starts N replicas of each worker app (diagnostics, notifier,
// provisioning), two webhook-ingest instances and one api-gateway on one database, one Redis and
// one queue prefix, as child processes from dist/. Standalone (`npm run replicas [-- N]`) it runs
// on the embedded defaults (its own Redis and MongoDB-compatible server under .local/replicas)
// unless MONGO_URL / REDIS_URL are set, prints every URL and stops everything on Ctrl-C.
// test/replicas.e2e-spec.ts uses startReplicas() with the test servers.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { startInfra, mongoDbUrl, ROOT } = require('./infra');
const { launchApp, stopApp, appMain } = require('./stack');

const WORKERS = ['diagnostics', 'notifier', 'provisioning'];

/**
 * Starts the replica set. `counts` overrides how many of each app (defaults: 2 of each worker,
 * 2 ingest, 1 gateway; 0 leaves an app out); `env` goes to every instance, `perApp[app]` to
 * that app's instances only. Instances start in parallel; if one fails, the others are stopped.
 * Returns the handles by app, in start order, and stop().
 */
async function startReplicas({ env, perApp = {}, counts = {}, logDir, replicas = 2 }) {
  const want = { 'webhook-ingest': 2, ...Object.fromEntries(WORKERS.map((a) => [a, replicas])), 'api-gateway': 1, ...counts };
  for (const app of Object.keys(want)) {
    if (want[app] > 0 && !fs.existsSync(appMain(app))) throw new Error(`${appMain(app)} is missing: run "npm run build" first`);
  }
  const plan = Object.entries(want).flatMap(([app, n]) => Array.from({ length: n }, (_, i) => ({ app, label: `${app}-${i + 1}` })));
  const settled = await Promise.allSettled(plan.map(({ app, label }) => launchApp(app, { env: { ...env, ...perApp[app] }, logDir, label })));
  const handles = settled.filter((s) => s.status === 'fulfilled').map((s) => s.value);
  const failed = settled.find((s) => s.status === 'rejected');
  const stop = () => Promise.all(handles.map((h) => stopApp(h.child)));
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const byApp = {};
  for (const h of handles) (byApp[h.app] ??= []).push(h);
  return { handles, byApp, stop };
}

async function main() {
  const replicas = Number(process.argv[2] ?? 2);
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`usage: node tools/replicas.js [replicas-per-worker-app (default 2)]`);
  const run = path.join(ROOT, '.local', 'replicas');
  const logDir = path.join(run, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const infra = await startInfra({ dir: run });
  let set = null;
  let stopping = false;
  const stopAll = async (code) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping...');
    if (set) await set.stop();
    await infra.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  try {
    const mongoUrl = process.env.MONGO_URL || mongoDbUrl(infra.mongoUrl, 'isp_replicas');
    // Throwaway secrets unless given: this is a demonstration set, not the local demo's data.
    const env = {
      MONGO_URL: mongoUrl,
      REDIS_URL: infra.redisUrl,
      SECRETS_KEYS: process.env.SECRETS_KEYS || `r1:${crypto.randomBytes(32).toString('base64')}`,
      JWT_SECRET: process.env.JWT_SECRET || crypto.randomBytes(32).toString('hex'),
      ADMIN_EMAIL: process.env.ADMIN_EMAIL || 'admin@example.net',
      ADMIN_PASSWORD: process.env.ADMIN_PASSWORD || crypto.randomBytes(9).toString('base64url'),
    };
    set = await startReplicas({ env, logDir, replicas });
    const ingest = set.byApp['webhook-ingest'] ?? [];
    for (const h of set.handles) console.log(`  ready: ${h.label.padEnd(16)} ${h.url}  (pid ${h.child.pid}, log ${path.relative(ROOT, h.logFile)})`);
    console.log(`
${set.handles.length} instances on one database and one queue prefix (${process.env.QUEUE_PREFIX || 'isp'}):
  MongoDB  ${mongoUrl}
  Redis    ${infra.redisUrl}
  ingest   ${ingest.map((h) => h.url).join('  ')}   (put a load balancer in front, or point routers at either)
  API      ${(set.byApp['api-gateway'] ?? []).map((h) => `${h.url}/api/v1`).join('  ')}   (admin ${env.ADMIN_EMAIL} / ${env.ADMIN_PASSWORD})
Kill any worker replica (kill -9 <pid>): its jobs go to the others. Ctrl-C stops everything.`);
    for (const h of set.handles) {
      h.child.once('exit', (code, signal) => {
        if (!stopping) console.log(`  ${h.label} (pid ${h.child.pid}) exited: ${signal ?? code}`);
      });
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    await stopAll(1);
  }
}

if (require.main === module) void main();

module.exports = { WORKERS, startReplicas };
