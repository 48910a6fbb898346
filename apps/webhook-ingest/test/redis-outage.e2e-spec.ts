import { join } from 'node:path';
import { WebhookKind } from '@isp/domain';
import { testMongoUrl, testQueuePrefix, waitFor } from '../../../test/support';
import { seedRouter, send, startIngest, statusJobs, type Harness } from './ingest-harness';

// A Redis of this file's own, so stopping it does not disturb other specs.
const { startRedis, ROOT } = require('../../../tools/infra') as {
  startRedis: (o: { dir: string; port?: number }) => Promise<{ url: string; port: number; stop: () => Promise<void> }>;
  ROOT: string;
};

describe('webhook-ingest when Redis goes away (e2e)', () => {
  const dir = join(ROOT, '.local', 'test', `ingest-redis-outage-${process.pid}`);
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let h: Harness;

  beforeAll(async () => {
    redis = await startRedis({ dir });
    h = await startIngest({
      MONGO_URL: testMongoUrl('ingest-redis-outage'),
      REDIS_URL: redis.url,
      QUEUE_PREFIX: testQueuePrefix('ingest-redis-outage'),
      ENQUEUE_TIMEOUT_MS: '500',
    });
  });
  afterAll(async () => {
    await h?.close();
    await redis?.stop();
  });

  it('answers 503 (never 202) while Redis is down, and 202 again once it is back', async () => {
    const r = await seedRouter(h);
    const event = (user: string) => ({ kind: WebhookKind.PPP, token: r.token, json: { event: 'down', user } });
    expect((await send(h, event('before'))).status).toBe(202);

    await redis.stop();
    for (const user of ['during-1', 'during-2', 'during-3']) {
      const res = await send(h, event(user));
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ reason: 'queue_unavailable', message: expect.stringContaining('not stored') });
      expect(res.headers['retry-after']).toBe('5');
    }

    redis = await startRedis({ dir, port: redis.port });
    await waitFor(async () => (await send(h, event('after'))).status === 202, { timeoutMs: 20000, message: 'ingest accepts again after Redis restarted' });
    // The restarted Redis is empty (no persistence): exactly the event accepted after recovery is there.
    const jobs = await statusJobs(h, r.id);
    expect(jobs.map((j) => (j.data.subject as { username: string }).username)).toEqual(['after']);

    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/webhook_events_rejected_total\{reason="queue_unavailable"\} [3-9]/);
  });
});
