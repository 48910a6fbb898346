// Starts a throwaway Redis and MongoDB-compatible server for the whole Jest run (unless REDIS_URL
// / MONGO_URL point at existing ones). Workers inherit the URLs through the environment.
const fs = require('node:fs');
const path = require('node:path');
const { startInfra, ROOT } = require('../../tools/infra');

module.exports = async function globalSetup() {
  const dir = path.join(ROOT, '.local', 'test', `run-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const infra = await startInfra({ dir });
  process.env.TEST_REDIS_URL = infra.redisUrl;
  process.env.TEST_MONGO_URL = infra.mongoUrl;
  process.env.TEST_RUN_DIR = dir;
  globalThis.__ISP_INFRA__ = infra;
  // A crashed or interrupted run must not leave servers behind.
  process.once('exit', () => infra.pids.forEach((pid) => { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }));
};
