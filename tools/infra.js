// Starts the local infrastructure the project needs when no external servers are configured:
// a Redis from Debian's redis-server and the FerretDB-based MongoDB-compatible launcher
// (tools/mongo-compat). Used by the test global setup, `npm start` and the benchmarks.
// Plain CommonJS with no dependencies so it runs before anything is compiled.
const { execFile, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const MONGO_COMPAT_BIN = path.join(ROOT, '.local', 'bin', 'mongo-compat');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    sock.once('connect', () => { sock.destroy(); resolve(true); });
    sock.once('error', () => resolve(false));
  });
}

async function waitForPort(port, child, name, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before listening`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not listen on ${port} within ${timeoutMs} ms`);
}

function logStream(dir, name) {
  return fs.openSync(path.join(dir, `${name}.log`), 'a');
}

async function startRedis({ dir, persistent = false, port } = {}) {
  fs.mkdirSync(dir, { recursive: true });
  port = port || (await freePort());
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--daemonize', 'no',
    '--save', '', '--appendonly', persistent ? 'yes' : 'no', '--maxmemory-policy', 'noeviction',
  ];
  const out = logStream(dir, 'redis');
  const child = spawn('redis-server', args, { stdio: ['ignore', out, out] });
  await waitForPort(port, child, 'redis-server');
  return { url: `redis://127.0.0.1:${port}`, port, child, stop: () => stopChild(child) };
}

function run(cmd, args, timeoutMs = 20000) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout)));
  });
}

/**
 * A real Redis Cluster of `masters` masters and no replicas on loopback, from the same Debian
 * redis-server as startRedis: each node on a free port with a free cluster-bus port
 * (`cluster-port`, so the bus is not the port + 10000 that may be taken), joined with
 * `redis-cli --cluster create`, and returned once every node says `cluster_state:ok`. The URL is
 * the seed list REDIS_URL takes (redis://host:port,host:port,...).
 */
async function startRedisCluster({ dir, masters = 3, timeoutMs = 30000 } = {}) {
  const nodes = [];
  const stop = () => Promise.all(nodes.map((n) => stopChild(n.child)));
  try {
    for (let i = 0; i < masters; i++) {
      const nodeDir = path.join(dir, `cluster-node-${i}`);
      fs.mkdirSync(nodeDir, { recursive: true });
      const port = await freePort();
      const busPort = await freePort();
      const args = [
        '--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1', '--dir', nodeDir, '--daemonize', 'no',
        '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000',
        '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction',
      ];
      const out = logStream(nodeDir, 'redis');
      const child = spawn('redis-server', args, { stdio: ['ignore', out, out] });
      nodes.push({ port, child });
      await waitForPort(port, child, `redis-server (cluster node ${i})`);
    }
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], timeoutMs);
    const deadline = Date.now() + timeoutMs;
    for (const n of nodes) {
      while (!/cluster_state:ok/.test(await run('redis-cli', ['-h', '127.0.0.1', '-p', String(n.port), 'cluster', 'info']))) {
        if (Date.now() > deadline) throw new Error(`Redis Cluster node ${n.port} not ok within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return { url: `redis://${addresses.join(',')}`, ports: nodes.map((n) => n.port), pids: nodes.map((n) => n.child.pid), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * A Redis Sentinel watching the Redis at `masterPort` as `name` (quorum 1), from the same
 * redis-server (`--sentinel`); returned once it names that master. Its config file is its own
 * (Sentinel rewrites it).
 */
async function startRedisSentinel({ dir, masterPort, name = 'mymaster', timeoutMs = 15000 } = {}) {
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const conf = path.join(dir, 'sentinel.conf');
  fs.writeFileSync(conf, [`port ${port}`, 'bind 127.0.0.1', 'daemonize no', `dir ${dir}`, `sentinel monitor ${name} 127.0.0.1 ${masterPort} 1`, ''].join('\n'));
  const out = logStream(dir, 'sentinel');
  const child = spawn('redis-server', [conf, '--sentinel'], { stdio: ['ignore', out, out] });
  const stop = () => stopChild(child);
  try {
    await waitForPort(port, child, 'redis-sentinel');
    const deadline = Date.now() + timeoutMs;
    while (!(await run('redis-cli', ['-p', String(port), 'sentinel', 'get-master-addr-by-name', name])).includes(String(masterPort))) {
      if (Date.now() > deadline) throw new Error(`Sentinel on ${port} did not name ${name} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `redis+sentinel://127.0.0.1:${port}/${name}`, port, pid: child.pid, stop };
}

async function startMongoCompat({ dir, port } = {}) {
  if (!fs.existsSync(MONGO_COMPAT_BIN)) {
    throw new Error(`${MONGO_COMPAT_BIN} is missing: run tools/ensure-deps.sh (it builds tools/mongo-compat)`);
  }
  const dataDir = path.join(dir, 'mongo-data');
  fs.mkdirSync(dataDir, { recursive: true });
  port = port || (await freePort());
  const out = logStream(dir, 'mongo-compat');
  // MONGO_COMPAT_PPROF=1: Go's profiler on a loopback port of its own, named in the store's log.
  const pprof = process.env.MONGO_COMPAT_PPROF ? ['-pprof', '127.0.0.1:0'] : [];
  const child = spawn(MONGO_COMPAT_BIN, ['-listen', `127.0.0.1:${port}`, '-dir', dataDir, ...pprof], { stdio: ['ignore', out, out] });
  await waitForPort(port, child, 'mongo-compat');
  return { url: `mongodb://127.0.0.1:${port}`, port, child, stop: () => stopChild(child) };
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}

/**
 * Starts what is not provided by MONGO_URL / REDIS_URL. Returns base URLs (the Mongo URL has no
 * database name: callers append their own) and a stop function.
 */
async function startInfra({ dir, persistent = false, env = process.env } = {}) {
  const started = [];
  let redisUrl = env.REDIS_URL;
  let mongoUrl = env.MONGO_URL;
  try {
    if (!redisUrl) {
      const r = await startRedis({ dir, persistent });
      started.push(r);
      redisUrl = r.url;
    }
    if (!mongoUrl) {
      const m = await startMongoCompat({ dir });
      started.push(m);
      mongoUrl = m.url;
    }
  } catch (err) {
    await Promise.all(started.map((s) => s.stop()));
    throw err;
  }
  return {
    redisUrl,
    mongoUrl,
    pids: started.map((s) => s.child.pid),
    stop: () => Promise.all(started.map((s) => s.stop())),
  };
}

/** Base URL without a database name, so each consumer can pick its own database. */
function mongoBase(url) {
  const u = new URL(url);
  u.pathname = '/';
  return u.toString().replace(/\/$/, '');
}

/** The URL for one database on the server, keeping any query string (replicaSet, auth...). */
function mongoDbUrl(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

module.exports = { ROOT, freePort, startRedis, startRedisCluster, startRedisSentinel, startMongoCompat, startInfra, mongoBase, mongoDbUrl, stopChild };
