// Servers under load run as child processes, so that the load generator (autocannon, in the
// runner's process) never shares an event loop with what it measures.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Starts a built server; its output goes to a log file. Ready when `readyUrl` answers below 500.
 * BENCH_PROF=1 also writes its CPU profile (.cpuprofile) next to the log when it stops.
 */
export async function startChild(script: string, env: Record<string, string>, logFile: string, readyUrl: string): Promise<ChildProcess> {
  mkdirSync(dirname(logFile), { recursive: true });
  const out = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${dirname(logFile)}`] : []), script], { env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  const deadline = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited (${child.exitCode}); see ${logFile}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${script} not ready within 30 s; see ${logFile}`);
    }
    const ok = await fetch(readyUrl, { method: 'GET' }).then((r) => r.status < 500, () => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * startChild on a free port (env PORT), tried again on another port when someone else took it
 * between the pick and the listen (other work on the machine binds ports too).
 */
export async function startChildOnFreePort(freePort: () => Promise<number>, script: string, env: Record<string, string>, logFile: string, readyPath: string): Promise<{ child: ChildProcess; url: string }> {
  for (let attempt = 1; ; attempt++) {
    const url = `http://127.0.0.1:${await freePort()}`;
    try {
      return { child: await startChild(script, { ...env, PORT: new URL(url).port }, logFile, `${url}${readyPath}`), url };
    } catch (err) {
      if (attempt >= 3 || !readFileSync(logFile, 'utf8').includes('EADDRINUSE')) throw err;
    }
  }
}

/** SIGTERM (the server closes and writes its profile), SIGKILL after 10 s. */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), 10000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}
