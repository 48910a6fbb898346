import { WorkerHost } from '@nestjs/bullmq';
import { Inject, OnModuleInit, Optional } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { CommonEnv } from '../config/common-env';
import { AppMetrics } from '../metrics/app-metrics';
import { DomainError, JOB_QUEUE, LEGACY_SYNC_ALIASES, QueueName, withDeadline, type JobName, type JobPayloads } from '@isp/domain';

/** Job names carried by queue Q. */
export type JobsOf<Q extends QueueName> = { [N in JobName]: (typeof JOB_QUEUE)[N] extends Q ? N : never }[JobName];

/** One handler per job name of the queue: a missing one is a compile error and a start-up error. */
export type HandlerMap<Q extends QueueName> = { [N in JobsOf<Q>]: (job: Job<JobPayloads[N]>) => Promise<unknown> };

/**
 * Checks that the handlers cover every job name of the queue exactly once. Called at start-up
 * (onModuleInit) so a deploy with a missing handler fails instead of silently dropping jobs.
 */
export function assertHandlers(queue: QueueName, handled: string[]): void {
  const expected = (Object.keys(JOB_QUEUE) as JobName[]).filter((n) => JOB_QUEUE[n] === queue);
  const missing = expected.filter((n) => !handled.includes(n));
  const extra = handled.filter((n) => !expected.includes(n as JobName));
  const dupes = handled.filter((n, i) => handled.indexOf(n) !== i);
  if (missing.length || extra.length || dupes.length) {
    throw new Error(
      `Queue ${queue}: handlers do not match the job catalogue` +
        (missing.length ? `; missing: ${missing.join(', ')}` : '') +
        (extra.length ? `; unknown: ${extra.join(', ')}` : '') +
        (dupes.length ? `; duplicated: ${dupes.join(', ')}` : ''),
    );
  }
}

/**
 * Base for BullMQ processors: routes each job to its handler and turns permanent domain errors
 * into UnrecoverableError (recorded, not retried); anything else is rethrown and retried.
 * Every attempt has a deadline (JOB_TIMEOUT_MS, see job-deadline.ts). Subclasses stay thin: each
 * handler calls a service.
 */
export abstract class QueueProcessor<Q extends QueueName> extends WorkerHost implements OnModuleInit {
  protected abstract readonly queueName: Q;
  /** Property injection, so subclasses' constructors stay as they are. */
  @Optional() @Inject(CommonEnv) private readonly platformConfig?: Pick<CommonEnv, 'JOB_TIMEOUT_MS'>;
  @Optional() @Inject(AppMetrics) private readonly appMetrics?: AppMetrics;
  protected abstract handlers(): HandlerMap<Q>;
  /** Old job names that still arrive and mean the same as a catalogue name. */
  protected aliases(): Record<string, JobsOf<Q>> {
    return {};
  }

  onModuleInit(): void {
    assertHandlers(this.queueName, Object.keys(this.handlers()));
  }

  async process(job: Job): Promise<unknown> {
    const handlers = this.handlers() as Record<string, (job: Job) => Promise<unknown>>;
    const name = this.aliases()[job.name] ?? job.name;
    const handler = handlers[name];
    if (!handler) throw new UnrecoverableError(`No handler for job "${job.name}" on ${this.queueName}`);
    const started = process.hrtime.bigint();
    let outcome = 'completed';
    try {
      return await withDeadline(handler(job), this.platformConfig?.JOB_TIMEOUT_MS ?? DEFAULT_JOB_TIMEOUT_MS, `job ${job.name}#${job.id}`);
    } catch (err) {
      if (err instanceof DomainError && !err.retryable) {
        outcome = 'failed_permanently';
        throw new UnrecoverableError(`${err.code}: ${err.message}`);
      }
      outcome = 'failed';
      throw err;
    } finally {
      this.count(name, outcome, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  /** Every job attempt of every app, by queue, job name and outcome (`failed` attempts are retried). */
  private count(job: string, outcome: string, seconds: number): void {
    if (!this.appMetrics) return;
    this.appMetrics.counter('bullmq_job_attempts_total', 'Job attempts processed by this app, by queue, job name and outcome', ['queue', 'job', 'outcome']).inc({ queue: this.queueName, job, outcome });
    this.appMetrics.histogram('bullmq_job_duration_seconds', 'Time one job attempt took, by queue and job name', ['queue', 'job']).observe({ queue: this.queueName, job }, seconds);
  }
}

/** Outside an app (no platform config): the same default as JOB_TIMEOUT_MS. */
const DEFAULT_JOB_TIMEOUT_MS = 600000;

export const SYNC_ALIASES: Record<string, JobsOf<typeof QueueName.SYNC>> = Object.fromEntries(
  LEGACY_SYNC_ALIASES.map((a) => [a, 'syncUser' as const]),
);
