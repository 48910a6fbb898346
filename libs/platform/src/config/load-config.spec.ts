import { CommonEnv } from './common-env';
import { ConfigError, loadConfig } from './load-config';

const KEY = `k1:${Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64')}`;

describe('loadConfig', () => {
  it('applies defaults and converts numbers', () => {
    const c = loadConfig(CommonEnv, { SECRETS_KEYS: KEY, PORT: '4000' });
    expect(c.PORT).toBe(4000);
    expect(c.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(c.QUEUE_PREFIX).toBe('isp');
  });

  it('names every bad variable in one error', () => {
    let err: unknown;
    try {
      loadConfig(CommonEnv, { PORT: 'abc', MONGO_URL: 'http://nope', LOG_LEVEL: 'loud' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT: .*\(got "abc"\)/m);
    expect(problems).toMatch(/^MONGO_URL: /m);
    expect(problems).toMatch(/^LOG_LEVEL: /m);
    expect(problems).toMatch(/^SECRETS_KEYS: .*\(got nothing\)/m);
  });
});
