import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { Logger } from 'nestjs-pino';
import type { CommonEnv } from '../config/common-env';
import { httpTimeouts } from './http-timeouts';
import { PrefixedRedisServer } from '../broadcast/prefixed-redis.server';
import { AppMetrics } from '../metrics/app-metrics';
import { instrumentHttp } from '../metrics/http-metrics';

export interface BootstrapOptions {
  config: CommonEnv;
  /** Subscribe to Nest's Redis transport (broadcasts: topology/config/router changes, under QUEUE_PREFIX). */
  broadcasts?: boolean;
  /** Fastify options (body limit, trust proxy...). */
  fastify?: ConstructorParameters<typeof FastifyAdapter>[0];
  configure?: (app: NestFastifyApplication) => void | Promise<void>;
  /** Count HTTP requests by route, method and status (the API gateway). */
  httpMetrics?: boolean;
}

/**
 * Starts an app: Fastify HTTP (API, webhooks, or only health and metrics for workers), optional
 * Redis-transport subscriber for broadcasts, JSON logs, validation, and shutdown hooks so
 * SIGTERM closes workers (in-flight jobs finish or go back to the queue) and connections.
 */
export async function bootstrapApp(module: unknown, opts: BootstrapOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(module as never, new FastifyAdapter({ requestIdHeader: 'x-request-id', genReqId: () => randomUUID(), ...httpTimeouts(opts.config), ...opts.fastify }), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  // Workers wait for their in-flight jobs on close; past the grace period the process exits and
  // BullMQ hands the unfinished jobs (their locks lapse) to another replica.
  process.once('SIGTERM', () => setTimeout(() => process.exit(1), opts.config.SHUTDOWN_GRACE_MS).unref());
  if (opts.broadcasts) {
    app.connectMicroservice({ strategy: new PrefixedRedisServer(opts.config.QUEUE_PREFIX, opts.config.REDIS_URL) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  if (opts.httpMetrics) instrumentHttp(app.getHttpAdapter().getInstance(), app.get(AppMetrics));
  await opts.configure?.(app);
  await app.listen(opts.config.PORT, opts.config.HOST);
  return app;
}

/** Prints a config error (which names every bad variable) and exits, instead of a stack trace. */
export function exitOnConfigError(appName: string, err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${appName}: cannot start.\n${message}\n`);
  process.exit(78); // EX_CONFIG
}
