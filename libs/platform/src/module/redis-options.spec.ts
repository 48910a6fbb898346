import { CommonEnv } from '../config/common-env';
import { ConfigError, loadConfig } from '../config/load-config';
import { hasHashTag, parseRedisUrl, redisOptionsFromUrl } from './redis-options';

const KEY = `k1:${Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64')}`;

function configProblems(env: Record<string, string>): string {
  try {
    loadConfig(CommonEnv, { SECRETS_KEYS: KEY, ...env });
    return '';
  } catch (err) {
    return (err as ConfigError).problems.join('\n');
  }
}

describe('REDIS_URL forms', () => {
  it('a single host is a standalone Redis, with credentials, database and TLS', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379')).toEqual({ mode: 'standalone', endpoint: { host: '127.0.0.1', port: 6379 } });
    expect(parseRedisUrl('rediss://app:s%40cret@redis.example:6380/2')).toEqual({
      mode: 'standalone',
      endpoint: { host: 'redis.example', port: 6380, username: 'app', password: 's@cret', db: 2, tls: {} },
    });
    expect(parseRedisUrl('redis://:pw@redis')).toEqual({ mode: 'standalone', endpoint: { host: 'redis', port: 6379, password: 'pw' } });
  });

  it('a comma-separated seed list or redis+cluster:// is a Redis Cluster', () => {
    const nodes = [
      { host: '127.0.0.1', port: 7001 },
      { host: '127.0.0.1', port: 7002 },
    ];
    expect(parseRedisUrl('redis://127.0.0.1:7001,127.0.0.1:7002')).toEqual({ mode: 'cluster', nodes, auth: {} });
    expect(parseRedisUrl('redis://127.0.0.1:7001,redis://127.0.0.1:7002')).toEqual({ mode: 'cluster', nodes, auth: {} });
    expect(parseRedisUrl('rediss+cluster://:pw@127.0.0.1:7001')).toEqual({ mode: 'cluster', nodes: [nodes[0]], auth: { password: 'pw', tls: {} } });
    expect(() => redisOptionsFromUrl('redis+cluster://127.0.0.1:7001')).toThrow(/Redis Cluster/);
  });

  it('redis+sentinel:// names the sentinels and the master', () => {
    expect(parseRedisUrl('redis+sentinel://:pw@10.0.0.1:26379,10.0.0.2:26380/mymaster/1')).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 26380 },
      ],
      name: 'mymaster',
      db: 1,
      auth: { password: 'pw' },
    });
    expect(redisOptionsFromUrl('redis+sentinel://10.0.0.1:26379/mymaster')).toEqual({ sentinels: [{ host: '10.0.0.1', port: 26379 }], name: 'mymaster' });
  });

  it('refuses what it cannot connect to, saying why', () => {
    expect(() => parseRedisUrl('http://127.0.0.1:6379')).toThrow(/expected redis:\/\//);
    expect(() => parseRedisUrl('redis+sentinel://10.0.0.1:26379')).toThrow(/names its master/);
    expect(() => parseRedisUrl('redis://127.0.0.1:7001,127.0.0.1:7002/1')).toThrow(/no databases/);
    expect(() => parseRedisUrl('redis://127.0.0.1:6379/zero')).toThrow(/not a number/);
    expect(() => parseRedisUrl('redis://127.0.0.1:7001,user@127.0.0.1:7002')).toThrow(/not host:port/);
  });

  it('a hash tag is a non-empty {...} at the start of the key', () => {
    expect(hasHashTag('{isp}')).toBe(true);
    expect(hasHashTag('prod:{isp}')).toBe(true);
    expect(hasHashTag('isp')).toBe(false);
    expect(hasHashTag('{}isp')).toBe(false);
  });
});

describe('REDIS_URL and QUEUE_PREFIX in the validated config', () => {
  it('accepts a cluster with a hash-tagged prefix, and Sentinel with any prefix', () => {
    expect(configProblems({ REDIS_URL: 'redis://127.0.0.1:7001,127.0.0.1:7002', QUEUE_PREFIX: '{isp}' })).toBe('');
    expect(configProblems({ REDIS_URL: 'redis+sentinel://127.0.0.1:26379/mymaster' })).toBe('');
  });

  it('refuses a cluster whose prefix has no hash tag, naming QUEUE_PREFIX and the fix', () => {
    expect(configProblems({ REDIS_URL: 'redis+cluster://127.0.0.1:7001', QUEUE_PREFIX: 'prod' })).toMatch(/^QUEUE_PREFIX: QUEUE_PREFIX must start with a hash tag when REDIS_URL is a Redis Cluster, e\.g\. "\{prod\}"/m);
  });

  it('a bad URL is an error naming REDIS_URL and what is wrong, without its password', () => {
    const problems = configProblems({ REDIS_URL: 'redis+sentinel://:hunter2@127.0.0.1:26379' });
    expect(problems).toMatch(/^REDIS_URL: REDIS_URL must be .* names its master/m);
    expect(problems).not.toContain('hunter2');
  });
});
