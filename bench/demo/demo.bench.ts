// `npm run bench -- demo`: how long `npm start -- 50` (50 simulated routers, about 450 devices and
// 1,200 subscribers) takes from launch (after the build) until every app answers ready, on a fresh
// data directory, as a new user would run it: it starts its own Redis and store, like `npm start`.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext, BenchResult } from '../bench-context';

const ROUTERS = 50;
const READY_TIMEOUT_MS = 180000;

/** Resolves with the milliseconds until the demo printed its banner; rejects if it exits or times out first. */
function untilReady(child: ChildProcess, output: () => string, started: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const done = (fn: () => void) => {
      clearInterval(poll);
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => done(() => reject(new Error(`demo not ready within ${READY_TIMEOUT_MS / 1000} s:\n${output().slice(-3000)}`))), READY_TIMEOUT_MS);
    const poll = setInterval(() => output().includes('isp-netops is running') && done(() => resolve(Date.now() - started)), 50);
    child.once('exit', (code) => done(() => reject(new Error(`demo exited with ${code} before it was ready:\n${output().slice(-3000)}`))));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT'); // the demo's Ctrl-C: it stops the apps, the simulator and its servers
  const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
  await exited;
  clearTimeout(timer);
}

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const dir = join(ctx.root, '.local', 'bench', `demo-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  // Ports away from a developer's own `npm start` (3000-3010, 18728+).
  // Below Linux's ephemeral range (32768+), where outgoing connections would take them.
  const base = 21000 + Math.floor(Math.random() * 80) * 100;
  const env: NodeJS.ProcessEnv = { ...process.env, ISP_DEMO_DIR: dir, ISP_DEMO_PORT: String(base), ISP_DEMO_ROUTER_PORT: String(base + 20), ISP_DEMO_READY_TIMEOUT_MS: String(READY_TIMEOUT_MS) };
  delete env.MONGO_URL;
  delete env.REDIS_URL;
  const started = Date.now();
  const child = spawn(process.execPath, [join(ctx.root, 'tools', 'start.js'), String(ROUTERS)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  let readyMs: number;
  try {
    readyMs = await untilReady(child, () => out, started);
  } finally {
    await stop(child);
  }
  const m = /simulated network: (\d+) routers \((\d+) devices, (\d+) subscribers\)/.exec(out);
  if (!m) throw new Error(`demo did not report its network:\n${out}`);
  // Kept after a failure (above): its logs say why.
  rmSync(dir, { recursive: true, force: true });
  return {
    figures: { routers: Number(m[1]), devices: Number(m[2]), subscribers: Number(m[3]), ready_s: +(readyMs / 1000).toFixed(1) },
    targets: { routers: '>= 50', ready_s: '< 60' },
  };
}
