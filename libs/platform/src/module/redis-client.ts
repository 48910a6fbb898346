import type { ConnectionOptions } from 'bullmq';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { parseRedisUrl, redisOptionsFromUrl } from './redis-options';

/**
 * The one place a Redis client is made from REDIS_URL: a plain client for a standalone Redis or
 * Sentinel, an ioredis Cluster for a cluster. `options` are per-connection settings
 * (connectionName, timeouts, retries); on a cluster they apply to every node's connection, and
 * the few that belong to the cluster as a whole (offline queue, lazy connect, reconnect delays)
 * are moved there.
 *
 * Typed as Redis for every mode: the Cluster client answers the same commands we use (plain
 * commands, MULTI, EVAL, pub/sub), routed by key slot, so the consumers need no union type. Every
 * key this project writes starts with QUEUE_PREFIX, which a cluster config must hash-tag
 * (common-env.ts), so every multi-key command and transaction stays within one slot.
 */
export function createRedisClient(url: string, options: RedisOptions = {}): Redis {
  const target = parseRedisUrl(url);
  if (target.mode !== 'cluster') return new Redis({ ...redisOptionsFromUrl(url), ...options });
  const { enableOfflineQueue, lazyConnect, retryStrategy, ...perNode } = options;
  const cluster = new Cluster(target.nodes, {
    redisOptions: { ...target.auth, ...perNode },
    ...(enableOfflineQueue !== undefined && { enableOfflineQueue }),
    ...(lazyConnect !== undefined && { lazyConnect }),
    ...(retryStrategy && { clusterRetryStrategy: (times: number) => retryStrategy(times) }),
  });
  return cluster as unknown as Redis;
}

/**
 * BullMQ's `connection` for REDIS_URL. Standalone and Sentinel: options, so each Queue, Worker
 * and QueueEvents opens (and closes) connections of its own, as before. Cluster: BullMQ needs a
 * Cluster client instance, which it shares and never closes; the caller closes it after the
 * queues that use it (closeBullConnection).
 */
export function bullConnection(url: string, connectionName?: string): ConnectionOptions {
  if (parseRedisUrl(url).mode !== 'cluster') return redisOptionsFromUrl(url) as ConnectionOptions;
  // BullMQ's workers block on their connections: no per-command retry limit (BullMQ refuses one).
  return createRedisClient(url, { maxRetriesPerRequest: null, ...(connectionName && { connectionName }) }) as unknown as ConnectionOptions;
}

/** Closes what bullConnection opened (nothing to do for options). */
export async function closeBullConnection(connection: ConnectionOptions): Promise<void> {
  if (connection instanceof Redis || connection instanceof Cluster) {
    await connection.quit().catch(() => connection.disconnect());
  }
}
