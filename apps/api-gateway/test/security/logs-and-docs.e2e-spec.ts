// Issue 15 items 3 and 14, on the gateway as a process from dist/ (what the images run), with
// its JSON log: no JWT, ticket or board session in any log line after the feed and Bull Board
// were opened from a browser's point of view (EventSource and Bull Board's pages cannot send
// headers: single-use tickets, query tokens refused), and in production the OpenAPI docs are off
// unless switched on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '@isp/domain';
import { testMongoUrl, testQueuePrefix, testRedisUrl, waitFor } from '../../../../test/support';

const { launchApp, stopApp } = require('../../../../tools/stack') as {
  launchApp: (app: string, o: { env: Record<string, string>; logDir: string; label?: string }) => Promise<{ url: string; child: import('node:child_process').ChildProcess; logFile: string }>;
  stopApp: (child: import('node:child_process').ChildProcess) => Promise<number | string | null>;
};

describe('gateway logs and docs in production (issue 15 items 3 and 14)', () => {
  const logDir = join(process.env.TEST_RUN_DIR ?? '/tmp', `security-logs-${randomBytes(3).toString('hex')}`);
  const email = 'admin@example.net';
  const password = randomBytes(12).toString('hex');
  let gw: Awaited<ReturnType<typeof launchApp>> | undefined;

  beforeAll(async () => {
    gw = await launchApp('api-gateway', {
      logDir,
      env: {
        NODE_ENV: 'production',
        MONGO_URL: testMongoUrl('security-logs'),
        REDIS_URL: testRedisUrl(),
        QUEUE_PREFIX: testQueuePrefix('security-logs'),
        SECRETS_KEYS: SecretBox.generateKey('k1'),
        JWT_SECRET: randomBytes(32).toString('hex'),
        ADMIN_EMAIL: email,
        ADMIN_PASSWORD: password,
        BCRYPT_ROUNDS: '4',
        LOG_LEVEL: 'info',
      },
    });
  });

  afterAll(async () => {
    if (gw) await stopApp(gw.child);
  });

  it('serves no OpenAPI docs in production unless API_DOCS is set (the demo sets it)', async () => {
    expect((await fetch(`${gw!.url}/api/docs-json`)).status).toBe(404);
    expect((await fetch(`${gw!.url}/api/docs`)).status).toBe(404);
  });

  it('redacts access_token and ticket from every logged URL (feed, Bull Board, any route)', async () => {
    const { url, logFile } = gw!;
    const login = await waitFor(async () => {
      const r = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
      return r.status === 200 ? ((await r.json()) as { accessToken: string }) : null;
    });
    const jwt = login.accessToken;
    const signature = jwt.split('.')[2];

    // The feed takes no token in the query any more (refused, and still not logged), only a
    // single-use ticket, which is cut out of the request line too.
    expect((await fetch(`${url}/api/v1/feed?type=incident&access_token=${jwt}`)).status).toBe(401);
    const ticketRes = await fetch(`${url}/api/v1/feed/ticket`, { method: 'POST', headers: { authorization: `Bearer ${jwt}` } });
    expect(ticketRes.status).toBe(200);
    const { ticket } = (await ticketRes.json()) as { ticket: string };
    const abort = new AbortController();
    const feed = await fetch(`${url}/api/v1/feed?type=incident&ticket=${ticket}`, { headers: { accept: 'text/event-stream' }, signal: abort.signal });
    expect(feed.status).toBe(200);
    abort.abort();
    // Bull Board: no token in the query (refused, and not logged); a single-use ticket is
    // exchanged once for an opaque HttpOnly/Secure/SameSite=Strict session cookie.
    expect((await fetch(`${url}/api/admin/queues?access_token=${jwt}`)).status).toBe(401);
    const boardTicket = ((await (await fetch(`${url}/api/v1/feed/ticket`, { method: 'POST', headers: { authorization: `Bearer ${jwt}` } })).json()) as { ticket: string }).ticket;
    const opened = await fetch(`${url}/api/admin/queues?ticket=${boardTicket}`, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/api/admin/queues');
    const cookie = opened.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^bb_session=[A-Za-z0-9_-]{40,}; Path=\/api\/admin\/queues; HttpOnly; Secure; SameSite=Strict$/);
    expect(cookie).not.toContain(signature);
    const board = await fetch(`${url}/api/admin/queues`, { headers: { cookie: cookie.split(';')[0] } });
    expect(board.status).toBe(200);
    await board.text();
    // The ticket worked once; a forged session cookie opens nothing.
    expect((await fetch(`${url}/api/admin/queues?ticket=${boardTicket}`, { redirect: 'manual' })).status).toBe(401);
    expect((await fetch(`${url}/api/admin/queues`, { headers: { cookie: 'bb_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } })).status).toBe(401);
    // Any route, any credential parameter (a feed ticket, say), wherever it sits in the query.
    // (The incidents query knows no ticket: refused with a 400, and logged like any request.)
    expect((await fetch(`${url}/api/v1/incidents?ticket=TICKET-SECRET-123&limit=1`, { headers: { authorization: `Bearer ${jwt}` } })).status).toBe(400);

    await waitFor(
      () => {
        const log = readFileSync(logFile, 'utf8');
        return log.includes('/api/admin/queues?access_token=[redacted]') && log.includes('/api/admin/queues?ticket=[redacted]') && log.includes('ticket=[redacted]&limit=1') && log.includes('/api/v1/feed?type=incident&access_token=[redacted]') && log.includes('/api/v1/feed?type=incident&ticket=[redacted]');
      },
      { timeoutMs: 15000, message: 'request lines with redacted URLs' },
    );
    expect(await stopApp(gw!.child)).not.toBe('SIGKILL');
    gw = undefined;
    const log = readFileSync(logFile, 'utf8');
    expect(log).not.toContain(signature);
    expect(log).not.toContain('TICKET-SECRET-123');
    expect(log).not.toContain(ticket);
    expect(log).not.toContain(boardTicket);
    expect(log).not.toContain(cookie.split(';')[0].split('=')[1]);
  });
});
