import { ValidateBy } from 'class-validator';
import { hasHashTag, parseRedisUrl, RedisUrlError } from '../module/redis-options';

function problem(url: unknown): string | undefined {
  if (typeof url !== 'string') return 'must be a string';
  try {
    parseRedisUrl(url);
    return undefined;
  } catch (err) {
    return err instanceof RedisUrlError ? err.message : 'is not a Redis URL';
  }
}

/**
 * REDIS_URL: standalone (redis://, rediss://), a Cluster seed list (redis://h:p,h:p or
 * redis+cluster://h:p,h:p) or Sentinel (redis+sentinel://h:p,h:p/master). The message says what
 * is wrong with it (redis-options.ts), never its credentials.
 */
export function IsRedisUrl(): PropertyDecorator {
  return ValidateBy({
    name: 'isRedisUrl',
    validator: {
      validate: (value: unknown) => problem(value) === undefined,
      defaultMessage: (args) =>
        `${args?.property} must be redis://host:port[/db], rediss://..., a Redis Cluster (redis://host:port,host:port or redis+cluster://host:port,host:port) or Sentinel (redis+sentinel://host:port,host:port/master): ${problem(args?.value)}`,
    },
  });
}

/**
 * QUEUE_PREFIX on a Redis Cluster must start a hash tag ("{isp}"): BullMQ's scripts touch several
 * keys of a queue at once and so do our own transactions and scripts, which a cluster only runs
 * when all their keys hash to one slot. Refused rather than wrapped silently: the prefix names
 * every key, and a deployment moving to a cluster should see its keys' new names in its own
 * config (docs/decisions.md).
 */
export function HashTaggedOnCluster(urlProperty = 'REDIS_URL'): PropertyDecorator {
  const onCluster = (object: object): boolean => {
    const url = (object as Record<string, unknown>)[urlProperty];
    if (typeof url !== 'string' || problem(url) !== undefined) return false;
    return parseRedisUrl(url).mode === 'cluster';
  };
  return ValidateBy({
    name: 'hashTaggedOnCluster',
    validator: {
      validate: (value: unknown, args) => !onCluster(args!.object) || (typeof value === 'string' && hasHashTag(value)),
      defaultMessage: (args) =>
        `${args?.property} must start with a hash tag when ${urlProperty} is a Redis Cluster, e.g. "{${String(args?.value ?? 'isp').replace(/[{}]/g, '') || 'isp'}}": every key of a queue and of our multi-key commands must hash to one slot`,
    },
  });
}
