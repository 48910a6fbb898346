// The acknowledge link's token is a credential: on the gateway as a process from dist/ (what the
// images run), with its JSON log, no part of a token shows after links were previewed, used and
// refused; the request lines carry `ack_token=[redacted]` instead.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { repositoriesOn } from '@isp/data';
import { SecretBox, signAckLink } from '@isp/domain';
import { testMongoUrl, testQueuePrefix, testRedisUrl, waitFor } from '../../../test/support';

const { launchApp, stopApp } = require('../../../tools/stack') as {
  launchApp: (app: string, o: { env: Record<string, string>; logDir: string; label?: string }) => Promise<{ url: string; child: import('node:child_process').ChildProcess; logFile: string }>;
  stopApp: (child: import('node:child_process').ChildProcess) => Promise<number | string | null>;
};

describe('acknowledge link tokens stay out of the gateway log', () => {
  const logDir = join(process.env.TEST_RUN_DIR ?? '/tmp', `ack-link-logs-${randomBytes(3).toString('hex')}`);
  const mongoUrl = testMongoUrl('ack-link-logs');
  const secret = randomBytes(24).toString('hex');
  let gw: Awaited<ReturnType<typeof launchApp>> | undefined;
  let conn: mongoose.Connection;

  beforeAll(async () => {
    conn = await mongoose.createConnection(mongoUrl).asPromise();
    gw = await launchApp('api-gateway', {
      logDir,
      env: {
        NODE_ENV: 'production',
        MONGO_URL: mongoUrl,
        REDIS_URL: testRedisUrl(),
        QUEUE_PREFIX: testQueuePrefix('ack-link-logs'),
        SECRETS_KEYS: SecretBox.generateKey('k1'),
        JWT_SECRET: randomBytes(32).toString('hex'),
        ACK_LINK_SECRET: secret,
        LOG_LEVEL: 'info',
      },
    });
  });

  afterAll(async () => {
    if (gw) await stopApp(gw.child);
    await conn?.close();
  });

  it('logs the link requests with the token redacted, whether they worked or not', async () => {
    const repos = repositoriesOn(conn);
    const contact = await repos.contacts.create({ name: 'Log Reader', level: 2, email: 'reader@isp.test' });
    const { incident } = await repos.incidents.openOrGet({
      rootCause: { kind: 'device', id: new Types.ObjectId(), name: 'LOG-SECTOR', type: 'sector' },
      building: null,
      level: 2,
      openedAt: new Date(),
      impactedDevices: 1,
      impactedSubscribers: 1,
      path: [],
    });
    const token = signAckLink({ incidentId: String(incident._id), contactId: String(contact._id), expiresAt: Date.now() + 3600_000 }, secret);
    const [, claims, mac] = token.split('.');
    const tampered = `a1.${claims}.${mac.slice(0, -6)}ZZZZZZ`;
    const url = (t: string) => `${gw!.url}/api/v1/ack-links?ack_token=${t}`;
    expect((await fetch(url(token))).status).toBe(200);
    expect((await fetch(url(token), { method: 'POST' })).status).toBe(200);
    expect((await fetch(url(token), { method: 'POST' })).status).toBe(409);
    expect((await fetch(url(tampered), { method: 'POST' })).status).toBe(401);
    expect((await repos.incidents.findById(incident._id))?.acknowledgedBy).toBe('contact:Log Reader');

    await waitFor(() => (readFileSync(gw!.logFile, 'utf8').match(/\/api\/v1\/ack-links\?ack_token=\[redacted\]/g) ?? []).length >= 4, { timeoutMs: 15000, message: 'four redacted request lines' });
    const { logFile, child } = gw!;
    expect(await stopApp(child)).not.toBe('SIGKILL');
    gw = undefined;
    const log = readFileSync(logFile, 'utf8');
    for (const secretPart of [claims, mac, tampered.split('.')[2]]) expect(log).not.toContain(secretPart);
  });
});
