const fs = require('node:fs');

module.exports = async function globalTeardown() {
  const infra = globalThis.__ISP_INFRA__;
  if (infra) await infra.stop();
  if (process.env.TEST_RUN_DIR) fs.rmSync(process.env.TEST_RUN_DIR, { recursive: true, force: true });
};
