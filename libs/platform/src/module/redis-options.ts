/**
 * REDIS_URL, parsed. One variable names any of the three ways to run Redis, so a deployment moves
 * from one Redis to Sentinel or Cluster by changing a URL, never code:
 *
 * - standalone: `redis://[user:pass@]host:port[/db]` (`rediss://` for TLS)
 * - Cluster: a seed list, `redis://host:port,host:port[,...]` (each later entry may repeat the
 *   scheme) or `redis+cluster://host:port[,host:port...]` (`rediss+cluster://` for TLS); any
 *   master is enough as a seed, the client learns the rest
 * - Sentinel: `redis+sentinel://[user:pass@]host:port[,host:port...]/<master name>[/db]`
 *   (`rediss+sentinel://` for TLS to the master); the credentials are the master's
 *
 * Pure: no client is opened here (redis-client.ts does that), so config validation uses it too.
 */
export interface RedisNode {
  host: string;
  port: number;
}

/** Credentials and TLS, shared by every node of a cluster or the master behind Sentinel. */
export interface RedisAuth {
  username?: string;
  password?: string;
  tls?: Record<string, never>;
}

/** Connection settings split out of a standalone URL (BullMQ and ioredis want them split). */
export interface RedisEndpoint extends RedisNode, RedisAuth {
  db?: number;
}

export type RedisTarget =
  | { mode: 'standalone'; endpoint: RedisEndpoint }
  | { mode: 'cluster'; nodes: RedisNode[]; auth: RedisAuth }
  | { mode: 'sentinel'; sentinels: RedisNode[]; name: string; db?: number; auth: RedisAuth };

/** Options for a client that ioredis builds itself (standalone or Sentinel): BullMQ takes these as `connection`. */
export type RedisClientSettings = RedisEndpoint | (RedisAuth & { sentinels: RedisNode[]; name: string; db?: number; enableTLSForSentinelMode?: boolean });

const URL_SHAPE = /^(rediss?)(?:\+(cluster|sentinel))?:\/\/(?:([^@/,]*)@)?([^/?#]+)(\/[^?#]*)?$/i;

export class RedisUrlError extends Error {}

function node(entry: string): RedisNode {
  const bare = entry.trim().replace(/^rediss?:\/\//i, '');
  let u: URL;
  try {
    u = new URL(`redis://${bare}`);
  } catch {
    throw new RedisUrlError(`"${bare}" is not host:port`);
  }
  if (!u.hostname || u.username || u.password || (u.pathname && u.pathname !== '/')) throw new RedisUrlError(`"${bare}" is not host:port`);
  return { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: u.port ? Number(u.port) : 6379 };
}

function dbNumber(segment: string | undefined): number | undefined {
  if (segment === undefined || segment === '') return undefined;
  if (!/^\d+$/.test(segment)) throw new RedisUrlError(`the database "${segment}" is not a number`);
  return Number(segment);
}

/** Throws RedisUrlError saying what is wrong (never echoing credentials). */
export function parseRedisUrl(url: string): RedisTarget {
  // A seed list may repeat the scheme on every entry (redis://a:1,redis://b:2).
  const m = URL_SHAPE.exec(url.trim().replace(/,\s*rediss?:\/\//gi, ','));
  if (!m) throw new RedisUrlError('expected redis://, rediss://, redis+cluster:// or redis+sentinel://');
  const [, scheme, kind, userinfo, hostList, path = ''] = m;
  const tls = scheme.toLowerCase() === 'rediss';
  const [user, ...passParts] = (userinfo ?? '').split(':');
  const pass = passParts.join(':');
  const auth: RedisAuth = {
    ...(user && { username: decodeURIComponent(user) }),
    ...(pass && { password: decodeURIComponent(pass) }),
    ...(tls && { tls: {} }),
  };
  const nodes = hostList.split(',').map(node);
  const segments = path.split('/').slice(1);
  switch (kind?.toLowerCase()) {
    case 'sentinel': {
      const name = segments[0] ? decodeURIComponent(segments[0]) : '';
      if (!name) throw new RedisUrlError('a Sentinel URL names its master after the hosts: redis+sentinel://host:port,host:port/mymaster');
      if (segments.length > 2) throw new RedisUrlError('a Sentinel URL ends with /<master name>[/db]');
      return { mode: 'sentinel', sentinels: nodes, name, db: dbNumber(segments[1]), auth };
    }
    case 'cluster':
    case undefined:
      if (kind || nodes.length > 1) {
        // A cluster has database 0 only; a path would be silently ignored, so it is refused.
        if (segments.some(Boolean)) throw new RedisUrlError('a Redis Cluster has no databases: drop the /db from the URL');
        return { mode: 'cluster', nodes, auth };
      }
      if (segments.length > 1) throw new RedisUrlError('a standalone URL ends with /<db>');
      return { mode: 'standalone', endpoint: { ...nodes[0], ...auth, ...(dbNumber(segments[0]) !== undefined && { db: dbNumber(segments[0]) }) } };
    default:
      throw new RedisUrlError(`unknown scheme "${scheme}+${kind}"`);
  }
}

export function isRedisClusterUrl(url: string): boolean {
  return parseRedisUrl(url).mode === 'cluster';
}

/**
 * Client options for a standalone or Sentinel REDIS_URL, for the clients ioredis or BullMQ build
 * themselves. A cluster needs a Cluster client instead (redis-client.ts: createRedisClient,
 * bullConnection): asked for options, it throws rather than connect to one node only.
 */
export function redisOptionsFromUrl(url: string): RedisClientSettings {
  const t = parseRedisUrl(url);
  if (t.mode === 'standalone') return t.endpoint;
  if (t.mode === 'sentinel') {
    return { sentinels: t.sentinels, name: t.name, ...t.auth, ...(t.db !== undefined && { db: t.db }), ...(t.auth.tls && { enableTLSForSentinelMode: true }) };
  }
  throw new RedisUrlError('REDIS_URL is a Redis Cluster: connect with createRedisClient or bullConnection');
}

/**
 * True when every key under `prefix:` hashes to one cluster slot: the prefix starts a hash tag
 * (Redis hashes the text between the first "{" and the next "}" when it is not empty).
 */
export function hasHashTag(prefix: string): boolean {
  return /^[^{]*\{[^}]+\}/.test(prefix);
}
