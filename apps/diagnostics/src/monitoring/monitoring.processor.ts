import { Processor } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobName, QueueName } from '@isp/domain';
import { fillWorkerOptions, QueueProcessor, type ProcessorWorkerOptions, type HandlerMap } from '@isp/platform';
import { DiagnosticsConfig } from '../config/diagnostics.config';
import { HeartbeatService } from '../heartbeat/heartbeat.service';
import { IncidentRecheckService } from '../heartbeat/incident-recheck.service';
import { DiagnosisService } from './diagnosis.service';
import { FlappingService } from './flapping.service';
import { StatusEventService } from './status-event.service';

/** Filled from config in the constructor (lock and stalled-check timings, worker name). */
const workerOptions: ProcessorWorkerOptions = {};

/** monitoring-queue: routes each job to its service. */
@Processor(QueueName.MONITORING, workerOptions)
export class MonitoringProcessor extends QueueProcessor<typeof QueueName.MONITORING> implements OnApplicationBootstrap {
  protected readonly queueName = QueueName.MONITORING;

  constructor(
    private readonly statusEvents: StatusEventService,
    private readonly diagnosis: DiagnosisService,
    private readonly heartbeat: HeartbeatService,
    private readonly recheck: IncidentRecheckService,
    private readonly flapping: FlappingService,
    private readonly config: DiagnosticsConfig,
  ) {
    super();
    fillWorkerOptions(workerOptions, config, 'diagnostics');
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.MONITORING_CONCURRENCY;
  }

  protected handlers(): HandlerMap<typeof QueueName.MONITORING> {
    return {
      [JobName.STATUS_EVENT]: (job) => this.statusEvents.handle(job.data),
      [JobName.DIAGNOSE_ROUTER]: (job: Job) => this.diagnosis.diagnoseRouter(job.data.routerId, String(job.id)),
      [JobName.HEARTBEAT_TICK]: () => this.heartbeat.tick(),
      [JobName.HEARTBEAT_CHECK]: (job) => this.heartbeat.check(job.data.routerId),
      [JobName.RECHECK_INCIDENTS]: () => this.recheck.recheck(),
      [JobName.FLAP_CHECK]: () => this.flapping.check(),
    };
  }
}
