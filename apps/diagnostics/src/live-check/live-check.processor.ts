import { Processor } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { JobName, QueueName } from '@isp/domain';
import { QueueProcessor, type HandlerMap } from '@isp/platform';
import { DiagnosticsConfig } from '../config/diagnostics.config';
import { LiveCheckRunner } from './live-check.runner';

/**
 * live-check queue: the gateway adds a job and waits on it, so exactly one replica answers each
 * request (the Redis transport would have every replica run it).
 */
@Processor(QueueName.LIVE_CHECK)
export class LiveCheckProcessor extends QueueProcessor<typeof QueueName.LIVE_CHECK> implements OnApplicationBootstrap {
  protected readonly queueName = QueueName.LIVE_CHECK;

  constructor(
    private readonly liveCheck: LiveCheckRunner,
    private readonly config: DiagnosticsConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.LIVE_CHECK_CONCURRENCY;
  }

  protected handlers(): HandlerMap<typeof QueueName.LIVE_CHECK> {
    // Each hop goes out as job progress as it answers: the gateway streams it to the console.
    return { [JobName.LIVE_CHECK]: (job) => this.liveCheck.check(job.data, (p) => job.updateProgress(p)) };
  }
}
