/**
 * The practical ceiling for the ingest benchmark: a bare Fastify route doing the same BullMQ add
 * as webhook-ingest (same repeat check, queue, job name, options and Redis connection settings) and nothing
 * else: no Nest, no auth, no validation, no logging. Started as a child process by
 * ingest.bench.ts; prints "listening <port>" when ready.
 */
import 'reflect-metadata';
import Fastify from 'fastify';
import { parse as parseForm } from 'node:querystring';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { JobName, QueueName, type StatusEventJob } from '@isp/domain';
import { jobOptions, redisOptionsFromUrl, STATUS_EVENT_DEDUPE_TTL_MS, statusEventRepeatKey } from '@isp/platform';

async function main() {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const connection = new Redis({ ...redisOptionsFromUrl(redisUrl), enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 1000 });
  await new Promise((resolve) => connection.once('ready', resolve));
  const queue = new Queue(QueueName.MONITORING, { connection, prefix: process.env.QUEUE_PREFIX ?? 'ceiling' });
  const app = Fastify({ bodyLimit: 16 * 1024 });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, parseForm(String(body))));
  app.post('/api/webhooks/mikrotik/:kind', async (req, reply) => {
    const b = req.body as Record<string, string>;
    const now = new Date().toISOString();
    const job: StatusEventJob = {
      routerId: String(req.headers['x-webhook-token'] ?? '').slice(3, 27),
      source: 'ppp-status',
      subject: { kind: 'ppp', username: b.user ?? b.mac ?? b.host ?? '' },
      event: 'down',
      at: now,
      receivedAt: now,
      ...(b.ts && { routerTime: b.ts }),
    };
    // The same Redis work per event as ingest: the repeat check, then the add.
    const { key, fingerprint } = statusEventRepeatKey(process.env.QUEUE_PREFIX ?? 'ceiling', job);
    if ((await connection.set(key, fingerprint, 'PX', STATUS_EVENT_DEDUPE_TTL_MS, 'GET')) !== fingerprint) {
      await queue.add(JobName.STATUS_EVENT, job, jobOptions(JobName.STATUS_EVENT, job));
    }
    return reply.code(202).send({ accepted: true });
  });
  const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
  process.stdout.write(`listening ${new URL(address).port}\n`);
  const stop = async () => {
    await app.close();
    await queue.close();
    connection.disconnect();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

void main();
