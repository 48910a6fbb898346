import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOB_QUEUE, JobName, withTimeout, type StatusEventJob } from '@isp/domain';
import { createRedisClient, jobOptions, STATUS_EVENT_DEDUPE_TTL_MS, statusEventRepeatKey } from '@isp/platform';
import { WebhookIngestConfig } from '../config/webhook-ingest.config';
import { EnqueueBatcher } from './enqueue-batcher';

/**
 * SET key fingerprint PX ttl GET for every key, in order, as one command: a pipeline of SETs
 * would cost a command object each and an ioredis pipeline (which copies every BullMQ script
 * onto itself) per batch. Returns 1 where the event is new, 0 where it repeats the previous one.
 */
const MARK_LAST_EVENTS = `
local ttl = ARGV[1]
local isNew = {}
for i, key in ipairs(KEYS) do
  local fingerprint = ARGV[i + 1]
  isNew[i] = redis.call('SET', key, fingerprint, 'PX', ttl, 'GET') == fingerprint and 0 or 1
end
return isNew`;

export class QueueUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`Redis did not accept the job: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'QueueUnavailableError';
  }
}

/**
 * Puts status-event jobs on monitoring-queue. It has its own Redis connection, unlike the
 * platform's queues: offline queue off and a command timeout, so while Redis is away an add
 * fails within ENQUEUE_TIMEOUT_MS (the webhook gets a 503) instead of waiting for a reconnect
 * while the router's request hangs. A resolved `enqueue` means Redis stored the job.
 */
@Injectable()
export class StatusEventProducer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StatusEventProducer.name);
  private readonly connection: Redis;
  readonly queue: Queue;
  private readonly batcher: EnqueueBatcher<StatusEventJob>;
  private lastErrorLogAt = 0;

  constructor(private readonly config: WebhookIngestConfig) {
    this.connection = createRedisClient(config.REDIS_URL, {
      connectionName: 'webhook-ingest-producer',
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: config.ENQUEUE_TIMEOUT_MS,
      connectTimeout: 2000,
      // Keep trying to come back, never more than a second apart: the edge must recover fast.
      retryStrategy: (times) => Math.min(100 * times, 1000),
    });
    this.connection.on('error', (err) => this.logThrottled(`producer Redis connection: ${err.message}`));
    this.queue = new Queue(JOB_QUEUE[JobName.STATUS_EVENT], { connection: this.connection, prefix: config.QUEUE_PREFIX });
    this.queue.on('error', (err) => this.logThrottled(`monitoring-queue: ${err.message}`));
    this.batcher = new EnqueueBatcher((items) => this.addBulk(items), config.ENQUEUE_BATCH_MS, config.ENQUEUE_BATCH_MAX);
  }

  /**
   * The app listens (and answers /health/ready) only after this: with the offline queue off, a
   * webhook arriving before this connection is up would get a 503 although Redis is fine (seen
   * with freshly started replicas behind a load balancer). Bounded, so ingest still starts while
   * Redis is away (it then answers 503 until Redis is back).
   */
  async onApplicationBootstrap(): Promise<void> {
    if (this.connection.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.connection.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, 5000);
      this.connection.once('ready', done);
    });
  }

  async enqueue(job: StatusEventJob): Promise<void> {
    try {
      await this.batcher.add(job);
    } catch (err) {
      throw new QueueUnavailableError(err);
    }
  }

  /**
   * Drops repeats (the previous event of the subject was exactly this one), then stores the rest.
   * One Redis command records each subject's latest event in arrival order, so a batch holding
   * up, down, up for one subscriber keeps all three.
   */
  private async addBulk(items: StatusEventJob[]): Promise<unknown> {
    const marks = items.map((d) => statusEventRepeatKey(this.config.QUEUE_PREFIX, d));
    const isNew = (await this.withTimeout(
      this.connection.eval(MARK_LAST_EVENTS, marks.length, ...marks.map((m) => m.key), STATUS_EVENT_DEDUPE_TTL_MS, ...marks.map((m) => m.fingerprint)),
    )) as number[];
    const fresh = items.filter((_, i) => isNew[i] === 1);
    if (!fresh.length) return;
    const name = JobName.STATUS_EVENT;
    try {
      return await this.withTimeout(this.queue.addBulk(fresh.map((data) => ({ name, data, opts: jobOptions(name, data) }))));
    } catch (err) {
      // Not stored: forget them, so the same event sent again is not taken for a repeat.
      await this.connection.del(...marks.map((m) => m.key)).catch(() => undefined);
      throw err;
    }
  }

  /** commandTimeout covers each command; this also bounds the wait for the connection itself. */
  private withTimeout<T>(p: Promise<T>): Promise<T> {
    return withTimeout(p, this.config.ENQUEUE_TIMEOUT_MS);
  }

  /** Jobs waiting for diagnostics, for the queue depth gauge. */
  async depth(): Promise<Record<string, number>> {
    return this.withTimeout(this.queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'failed'));
  }

  private logThrottled(message: string): void {
    const now = Date.now();
    if (now - this.lastErrorLogAt < 5000) return;
    this.lastErrorLogAt = now;
    this.logger.warn(message);
  }

  async onApplicationShutdown(): Promise<void> {
    this.batcher.run();
    await this.queue.close().catch(() => undefined);
    this.connection.disconnect();
  }
}
