import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobName } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { ApiGatewayConfig } from '../config/api-gateway.config';

/** Fixed id: every gateway replica upserts the same job scheduler, so the sweep runs once per period. */
export const RETENTION_SCHEDULER_ID = 'retention-sweep';

@Injectable()
export class RetentionSchedulerService implements OnApplicationBootstrap {
  private readonly logger = new Logger(RetentionSchedulerService.name);

  constructor(
    private readonly producer: JobProducer,
    private readonly config: ApiGatewayConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.producer.schedule(RETENTION_SCHEDULER_ID, this.config.RETENTION_EVERY_MS, JobName.RETENTION_SWEEP, {});
    if (this.config.RETENTION_EVERY_MS) this.logger.log({ msg: 'retention sweep scheduled', everyMs: this.config.RETENTION_EVERY_MS });
  }
}
