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

/** Clients the release script is defined on: sent once, then called by its hash (EVALSHA). */
const defined = new WeakSet<object>();

export async function unlock(redis: Redis | Cluster, key: string, token: string): Promise<void> {
  if (!defined.has(redis)) {
    redis.defineCommand('releaseIfOwner', { numberOfKeys: 1, lua: RELEASE });
    defined.add(redis);
  }
  await (redis as unknown as { releaseIfOwner(key: string, token: string): Promise<number> }).releaseIfOwner(key, token);
}
