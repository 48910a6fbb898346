// Starts the five apps as child processes from dist/ (npm start, the replica tests and the
// benchmarks share this), waits for their readiness endpoints, and stops them with SIGTERM.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, freePort } = require('./infra');

const APPS = ['webhook-ingest', 'diagnostics', 'notifier', 'provisioning', 'api-gateway'];

function appMain(app) {
  return path.join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
}

/** Starts one app; resolves once /health/ready answers 200. */
async function launchApp(app, { env, logDir, port, label, readyTimeoutMs } = {}) {
  port = port || (await freePort());
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${label || app}.log`);
  const out = fs.openSync(logFile, 'a');
  // BENCH_PROF=1: the app writes its CPU profile (.cpuprofile) next to its log when it stops, as
  // the benchmarks' own children do (bench/bench-child.ts).
  const prof = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${logDir}`] : [];
  const child = spawn(process.execPath, [...prof, appMain(app)], {
    env: { ...process.env, ...env, PORT: String(port), HOST: env?.HOST || '127.0.0.1' },
    stdio: ['ignore', out, out],
  });
  const url = `http://127.0.0.1:${port}`;
  const handle = { app, label: label || app, url, port, child, logFile, stop: () => stopApp(child) };
  try {
    await waitReady(handle, readyTimeoutMs);
  } catch (err) {
    await stopApp(child); // one that never got ready must not outlive its launcher
    throw err;
  }
  return handle;
}

async function waitReady(handle, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (handle.child.exitCode !== null) {
      const tail = fs.readFileSync(handle.logFile, 'utf8').split('\n').slice(-15).join('\n');
      throw new Error(`${handle.label} exited with code ${handle.child.exitCode} before it was ready:\n${tail}`);
    }
    try {
      const res = await fetch(`${handle.url}/health/ready`);
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${handle.label} not ready after ${timeoutMs} ms (log: ${handle.logFile})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * SIGTERM, then SIGKILL after the grace period. Resolves with the exit code, or the signal name:
 * Nest re-raises SIGTERM on itself once its shutdown hooks have run, so "SIGTERM" is a clean
 * stop and "SIGKILL" means the app did not stop in time.
 */
function stopApp(child, graceMs = 15000) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode ?? child.signalCode);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal);
    });
    child.kill('SIGTERM');
  });
}

module.exports = { APPS, appMain, launchApp, waitReady, stopApp };
