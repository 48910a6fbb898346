// The local demo: Redis and the MongoDB-compatible store with data under .local/run (kept across
// restarts), a simulated MikroTik network (libs/routeros testing entry point) loaded as the demo
// topology, and the five apps as child processes. Ctrl-C stops everything cleanly.
require('reflect-metadata');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { startInfra, mongoDbUrl, ROOT } = require('./infra');
const { launchApp, stopApp } = require('./stack');

const RUN = path.join(ROOT, '.local', 'run');
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

    const { SimulatedNetwork, startControlServer } = dist('libs/routeros/src/testing');
    // Fixed ports: the demo database is kept across restarts, so each router must come back where
    // the database says it is.
    const net = await SimulatedNetwork.start({ basePort: 18728, generate: { routers: routersWanted, sectorsPerRouter: 2, stationsPerSector: 3, subscribersPerStation: 4 } });
    stoppers.push(() => net.stop());
    const control = await startControlServer(net, { port: 3010 });
    stoppers.push(() => control.close());

    const domain = dist('libs/domain/src');
    const data = dist('libs/data/src');
    const mongoose = require('mongoose');
    const conn = await mongoose.createConnection(mongoUrl).asPromise();
    const models = data.modelsOn(conn);
    await data.ensureIndexes(models);
    const summary = await data.loadTopology(domain.validateTopologyFile(toTopologyFile(net)), new data.TopologyFileRepository(models), new domain.SecretBox(secrets.SECRETS_KEYS));
    await conn.close();

    const ports = { 'api-gateway': 3000, 'webhook-ingest': 3001, diagnostics: 3002, provisioning: 3003, notifier: 3004 };
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
    const order = ['webhook-ingest', 'diagnostics', 'notifier', 'provisioning', 'api-gateway'];
    for (const app of order) {
      const h = await launchApp(app, { env: { ...env, ...process.env }, logDir: LOGS, port: ports[app] });
      stoppers.push(() => stopApp(h.child));
      console.log(`  ready: ${app.padEnd(15)} ${h.url}  (log ${path.relative(ROOT, h.logFile)})`);
    }

    console.log(`
isp-netops is running on embedded defaults.
  API            http://127.0.0.1:${ports['api-gateway']}/api/v1   (OpenAPI: http://127.0.0.1:${ports['api-gateway']}/api/docs)
  admin login    ${secrets.ADMIN_EMAIL} / ${secrets.ADMIN_PASSWORD}   (POST /api/v1/auth/login)
  ingest         http://127.0.0.1:${ports['webhook-ingest']}/api/webhooks/mikrotik/{ppp-status,dhcp-lease,netwatch}
  MongoDB        ${mongoUrl}
  Redis          ${infra.redisUrl}
  simulated network: ${net.routers.length} routers (${summary.devices.created + summary.devices.updated} devices, ${summary.subscribers.created + summary.subscribers.updated} subscribers)
${net.routers.map((r) => `    ${r.name.padEnd(12)} api 127.0.0.1:${r.port}`).join('\n')}
  simulator      ${control.url}/state   (faults: POST ${control.url}/fault)
  logs           ${path.relative(ROOT, LOGS)}/
Provisioning installs the snitch scripts on the simulated routers on its first reconcile; then
take a sector down and watch one incident open (GET /api/v1/incidents, or the feed):
  curl -X POST ${control.url}/fault -d '{"router":"${net.routers[0].name}","action":"device-down","ip":"${sectorIp(net)}"}'
and bring it back with "device-up". Ctrl-C stops everything.`);
  } catch (err) {
    console.error(err);
    await stopAll(1);
  }
}

void main();
