import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job, Queue } from 'bullmq';
import { JOB_QUEUE, type JobName, type JobPayloads } from '@isp/domain';
import { jobOptions } from './job-options';

/**
 * The one way to enqueue work: the job name picks its queue and its retry/dedupe options, and
 * the payload type is checked against the catalogue. The app must have registered the queue
 * (PlatformModule `queues`).
 */
@Injectable()
export class JobProducer {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly moduleRef: ModuleRef) {}

  queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      this.queues.set(name, q);
    }
    return q;
  }

  add<N extends JobName>(name: N, data: JobPayloads[N], extra: { delay?: number; priority?: number } = {}): Promise<Job> {
    return this.queue(JOB_QUEUE[name]).add(name, data, { ...jobOptions(name, data), ...extra });
  }

  /**
   * A periodic job as a BullMQ job scheduler: stored in Redis under `schedulerId`, so every
   * replica upserting it at start-up leaves one schedule (one job per period). `everyMs` 0
   * removes it. No retries: the next period is the retry (retrying the heartbeat tick cost its
   * diagnostics a fifth more CPU, heartbeat bench). The last 100 outcomes are kept.
   */
  async schedule<N extends JobName>(schedulerId: string, everyMs: number, name: N, data: JobPayloads[N]): Promise<void> {
    const queue = this.queue(JOB_QUEUE[name]);
    if (!everyMs) {
      await queue.removeJobScheduler(schedulerId);
      return;
    }
    await queue.upsertJobScheduler(schedulerId, { every: everyMs }, { name, data, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } });
  }

  addBulk<N extends JobName>(name: N, items: JobPayloads[N][]): Promise<Job[]> {
    if (!items.length) return Promise.resolve([]);
    return this.queue(JOB_QUEUE[name]).addBulk(items.map((data) => ({ name, data, opts: jobOptions(name, data) })));
  }
}
