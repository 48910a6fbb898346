import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobName } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { ProvisioningConfig } from '../config/provisioning.config';

export const RECONCILE_SCHEDULER_ID = 'reconcile-every-router';

/** The reconcile period: one job scheduler (JobProducer.schedule), one tick per period. */
@Injectable()
export class ReconcileSchedulerService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReconcileSchedulerService.name);

  constructor(
    private readonly producer: JobProducer,
    private readonly config: ProvisioningConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.producer.schedule(RECONCILE_SCHEDULER_ID, this.config.RECONCILE_SCHEDULER ? this.config.RECONCILE_EVERY_MS : 0, JobName.RECONCILE_TICK, {});
    if (this.config.RECONCILE_SCHEDULER) this.logger.log({ msg: 'reconcile scheduled', everyMs: this.config.RECONCILE_EVERY_MS });
  }
}
