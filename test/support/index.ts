// Helpers shared by integration specs: the servers started by the Jest global setup, per-file
// isolation (own database, own queue prefix) and condition waits instead of fixed sleeps.
import { randomBytes } from 'node:crypto';
import type { JobType, Queue } from 'bullmq';

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests through "npm test" (Jest global setup starts the servers)`);
  return v;
}

export function testRedisUrl(): string {
  return required('TEST_REDIS_URL');
}

/** A database of its own for one test file, so files can run in parallel. */
export function testMongoUrl(name: string): string {
  const u = new URL(required('TEST_MONGO_URL'));
  u.pathname = `/t_${name.replace(/[^a-zA-Z0-9]/g, '_').slice(0, 40)}_${randomBytes(3).toString('hex')}`;
  return u.toString();
}

/** A BullMQ key prefix of its own, so queues of parallel test files never meet. */
export function testQueuePrefix(name: string): string {
  return `t-${name.replace(/[^a-zA-Z0-9]/g, '-')}-${randomBytes(3).toString('hex')}`;
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  message?: string;
}

/** Polls until `check` returns a truthy value (which is returned) or the timeout expires. */
export async function waitFor<T>(check: () => T | Promise<T>, opts: WaitOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = opts.timeoutMs ?? 10000;
  const intervalMs = opts.intervalMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`waitFor timed out after ${timeoutMs} ms: ${opts.message ?? 'condition not met'}${why}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Jobs of `queue` in `states` still to run, not counting the delayed next run of a job scheduler
 * (the heartbeat, the incident recheck): one is always there, by design, so "idle" excludes it.
 */
export async function unfinishedJobs(queue: Queue, states: JobType[]): Promise<number> {
  const others = states.filter((s) => s !== 'delayed');
  const counts = others.length ? Object.values(await queue.getJobCounts(...others)).reduce((a, b) => a + b, 0) : 0;
  const delayed = states.includes('delayed') ? (await queue.getJobs(['delayed'])).filter((j) => !j.repeatJobKey).length : 0;
  return counts + delayed;
}

export interface TestRedisCluster {
  /** the seed list REDIS_URL takes: redis://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3 */
  url: string;
  ports: number[];
  stop(): Promise<void>;
}

/**
 * A real 3-master Redis Cluster of one test file's own (tools/infra.js startRedisCluster: the
 * redis-server the project installs, cluster mode, on loopback), under the run's directory.
 * A crashed run does not leave it behind.
 */
export async function startTestRedisCluster(name: string): Promise<TestRedisCluster> {
  const { startRedisCluster, ROOT } = require('../../tools/infra') as {
    startRedisCluster: (o: { dir: string }) => Promise<TestRedisCluster & { pids: number[] }>;
    ROOT: string;
  };
  const base = process.env.TEST_RUN_DIR ?? `${ROOT}/.local/test/run-${process.pid}`;
  const cluster = await startRedisCluster({ dir: `${base}/redis-cluster-${name}-${randomBytes(3).toString('hex')}` });
  const kill = () => cluster.pids.forEach((pid) => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  });
  process.once('exit', kill);
  return {
    url: cluster.url,
    ports: cluster.ports,
    stop: async () => {
      process.off('exit', kill);
      await cluster.stop();
    },
  };
}

/** A standalone Redis and a Sentinel naming it "mymaster", of one test file's own; `url` is the redis+sentinel:// REDIS_URL. */
export async function startTestRedisSentinel(name: string): Promise<{ url: string; stop(): Promise<void> }> {
  type Started = { url: string; port: number; stop: () => Promise<void> };
  const { startRedis, startRedisSentinel, ROOT } = require('../../tools/infra') as {
    startRedis: (o: { dir: string }) => Promise<Started>;
    startRedisSentinel: (o: { dir: string; masterPort: number }) => Promise<Started>;
    ROOT: string;
  };
  const dir = `${process.env.TEST_RUN_DIR ?? `${ROOT}/.local/test/run-${process.pid}`}/redis-sentinel-${name}-${randomBytes(3).toString('hex')}`;
  const master = await startRedis({ dir });
  const sentinel = await startRedisSentinel({ dir: `${dir}/sentinel`, masterPort: master.port }).catch(async (err: unknown) => {
    await master.stop();
    throw err;
  });
  return {
    url: sentinel.url,
    stop: async () => {
      await sentinel.stop();
      await master.stop();
    },
  };
}
