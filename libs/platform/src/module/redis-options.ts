/** Connection settings split out of a redis:// or rediss:// URL (BullMQ and Nest's Redis transport want them split). */
export interface RedisEndpoint {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: Record<string, never>;
}

export function redisOptionsFromUrl(url: string): RedisEndpoint {
  const u = new URL(url);
  const db = u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : undefined;
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    ...(u.username && { username: decodeURIComponent(u.username) }),
    ...(u.password && { password: decodeURIComponent(u.password) }),
    ...(db !== undefined && !Number.isNaN(db) && { db }),
    ...(u.protocol === 'rediss:' && { tls: {} }),
  };
}
