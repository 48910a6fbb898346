import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobName, JobProducer, jobOptions, PLATFORM_CONFIG, QueueName } from '@isp/domain';
import type { ProvisioningConfig } from '../config/provisioning.config';

export const RECONCILE_SCHEDULER_ID = 'reconcile-every-router';

/**
 * The reconcile period as a BullMQ job scheduler: stored in Redis under one id, so every replica
 * upserting it at start-up leaves exactly one schedule (and one tick per period).
 */
@Injectable()
export class ReconcileSchedulerService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReconcileSchedulerService.name);

  constructor(
    private readonly producer: JobProducer,
    @Inject(PLATFORM_CONFIG) private readonly config: ProvisioningConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const queue = this.producer.queue(QueueName.SYNC);
    if (!this.config.RECONCILE_SCHEDULER) {
      await queue.removeJobScheduler(RECONCILE_SCHEDULER_ID).catch(() => undefined);
      return;
    }
    const { removeOnComplete, removeOnFail, attempts } = jobOptions(JobName.RECONCILE_TICK, {});
    await queue.upsertJobScheduler(
      RECONCILE_SCHEDULER_ID,
      { every: this.config.RECONCILE_EVERY_MS },
      { name: JobName.RECONCILE_TICK, data: {}, opts: { removeOnComplete, removeOnFail, attempts } },
    );
    this.logger.log({ msg: 'reconcile scheduled', everyMs: this.config.RECONCILE_EVERY_MS });
  }
}
