// The Nest platform every app stands on: the platform module (Mongo, Redis, BullMQ, health, logs),
// config loading, bootstrap, and typed job production and processing. Depends on @isp/data and
// @isp/domain.
export * from './config/load-config';
export * from './config/common-env';
export * from './config/placeholder';
export * from './module/platform.module';
export * from './module/platform.tokens';
export * from './module/bootstrap';
export * from './module/redis-options';
export * from './module/redis-client';
export * from './module/redis-lock';
export * from './config/redis-env';
export * from './module/log-redaction';
export * from './jobs/job-options';
export * from './jobs/job-producer';
export * from './jobs/queue-processor';
export * from './jobs/worker-options';
export * from './jobs/live-check.client';
export * from './jobs/queues-on-url';
export * from './config/mongo-env';
export * from './config/mongo-options';
export * from './module/http-timeouts';
export * from './feed/feed-publisher';
export * from './broadcast/broadcast-publisher';
export * from './broadcast/prefixed-redis.server';
export * from './tokens/webhook-token-issuer';
export * from './metrics/app-metrics';
export * from './metrics/http-metrics';
export * from './metrics/pool-metrics.exporter';
