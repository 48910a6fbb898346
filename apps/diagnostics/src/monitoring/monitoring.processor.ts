import { Processor } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobName, QueueName } from '@isp/domain';
import { fillWorkerOptions, QueueProcessor, type ProcessorWorkerOptions, type HandlerMap } from '@isp/platform';
import { DiagnosticsConfig } from '../config/diagnostics.config';
import { HeartbeatService } from '../heartbeat/heartbeat.service';
import { IncidentRecheckService } from '../heartbeat/incident-recheck.service';
import { RouterSilenceService } from '../heartbeat/router-silence.service';
import { DiagnosticsMetrics } from '../metrics/diagnostics-metrics.service';
import { DiagnosisService } from './diagnosis.service';
import { LeftoverReprobeService } from './leftover-reprobe.service';
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
    private readonly leftovers: LeftoverReprobeService,
    private readonly flapping: FlappingService,
    private readonly silence: RouterSilenceService,
    private readonly config: DiagnosticsConfig,
    private readonly metrics: DiagnosticsMetrics,
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
      [JobName.DIAGNOSE_ROUTER]: async (job: Job) => {
        const { value, seconds } = await DiagnosticsMetrics.timed(() => this.diagnosis.diagnoseRouter(job.data.routerId, String(job.id)));
        this.metrics.diagnosed(value, seconds);
        return value;
      },
      [JobName.HEARTBEAT_TICK]: () => {
        this.metrics.heartbeatTicked();
        return this.heartbeat.tick();
      },
      [JobName.HEARTBEAT_CHECK]: (job) => this.heartbeat.checkMany(job.data.routerIds, (state, seconds) => this.metrics.heartbeatChecked(state, seconds)),
      // Open incidents' roots first, then what resolved ones left behind.
      [JobName.RECHECK_INCIDENTS]: async () => ({ ...(await this.recheck.recheck()), leftovers: await this.leftovers.reprobe() }),
      [JobName.FLAP_CHECK]: () => this.flapping.check(),
      [JobName.ROUTER_SILENCE_CHECK]: () => this.silence.check(),
    };
  }
}
