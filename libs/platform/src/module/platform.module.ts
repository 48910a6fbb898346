import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Inject, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { TerminusModule } from '@nestjs/terminus';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { LoggerModule } from 'nestjs-pino';
import type { CommonEnv } from '../config/common-env';
import { SecretBox } from '@isp/domain';
import { DOMAIN_MODELS } from '@isp/data';
import { REPOSITORIES } from '@isp/data';
import { JobProducer } from '../jobs/job-producer';
import type { QueueName } from '@isp/domain';
import { HealthController } from './health.controller';
import { REDACT_PATHS, redactUrl } from './log-redaction';
import { PLATFORM_CONFIG, PLATFORM_REDIS, SECRET_BOX } from './platform.tokens';
import { redisOptionsFromUrl } from './redis-options';

export interface PlatformOptions {
  appName: string;
  config: CommonEnv;
  /** Queues this app produces to or consumes from. */
  queues?: readonly QueueName[];
  /**
   * Whether Nest's HTTP routes run in a per-request logging context (nestjs-pino's middleware:
   * the request line, and the request id on every line logged while handling the request). The
   * context is an AsyncLocalStorage, and once one has been entered Node 20 runs async hooks on
   * every promise in the process, which cost the webhook edge a fifth of its throughput (bench
   * ingest). webhook-ingest turns it off: its webhook routes log their own request lines
   * (webhook.routes.ts), and its only Nest routes, /health and /metrics, are not logged anyway.
   */
  requestContext?: boolean;
}

class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(PLATFORM_REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown() {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * What every app stands on: JSON logs with secrets redacted, MongoDB with the domain models and
 * repositories, BullMQ on Redis, health endpoints, the secrets keyring and the typed job producer.
 */
@Module({})
export class PlatformModule {
  static forRoot({ appName, config, queues = [], requestContext = true }: PlatformOptions): DynamicModule {
    const providers: Provider[] = [
      ...REPOSITORIES,
      JobProducer,
      RedisCloser,
      { provide: PLATFORM_CONFIG, useValue: config },
      { provide: SECRET_BOX, useFactory: () => new SecretBox(config.SECRETS_KEYS) },
      {
        provide: PLATFORM_REDIS,
        useFactory: () => new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, connectionName: `${appName}-platform` }),
      },
    ];
    return {
      module: PlatformModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          // nestjs-pino's default route pattern ('{/*splat}' + RequestMethod.ALL) matches nothing
          // under Nest 12's Fastify adapter, so no request was ever logged; a plain wildcard does.
          forRoutes: requestContext ? ['{*splat}'] : [],
          pinoHttp: {
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
        }),
        MongooseModule.forRoot(config.MONGO_URL, { serverSelectionTimeoutMS: 5000, connectionFactory: (c) => c }),
        MongooseModule.forFeature(DOMAIN_MODELS),
        BullModule.forRoot({ connection: redisOptionsFromUrl(config.REDIS_URL), prefix: config.QUEUE_PREFIX }),
        ...(queues.length ? [BullModule.registerQueue(...queues.map((name) => ({ name })))] : []),
        TerminusModule,
      ],
      controllers: [HealthController],
      providers,
      exports: [MongooseModule, BullModule, ...providers.filter((p) => p !== RedisCloser)],
    };
  }
}
