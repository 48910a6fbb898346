// The five apps as processes from dist/ (what `npm start` and the images run): each becomes
// ready against the test Redis and store, logs requests as JSON with secrets redacted, exits
// cleanly on SIGTERM, and refuses to start on bad configuration, naming the variable.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretBox } from '@isp/domain';
import { testMongoUrl, testQueuePrefix, testRedisUrl, waitFor } from './support';

const { APPS, appMain, launchApp, stopApp } = require('../tools/stack') as {
  APPS: string[];
  appMain: (app: string) => string;
  launchApp: (app: string, o: { env: Record<string, string>; logDir: string }) => Promise<{ app: string; url: string; child: import('node:child_process').ChildProcess; logFile: string }>;
  stopApp: (child: import('node:child_process').ChildProcess) => Promise<number | string | null>;
};

const logDir = join(process.env.TEST_RUN_DIR ?? '/tmp', 'apps-boot');

describe('the five apps as processes', () => {
  const env = {
    MONGO_URL: testMongoUrl('apps-boot'),
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: testQueuePrefix('apps-boot'),
    SECRETS_KEYS: SecretBox.generateKey('k1'),
    JWT_SECRET: 'x'.repeat(40),
    ADMIN_EMAIL: 'admin@example.net',
    ADMIN_PASSWORD: 'a-long-enough-password',
    HEARTBEAT_ENABLED: 'false',
    RECONCILE_SCHEDULER: 'false',
    LOG_LEVEL: 'info',
  };
  let apps: Awaited<ReturnType<typeof launchApp>>[] = [];

  afterAll(async () => {
    await Promise.all(apps.map((a) => stopApp(a.child)));
  });

  it('all become ready (Mongo and Redis up)', async () => {
    apps = await Promise.all(APPS.map((app) => launchApp(app, { env, logDir })));
    for (const a of apps) {
      const body = (await (await fetch(`${a.url}/health/ready`)).json()) as { info: Record<string, { status: string }> };
      expect(body.info).toMatchObject({ mongo: { status: 'up' }, redis: { status: 'up' } });
    }
  });

  it('logs each request as JSON with its request id and without credentials', async () => {
    const ingest = apps.find((a) => a.app === 'webhook-ingest')!;
    await fetch(`${ingest.url}/api/webhooks/mikrotik/ppp-status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-boot-1', 'x-webhook-token': 'rt_SECRET_TOKEN_VALUE', authorization: 'Bearer SECRET_JWT_VALUE' },
      body: JSON.stringify({ event: 'down', user: 'alice' }),
    });
    const line = await waitFor(() => readFileSync(ingest.logFile, 'utf8').split('\n').find((l) => l.includes('"req-boot-1"') && l.includes('request completed')), { message: 'request log line' });
    const entry = JSON.parse(line);
    expect(entry.req.headers['x-webhook-token']).toBe('[redacted]');
    expect(entry.req.headers.authorization).toBe('[redacted]');
    expect(entry.res.statusCode).toBe(401);
    expect(readFileSync(ingest.logFile, 'utf8')).not.toContain('SECRET_');
  });

  it('stop on SIGTERM within the grace period (shutdown hooks ran, no SIGKILL needed)', async () => {
    const codes = await Promise.all(apps.map((a) => stopApp(a.child)));
    for (const [i, code] of codes.entries()) {
      expect([0, 'SIGTERM']).toContain(code);
      expect(readFileSync(apps[i].logFile, 'utf8')).not.toMatch(/"level":50/);
    }
    apps = [];
  });

  it.each(APPS)('%s refuses a malformed configuration and names the variable', (app) => {
    const r = spawnSync(process.execPath, [appMain(app)], {
      env: { ...env, PORT: 'not-a-port', SECRETS_KEYS: 'oops', PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      timeout: 30000,
    });
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/^ {2}- PORT: .*\(got "not-a-port"\)$/m);
    expect(r.stderr).toMatch(/^ {2}- SECRETS_KEYS: /m);
  });
});
