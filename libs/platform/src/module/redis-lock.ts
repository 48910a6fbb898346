import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/** Deletes the lock only if it is still ours (it may have expired and been taken by another holder). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * A short exclusive hold on one key across replicas (SET NX PX): the token if taken, undefined if
 * another holder has it. The expiry is the bound on a holder that dies without releasing.
 */
export async function tryLock(redis: Redis | Cluster, key: string, ms: number): Promise<string | undefined> {
  const token = randomBytes(8).toString('hex');
  return (await redis.set(key, token, 'PX', Math.max(1, Math.round(ms)), 'NX')) === 'OK' ? token : undefined;
}

/**
 * tryLock for several keys in one round trip (a pipeline): for each key its token, or undefined
 * where another holder has it.
 */
export async function tryLockMany(redis: Redis | Cluster, keys: readonly string[], ms: number): Promise<(string | undefined)[]> {
  if (!keys.length) return [];
  const tokens = keys.map(() => randomBytes(8).toString('hex'));
  const tx = redis.pipeline();
  keys.forEach((key, i) => tx.set(key, tokens[i], 'PX', Math.max(1, Math.round(ms)), 'NX'));
  const replies = (await tx.exec()) ?? [];
  return keys.map((_, i) => {
    const [err, reply] = replies[i] ?? [new Error('no reply')];
    if (err) throw err;
    return reply === 'OK' ? tokens[i] : undefined;
  });
}

/** Clients the release script is defined on: sent once, then called by its hash (EVALSHA). */
const defined = new WeakSet<object>();

type Releaser = { releaseIfOwner(key: string, token: string): unknown };

function releaser(redis: Redis | Cluster): Redis | Cluster {
  if (!defined.has(redis)) {
    redis.defineCommand('releaseIfOwner', { numberOfKeys: 1, lua: RELEASE });
    defined.add(redis);
  }
  return redis;
}

export async function unlock(redis: Redis | Cluster, key: string, token: string): Promise<void> {
  await (releaser(redis) as unknown as Releaser).releaseIfOwner(key, token);
}

/** unlock for several holds in one round trip (a pipeline). */
export async function unlockMany(redis: Redis | Cluster, holds: readonly { key: string; token: string }[]): Promise<void> {
  if (!holds.length) return;
  const tx = releaser(redis).pipeline();
  for (const h of holds) (tx as unknown as Releaser).releaseIfOwner(h.key, h.token);
  const replies = (await tx.exec()) ?? [];
  const failed = replies.find(([err]) => err);
  if (failed) throw failed[0];
}
