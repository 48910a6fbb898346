// The project's plain-JS tools (tools/infra.js, tools/stack.js), typed once for the benchmarks.
// Loaded with require because the relative path is only right from the build (dist/bench/).
import type { ChildProcess } from 'node:child_process';

export interface AppHandle {
  app: string;
  url: string;
  child: ChildProcess;
  logFile: string;
}

export const infra = require('../../tools/infra') as {
  ROOT: string;
  freePort: () => Promise<number>;
  mongoDbUrl: (url: string, db: string) => string;
  startInfra: (o: { dir: string }) => Promise<{ redisUrl: string; mongoUrl: string; stop: () => Promise<unknown> }>;
  startMongoCompat: (o: { dir: string; port?: number }) => Promise<{ url: string; port: number; stop: () => Promise<unknown> }>;
};

export const stack = require('../../tools/stack') as {
  launchApp: (app: string, o: { env: Record<string, string>; logDir: string; label?: string; port?: number }) => Promise<AppHandle>;
  stopApp: (child: ChildProcess, graceMs?: number) => Promise<unknown>;
};

/** Polls `fn` until it returns something truthy; fails with `what` after `timeoutMs`. */
export async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what} not seen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
