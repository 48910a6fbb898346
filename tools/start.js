// The local demo: Redis and the MongoDB-compatible store with data under .local/run (kept across
// restarts), a simulated MikroTik network (libs/routeros-testing) loaded as the demo
// topology, and the five apps as child processes. Ctrl-C stops everything cleanly.
// `npm start -- N` simulates N routers (default 3). ISP_DEMO_DIR, ISP_DEMO_PORT (first of the
// apps' ports; the simulator's control server is at +10) and ISP_DEMO_ROUTER_PORT (first
// simulated router) move the demo elsewhere: the demo benchmark runs one beside a developer's.
require('reflect-metadata');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { startInfra, mongoDbUrl, ROOT } = require('./infra');
const { launchApp, stopApp } = require('./stack');

const RUN = process.env.ISP_DEMO_DIR || path.join(ROOT, '.local', 'run');
const PORT = Number(process.env.ISP_DEMO_PORT || 3000);
const ROUTER_PORT = Number(process.env.ISP_DEMO_ROUTER_PORT || 18728);
// How long each app may take to answer ready (the demo benchmark waits longer, to measure a slow start).
const READY_TIMEOUT_MS = Number(process.env.ISP_DEMO_READY_TIMEOUT_MS || 60000);
const LOGS = path.join(RUN, 'logs');
const dist = (p) => require(path.join(ROOT, 'dist', p));

/** Secrets for the local demo, generated once and kept in .local/run/secrets.json (git-ignored). */
function localSecrets() {
  const file = path.join(RUN, 'secrets.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
  const s = {
    SECRETS_KEYS: `local:${crypto.randomBytes(32).toString('base64')}`,
    JWT_SECRET: crypto.randomBytes(32).toString('hex'),
    ADMIN_EMAIL: 'admin@example.net',
    ADMIN_PASSWORD: crypto.randomBytes(9).toString('base64url'),
  };
  fs.mkdirSync(RUN, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(s, null, 2), { mode: 0o600 });
  return s;
}

/** The simulator's description as a topology file for the loader. */
function toTopologyFile(net) {
  const buildings = new Map();
  const routers = [];
  const devices = [];
  const subscribers = [];
  for (const r of net.describe().routers) {
    const b = r.building ?? { code: r.name.toUpperCase(), name: r.name };
    buildings.set(b.code, { code: b.code, name: b.name });
    routers.push({ name: r.name, building: b.code, role: 'core', host: r.host, apiPort: r.port, apiUser: r.user, apiPassword: r.password, rosVersion: r.version });
    const byIp = new Map(r.devices.map((d) => [d.ip, d]));
    for (const d of r.devices) {
      devices.push({ name: d.name, router: r.name, type: d.type, ip: d.ip, ...(d.parentIp && byIp.has(d.parentIp) && { parent: byIp.get(d.parentIp).name }) });
    }
    for (const s of r.subscribers) {
      subscribers.push({ username: s.username, router: r.name, password: s.password, macAddress: s.mac, ...(s.stationIp && byIp.has(s.stationIp) && { station: byIp.get(s.stationIp).name }) });
    }
  }
  return {
    buildings: [...buildings.values()],
    routers,
    devices,
    subscribers,
    contacts: [
      { name: 'Network Admin (demo)', level: 3, email: 'noc@example.net' },
      { name: 'Field Technician (demo)', level: 2, email: 'tech@example.net' },
    ],
  };
}

function sectorIp(net) {
  return net.routers[0].deviceList().find((d) => d.type === 'sector')?.ip ?? '';
}

async function main() {
  const routersWanted = Number(process.argv[2] ?? 3);
  fs.mkdirSync(LOGS, { recursive: true });
  const secrets = localSecrets();
  const stoppers = [];
  let stopping = false;
  const stopAll = async (code) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping...');
    for (const stop of stoppers.reverse()) await stop().catch((e) => console.error(e.message));
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    const infra = await startInfra({ dir: RUN, persistent: true });
    stoppers.push(() => infra.stop());
    const mongoUrl = process.env.MONGO_URL || mongoDbUrl(infra.mongoUrl, 'isp');

    const { SimulatedNetwork, startControlServer } = dist('libs/routeros-testing/src');
    // Fixed ports: the demo database is kept across restarts, so each router must come back where
    // the database says it is.
    const net = await SimulatedNetwork.start({ basePort: ROUTER_PORT, generate: { routers: routersWanted, sectorsPerRouter: 2, stationsPerSector: 3, subscribersPerStation: 4 } });
    stoppers.push(() => net.stop());
    const control = await startControlServer(net, { port: PORT + 10 });
    stoppers.push(() => control.close());

    const domain = dist('libs/domain/src');
    const data = dist('libs/data/src');
    const platform = dist('libs/platform/src');
    const mongoose = require('mongoose');
    // The apps' defaults for timeouts and the bulk limit (chunks below the embedded store's hang).
    const conn = await mongoose.createConnection(mongoUrl, platform.mongoOptions(new platform.MongoEnv())).asPromise();
    const models = data.modelsOn(conn);
    await data.ensureIndexes(models);
    const summary = await data.loadTopology(domain.validateTopologyFile(toTopologyFile(net)), new data.TopologyFileRepository(models), new domain.SecretBox(secrets.SECRETS_KEYS));
    await conn.close();

    const ports = { 'api-gateway': PORT, 'webhook-ingest': PORT + 1, diagnostics: PORT + 2, provisioning: PORT + 3, notifier: PORT + 4 };
    const env = {
      MONGO_URL: mongoUrl,
      REDIS_URL: infra.redisUrl,
      SECRETS_KEYS: secrets.SECRETS_KEYS,
      JWT_SECRET: secrets.JWT_SECRET,
      ADMIN_EMAIL: secrets.ADMIN_EMAIL,
      ADMIN_PASSWORD: secrets.ADMIN_PASSWORD,
      INGEST_PUBLIC_URL: `http://127.0.0.1:${ports['webhook-ingest']}`,
      // The demo serves the OpenAPI docs (off by default when NODE_ENV=production).
      API_DOCS: 'true',
    };
    // All five at once: they do not wait on each other, and most of a start is waiting on I/O.
    const order = ['webhook-ingest', 'diagnostics', 'notifier', 'provisioning', 'api-gateway'];
    const launched = await Promise.allSettled(order.map((app) => launchApp(app, { env: { ...env, ...process.env }, logDir: LOGS, port: ports[app], readyTimeoutMs: READY_TIMEOUT_MS })));
    for (const r of launched) if (r.status === 'fulfilled') stoppers.push(() => stopApp(r.value.child));
    const failed = launched.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    for (const { value: h } of launched) console.log(`  ready: ${h.app.padEnd(15)} ${h.url}  (log ${path.relative(ROOT, h.logFile)})`);

    console.log(`
isp-netops is running on embedded defaults.
  console        http://127.0.0.1:${ports['api-gateway']}/   (sign in with the admin login below)
  admin login    ${secrets.ADMIN_EMAIL} / ${secrets.ADMIN_PASSWORD}
  API            http://127.0.0.1:${ports['api-gateway']}/api/v1   (OpenAPI: http://127.0.0.1:${ports['api-gateway']}/api/docs)
  ingest         http://127.0.0.1:${ports['webhook-ingest']}/api/webhooks/mikrotik/{ppp-status,dhcp-lease,netwatch}
  MongoDB        ${mongoUrl}
  Redis          ${infra.redisUrl}
  simulated network: ${net.routers.length} routers (${summary.devices.created + summary.devices.updated} devices, ${summary.subscribers.created + summary.subscribers.updated} subscribers)
${net.routers.map((r) => `    ${r.name.padEnd(12)} api 127.0.0.1:${r.port}`).join('\n')}
  simulator      ${control.url}/state   (faults: POST ${control.url}/fault)
  logs           ${path.relative(ROOT, LOGS)}/
Provisioning installs the snitch scripts on the simulated routers on its first reconcile; then
take a sector down and watch one incident open on the console's board (or GET /api/v1/incidents):
  curl -X POST ${control.url}/fault -d '{"router":"${net.routers[0].name}","action":"device-down","ip":"${sectorIp(net)}"}'
and bring it back with "device-up". Ctrl-C stops everything.`);
  } catch (err) {
    console.error(err);
    await stopAll(1);
  }
}

void main();
