import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { DynamicModule, Inject, Logger, Module, OnApplicationShutdown, Provider, type Type } from '@nestjs/common';
import type { ConnectionOptions, Queue } from 'bullmq';
import { MongooseModule } from '@nestjs/mongoose';
import { TerminusModule } from '@nestjs/terminus';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LoggerModule } from 'nestjs-pino';
import { destination } from 'pino';
import { CommonEnv } from '../config/common-env';
import { SecretBox } from '@isp/domain';
import { DOMAIN_MODELS } from '@isp/data';
import { REPOSITORIES } from '@isp/data';
import { BroadcastPublisher } from '../broadcast/broadcast-publisher';
import { FeedPublisher } from '../feed/feed-publisher';
import { WebhookTokenIssuer } from '../tokens/webhook-token-issuer';
import type { JobSettings } from '../jobs/job-options';
import { JOB_SETTINGS, JobProducer } from '../jobs/job-producer';
import type { QueueName } from '@isp/domain';
import { mongoOptions } from '../config/mongo-options';
import { HealthController } from './health.controller';
import { AppMetrics } from '../metrics/app-metrics';
import { MetricsController } from '../metrics/metrics.controller';
import { exportQueueMetrics } from '../metrics/queue-metrics';
import { REDACT_PATHS, redactUrl } from './log-redaction';
import { PLATFORM_REDIS, SECRET_BOX } from './platform.tokens';
import { bullConnection, closeBullConnection, createRedisClient } from './redis-client';

export interface PlatformOptions {
  appName: string;
  /**
   * The app's validated config (loadConfig), an instance of its config class: it is provided
   * under that class and under CommonEnv, so services inject it by type (no token, no cast).
   */
  config: CommonEnv;
  /** Queues this app produces to or consumes from. */
  queues?: readonly QueueName[];
  /** Job options that come from this app's config (JobProducer applies them). */
  jobs?: JobSettings;
}

/** Registers the queue-depth gauges of the app's queues (a provider so it runs once, at start). */
const QUEUE_METRICS = Symbol('QUEUE_METRICS');

/** BullMQ's shared connection when REDIS_URL is a cluster (bullConnection); options otherwise. */
const BULL_CONNECTION = Symbol('BULL_CONNECTION');

class RedisCloser implements OnApplicationShutdown {
  constructor(
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    @Inject(BULL_CONNECTION) private readonly bull: ConnectionOptions,
  ) {}
  // PlatformModule is global, and Nest shuts global modules down in reverse order of
  // registration: this runs after BullModule (imported below) has closed the queues and workers.
  async onApplicationShutdown() {
    await this.redis.quit().catch(() => this.redis.disconnect());
    await closeBullConnection(this.bull);
  }
}

/**
 * What every app stands on: JSON logs with secrets redacted, MongoDB with the domain models and
 * repositories, BullMQ on Redis, health endpoints, the secrets keyring, the typed job producer, the
 * dashboard feed and broadcast publishers, the webhook-token issuer, and Prometheus metrics at
 * GET /metrics (the process's own, the queues' depths, and whatever the app counts in AppMetrics).
 */
@Module({})
export class PlatformModule {
  static forRoot({ appName, config, queues = [], jobs = {} }: PlatformOptions): DynamicModule {
    if (!(config instanceof CommonEnv)) throw new Error(`${appName}: PlatformModule needs the config loaded by loadConfig (an instance of the app's config class)`);
    const configClass = config.constructor as Type<CommonEnv>;
    const connection = bullConnection(config.REDIS_URL, `${appName}-bullmq`);
    const providers: Provider[] = [
      { provide: CommonEnv, useValue: config },
      ...(configClass !== CommonEnv ? [{ provide: configClass, useValue: config }] : []),
      ...REPOSITORIES,
      JobProducer,
      {
        provide: JOB_SETTINGS,
        useValue: { outageRetry: { windowMs: config.JOB_OUTAGE_RETRY_WINDOW_MS, firstDelayMs: config.JOB_OUTAGE_RETRY_FIRST_DELAY_MS, maxDelayMs: config.JOB_OUTAGE_RETRY_MAX_DELAY_MS }, ...jobs } satisfies JobSettings,
      },
      FeedPublisher,
      { provide: BroadcastPublisher, useFactory: (redis: Redis) => new BroadcastPublisher(redis, config.QUEUE_PREFIX), inject: [PLATFORM_REDIS] },
      WebhookTokenIssuer,
      RedisCloser,
      { provide: BULL_CONNECTION, useValue: connection },
      AppMetrics,
      {
        provide: QUEUE_METRICS,
        inject: [AppMetrics, ...queues.map((name) => getQueueToken(name))],
        useFactory: (metrics: AppMetrics, ...qs: Queue[]) => {
          const log = new Logger('QueueMetrics');
          exportQueueMetrics(metrics, qs, (err) => log.warn(`queue depth unavailable: ${err.message}`));
          return true;
        },
      },
      { provide: SECRET_BOX, useFactory: () => new SecretBox(config.SECRETS_KEYS) },
      {
        provide: PLATFORM_REDIS,
        // Only this client gets a command timeout: BullMQ's workers block on their connections.
        useFactory: () => createRedisClient(config.REDIS_URL, { maxRetriesPerRequest: 1, commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS, connectionName: `${appName}-platform` }),
      },
    ];
    return {
      module: PlatformModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          // nestjs-pino's default route pattern ('{/*splat}' + RequestMethod.ALL) matches nothing
          // under Nest 12's Fastify adapter, so no request was ever logged; a plain wildcard does.
          // Every app, webhook-ingest included, runs its Nest routes in the per-request context
          // (an AsyncLocalStorage): on Node 24 that costs nothing measurable (docs/decisions.md).
          forRoutes: ['{*splat}'],
          // Written asynchronously (flushed synchronously on exit): a synchronous write per request
          // line held the event loop for each write(2), most of the gateway's per-request cost over
          // its bare ceiling under load (bench/status profile). Lines still go out as they come.
          pinoHttp: [
            {
              name: appName,
              level: config.LOG_LEVEL,
              redact: { paths: REDACT_PATHS, censor: '[redacted]' },
              // The request line's URL carries any query token: redacted here, for every app.
              serializers: { req: (req: { url?: string }) => Object.assign(req, { url: redactUrl(req.url) }) },
              genReqId: (req) => (req.headers['x-request-id'] as string) || randomUUID(),
              autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') || (req.url ?? '').startsWith('/metrics') },
              quietReqLogger: false,
              customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
            },
            destination({ dest: 1, sync: false }),
          ],
        }),
        MongooseModule.forRoot(config.MONGO_URL, { ...mongoOptions(config), connectionFactory: (c) => c }),
        MongooseModule.forFeature(DOMAIN_MODELS),
        BullModule.forRoot({ connection, prefix: config.QUEUE_PREFIX }),
        ...(queues.length ? [BullModule.registerQueue(...queues.map((name) => ({ name })))] : []),
        TerminusModule,
      ],
      controllers: [HealthController, MetricsController],
      providers,
      exports: [MongooseModule, BullModule, ...providers.filter((p) => p !== RedisCloser)],
    };
  }
}
