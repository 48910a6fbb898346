import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { MongoEnv } from './mongo-env';
import { NotPlaceholder } from './placeholder';
import { HashTaggedOnCluster, IsRedisUrl } from './redis-env';

/**
 * Variables every app reads. Each app's config extends this with its own and is the only place
 * that reads process.env. Defaults suit a local run; production sets them explicitly.
 */
export class CommonEnv extends MongoEnv {
  @IsString()
  @Matches(/^mongodb(\+srv)?:\/\//, { message: 'MONGO_URL must be a mongodb:// or mongodb+srv:// URL' })
  @NotPlaceholder()
  MONGO_URL = 'mongodb://127.0.0.1:27017/isp';

  /** Standalone, Redis Cluster or Sentinel: the URL forms are in redis-options.ts and the README. */
  @IsString()
  @IsRedisUrl()
  @NotPlaceholder()
  REDIS_URL = 'redis://127.0.0.1:6379';

  /**
   * Prefix of every Redis key and channel (BullMQ's and ours): lets several deployments (or test
   * files) share one Redis. On a Redis Cluster it must start with a hash tag, e.g. "{isp}".
   */
  @IsString()
  @Matches(/^[a-zA-Z0-9:_{}-]+$/)
  @HashTaggedOnCluster()
  QUEUE_PREFIX = 'isp';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Port of the app's HTTP server (API, webhooks, or health/metrics for workers). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /**
   * Keyring for secrets at rest: "kid:base64key[,kid:base64key...]", 32-byte keys, the first one
   * encrypts, all decrypt (rotation). Required: there is no safe default.
   */
  @IsString()
  @Matches(/^[a-zA-Z0-9_-]+:[A-Za-z0-9+/=]{43,44}(,[a-zA-Z0-9_-]+:[A-Za-z0-9+/=]{43,44})*$/, {
    message: 'SECRETS_KEYS must be "kid:base64(32 bytes)[,kid:base64(32 bytes)...]"',
  })
  @NotPlaceholder('keyring')
  SECRETS_KEYS!: string;

  /** Grace period for in-flight jobs on SIGTERM before they are handed back to the queue. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_MS = 10000;

  /**
   * BullMQ lock of a job being worked on (renewed every half of it while the replica lives).
   * A replica that dies holding jobs loses them for at most this plus WORKER_STALLED_CHECK_MS;
   * too short and a replica whose event loop stalls that long has its jobs taken over (they run
   * again, which handlers tolerate). Workers only; BullMQ's default.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  WORKER_LOCK_MS = 30000;

  /** How often each worker looks for jobs whose lock expired (their replica died) and requeues them. */
  @Type(() => Number)
  @IsInt()
  @Min(500)
  WORKER_STALLED_CHECK_MS = 30000;

  // Timeouts (MongoDB's in MongoEnv): a half-open peer (Redis, a client, a job's router that stopped
  // answering without closing the connection) fails the call instead of hanging the work behind it.

  /**
   * A command on the platform's Redis client (health, rate limits, caches) that gets no answer in
   * this long fails. BullMQ's connections have none: its workers block on Redis by design.
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  REDIS_COMMAND_TIMEOUT_MS = 5000;

  /**
   * A job attempt still running after this long fails as retryable (its lock is no longer renewed
   * for it): a job stuck on a silent peer does not hold its lock forever. Longer than the
   * slowest legitimate job (a full reconcile of the largest router).
   */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  JOB_TIMEOUT_MS = 600000;

  /**
   * How long the jobs that must not be lost (status events, diagnosis batches) keep retrying
   * while what they need is down, MongoDB first: as long as a database outage may last. Sized by
   * time: the attempt count follows from it and the backoff below (job-options.ts).
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  JOB_OUTAGE_RETRY_WINDOW_MS = 15 * 60_000;

  /** Longest wait between two of those retries (the backoff doubles from JOB_OUTAGE_RETRY_FIRST_DELAY_MS up to this). */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  JOB_OUTAGE_RETRY_MAX_DELAY_MS = 30_000;

  /** The first wait after a failed try of those jobs. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  JOB_OUTAGE_RETRY_FIRST_DELAY_MS = 500;

  /** The whole request (headers and body) must arrive within this: slow-body (slowloris) cut-off. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  HTTP_REQUEST_TIMEOUT_MS = 30000;

  /** The request headers must arrive within this (capped at HTTP_REQUEST_TIMEOUT_MS). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  HTTP_HEADERS_TIMEOUT_MS = 10000;

  /** A connection on which nothing moves for this long is closed (the feed pings every 15 s). */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  HTTP_CONNECTION_TIMEOUT_MS = 120000;

  /** An idle keep-alive connection is kept this long (above a load balancer's usual 60 s). */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 72000;
}
