import { IsOptional, IsString, Matches, MinLength } from 'class-validator';
import { CommonEnv } from './common-env';
import { ConfigError, loadConfig, printableValue } from './load-config';
import { NotPlaceholder } from './placeholder';

/** The secret-bearing variables of the apps' configs, with the same rules (api-gateway, notifier). */
class SecretsEnv extends CommonEnv {
  @IsString()
  @MinLength(32)
  @NotPlaceholder()
  JWT_SECRET!: string;

  @IsOptional()
  @MinLength(12)
  @NotPlaceholder()
  ADMIN_PASSWORD?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9-]+:\s?.+$/)
  SMS_AUTH_HEADER?: string;

  @IsOptional()
  @MinLength(32)
  TWILIO_AUTH_TOKEN?: string;

  @IsOptional()
  @Matches(/^smtps?:\/\//)
  SMTP_URL?: string;

  @IsOptional()
  @Matches(/^https?:\/\//)
  SMS_URL?: string;
}

const GOOD_KEY = `k1:${Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 1)).toString('base64')}`;
const GOOD = { SECRETS_KEYS: GOOD_KEY, JWT_SECRET: 'j'.repeat(20) + 'Q9v2kLm7Xw3pRt5y' };

function problems(env: Record<string, string>): string {
  try {
    loadConfig(SecretsEnv, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('the configuration was accepted');
}

describe('config errors never print a secret (issue 15, item 5)', () => {
  it('accepts a good environment', () => {
    expect(loadConfig(SecretsEnv, GOOD).JWT_SECRET).toBe(GOOD.JWT_SECRET);
  });

  it('names the variable and the rule of a malformed keyring, never the keys', () => {
    const keyring = `${GOOD_KEY},k2:c2hvcnQta2V5LW1hdGVyaWFs`; // second key too short
    const text = problems({ ...GOOD, SECRETS_KEYS: keyring });
    expect(text).toMatch(/^ {2}- SECRETS_KEYS: SECRETS_KEYS must be "kid:base64\(32 bytes\)/m);
    expect(text).not.toContain(GOOD_KEY.split(':')[1]);
    expect(text).not.toContain('c2hvcnQta2V5LW1hdGVyaWFs');
  });

  it.each([
    ['JWT_SECRET', 'too-short-jwt-secret-s3cr3t'],
    ['SMS_AUTH_HEADER', 'Bearer tok-very-s3cr3t-value'],
    ['TWILIO_AUTH_TOKEN', 'tw-s3cr3t'],
    ['ADMIN_PASSWORD', 's3cr3t'],
  ])('%s: rule named, value not shown', (name, value) => {
    const text = problems({ ...GOOD, [name]: value });
    expect(text).toMatch(new RegExp(`^ {2}- ${name}: `, 'm'));
    expect(text).not.toContain(value);
    expect(text).not.toContain('s3cr3t');
  });

  it.each([
    ['MONGO_URL', 'http://isp:pa55@w0rd@db:27017/isp', 'http://***@db:27017/isp'],
    ['REDIS_URL', 'tcp://:r3dis-pa55@redis:6379/0', 'tcp://***@redis:6379/0'],
    ['SMTP_URL', 'mail:sm7p-pa55@smtp.example.net:587', '***@smtp.example.net:587'],
    ['SMS_URL', 'ftp://sms.example.net/send?api_key=k3y-pa55&to=1', 'ftp://sms.example.net/send?api_key=***&to=1'],
  ])('%s: a rejected URL is shown without its password', (name, value, shown) => {
    const text = problems({ ...GOOD, [name]: value });
    expect(text).toContain(`(got ${JSON.stringify(shown)})`);
    expect(text).not.toMatch(/pa55/);
  });

  it('still shows values that are not secrets, so the error stays useful', () => {
    expect(problems({ ...GOOD, PORT: 'abc', LOG_LEVEL: 'loud' })).toMatch(/^ {2}- PORT: .*\(got "abc"\)$/m);
    expect(printableValue('QUEUE_PREFIX', 'a b')).toBe('"a b"');
    expect(printableValue('SECRETS_KEYS', undefined)).toBe('nothing');
  });
});

describe('placeholder secrets are refused at start-up (issue 15, item 8)', () => {
  it.each([
    ['SECRETS_KEYS', 'example:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', /SECRETS_KEYS holds a placeholder key/],
    ['SECRETS_KEYS', `${GOOD_KEY},old:${Buffer.alloc(32, 0xff).toString('base64')}`, /SECRETS_KEYS holds a placeholder key/],
    ['JWT_SECRET', 'CHANGE-ME-example-jwt-secret-not-for-production', /JWT_SECRET holds a placeholder/],
    ['ADMIN_PASSWORD', 'CHANGE-ME-example-only', /ADMIN_PASSWORD holds a placeholder/],
    ['MONGO_URL', 'mongodb://isp:CHANGE-ME@mongo-0.mongo:27017/isp', /MONGO_URL holds a placeholder/],
    ['REDIS_URL', 'redis://:change_me@redis:6379/0', /REDIS_URL holds a placeholder/],
  ])('%s = example value is refused, named, and not echoed', (name, value, rule) => {
    const text = problems({ ...GOOD, [name]: value });
    expect(text).toMatch(rule);
    expect(text).not.toContain(value);
  });

  it('accepts real-looking values that merely contain "example" (a host name)', () => {
    expect(loadConfig(SecretsEnv, { ...GOOD, MONGO_URL: 'mongodb://isp:Xk2p9Lq@db.example.net:27017/isp' }).MONGO_URL).toContain('db.example.net');
  });
});
