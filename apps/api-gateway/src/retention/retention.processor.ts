import { Processor } from '@nestjs/bullmq';
import { JobName, QueueName } from '@isp/domain';
import { fillWorkerOptions, QueueProcessor, type HandlerMap, type ProcessorWorkerOptions } from '@isp/platform';
import { ApiGatewayConfig } from '../config/api-gateway.config';
import { RetentionService } from './retention.service';

const workerOptions: ProcessorWorkerOptions = {};

/** The housekeeping queue: one sweep at a time per replica, whichever replica takes the job. */
@Processor(QueueName.HOUSEKEEPING, workerOptions)
export class RetentionProcessor extends QueueProcessor<typeof QueueName.HOUSEKEEPING> {
  protected readonly queueName = QueueName.HOUSEKEEPING;

  constructor(
    private readonly retention: RetentionService,
    config: ApiGatewayConfig,
  ) {
    super();
    fillWorkerOptions(workerOptions, config, 'api-gateway');
  }

  protected handlers(): HandlerMap<typeof QueueName.HOUSEKEEPING> {
    return { [JobName.RETENTION_SWEEP]: () => this.retention.sweep() };
  }
}
