import type { Processor } from '@nestjs/bullmq';
import { hostname } from 'node:os';
import type { CommonEnv } from '../config/common-env';
import { jobBackoffStrategy } from './job-options';

/** The worker options @Processor takes (@nestjs/bullmq does not export the type by name). */
export type ProcessorWorkerOptions = NonNullable<Parameters<typeof Processor>[1]>;

/**
 * Worker options for `@Processor(queue, options)` that come from config. Decorator arguments are
 * fixed at import time, but Nest's BullMQ explorer reads them only when it creates the worker
 * (module init, after every provider is constructed), so a processor passes a module-level object
 * to @Processor and fills it in its constructor with this function.
 *
 * - lockDuration / stalledInterval: how soon a job held by a replica that died (SIGKILL, OOM,
 *   lost node) is handed to another one: at most about lockDuration + stalledInterval.
 * - name: stored on every job the worker takes (job.processedBy), so Bull Board and the replica
 *   tests can tell which replica ran or holds a job.
 * - settings.backoffStrategy: the capped backoff of the jobs that outlast a database outage
 *   (job-options.ts); BullMQ computes only its built-in types itself.
 */
export function fillWorkerOptions(target: ProcessorWorkerOptions, config: CommonEnv, app: string): ProcessorWorkerOptions {
  return Object.assign(target, {
    lockDuration: config.WORKER_LOCK_MS,
    stalledInterval: config.WORKER_STALLED_CHECK_MS,
    name: `${app}@${hostname()}/${process.pid}`,
    settings: { backoffStrategy: jobBackoffStrategy },
  });
}
