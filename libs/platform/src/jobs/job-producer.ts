import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job, JobsOptions, Queue } from 'bullmq';
import { JOB_QUEUE, type JobName, type JobPayloads } from '@isp/domain';
import { jobOptions, KEEP_SCHEDULED, type JobSettings } from './job-options';

/** The app's JobSettings (PlatformModule `jobs`). */
export const JOB_SETTINGS = Symbol('JOB_SETTINGS');

/**
 * The one way to enqueue work: the job name picks its queue and its retry/dedupe options, and
 * the payload type is checked against the catalogue. The app's config-driven settings
 * (JobSettings, e.g. the notifier's delivery retries) apply to every job of their name, so no
 * caller builds job options by hand. The app must have registered the queue (PlatformModule
 * `queues`).
 */
@Injectable()
export class JobProducer {
  private readonly queues = new Map<string, Queue>();

  constructor(
    @Optional() @Inject(ModuleRef) private readonly moduleRef: ModuleRef | null,
    @Optional() @Inject(JOB_SETTINGS) private readonly settings: JobSettings = {},
  ) {}

  /** The options a job of this name and payload gets from this producer. */
  options<N extends JobName>(name: N, data: JobPayloads[N]): JobsOptions {
    return jobOptions(name, data, this.settings ?? {});
  }

  /** A producer over queues opened by hand, for command-line tools that run without Nest. */
  static forQueues(queues: Queue[], settings: JobSettings = {}): JobProducer {
    const producer = new JobProducer(null, settings);
    for (const q of queues) producer.queues.set(q.name, q);
    return producer;
  }

  queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      if (!this.moduleRef) throw new Error(`queue ${name} was not given to this producer`);
      q = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      this.queues.set(name, q);
    }
    return q;
  }

  add<N extends JobName>(name: N, data: JobPayloads[N], extra: { delay?: number; priority?: number } = {}): Promise<Job> {
    return this.queue(JOB_QUEUE[name]).add(name, data, { ...this.options(name, data), ...extra });
  }

  /**
   * A periodic job as a BullMQ job scheduler: stored in Redis under `schedulerId`, so every
   * replica upserting it at start-up leaves one schedule (one job per period). `everyMs` 0
   * removes it. No retries: the next period is the retry (retrying the heartbeat tick cost its
   * diagnostics a fifth more CPU, heartbeat bench). The last 100 outcomes are kept (KEEP_SCHEDULED).
   */
  async schedule<N extends JobName>(schedulerId: string, everyMs: number, name: N, data: JobPayloads[N]): Promise<void> {
    const queue = this.queue(JOB_QUEUE[name]);
    if (!everyMs) {
      await queue.removeJobScheduler(schedulerId);
      return;
    }
    await queue.upsertJobScheduler(schedulerId, { every: everyMs }, { name, data, opts: { ...KEEP_SCHEDULED } });
  }

  /** Many jobs of one name in one round trip; `delayOf` spreads them out (item index -> ms). */
  addBulk<N extends JobName>(name: N, items: JobPayloads[N][], delayOf?: (index: number) => number): Promise<Job[]> {
    if (!items.length) return Promise.resolve([]);
    return this.queue(JOB_QUEUE[name]).addBulk(items.map((data, i) => ({ name, data, opts: { ...this.options(name, data), ...(delayOf && { delay: delayOf(i) }) } })));
  }
}
