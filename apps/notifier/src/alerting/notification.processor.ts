import { OnWorkerEvent, Processor } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobName, QueueName } from '@isp/domain';
import { fillWorkerOptions, QueueProcessor, type ProcessorWorkerOptions, type HandlerMap } from '@isp/platform';
import type { Job } from 'bullmq';
import { NotifierConfig } from '../config/notifier.config';
import { NotifierMetrics } from '../metrics/notifier-metrics.service';
import { DeliveryReceiptService } from './delivery-receipt.service';
import { DeliveryService } from './delivery.service';
import { EscalationService } from './escalation.service';
import { IncidentAlertService } from './incident-alert.service';
import { RepageService } from './repage.service';
import { SubscriberFeedService } from './subscriber-feed.service';
import { MaintenanceEndService } from '../maintenance/maintenance-end.service';

/** Filled from config in the constructor (lock and stalled-check timings, worker name). */
const workerOptions: ProcessorWorkerOptions = {};

/** notification-queue: each job name goes to its service. */
@Processor(QueueName.NOTIFICATION, workerOptions)
export class NotificationProcessor extends QueueProcessor<typeof QueueName.NOTIFICATION> implements OnApplicationBootstrap {
  private readonly logger = new Logger(NotificationProcessor.name);
  protected readonly queueName = QueueName.NOTIFICATION;

  constructor(
    private readonly alerts: IncidentAlertService,
    private readonly escalation: EscalationService,
    private readonly delivery: DeliveryService,
    private readonly receipts: DeliveryReceiptService,
    private readonly subscribers: SubscriberFeedService,
    private readonly repages: RepageService,
    private readonly maintenanceEnds: MaintenanceEndService,
    private readonly config: NotifierConfig,
    private readonly metrics: NotifierMetrics,
  ) {
    super();
    fillWorkerOptions(workerOptions, config, 'notifier');
  }

  protected handlers(): HandlerMap<typeof QueueName.NOTIFICATION> {
    return {
      [JobName.INCIDENT_CHANGED]: (job) => this.alerts.onIncidentChanged(job.data),
      [JobName.SUBSCRIBER_STATUS]: (job) => this.subscribers.onSubscriberStatus(job.data),
      [JobName.ESCALATION_CHECK]: async (job) => {
        const outcome = await this.escalation.check(job.data);
        if (outcome.startsWith('escalated to')) this.metrics.escalated(job.data.toLevel);
        return outcome;
      },
      [JobName.REPAGE_CHECK]: (job) => this.repages.check(job.data),
      [JobName.DELIVER_NOTIFICATION]: (job) => this.delivery.deliver(job.data),
      [JobName.RECEIPT_CHECK]: (job) => this.receipts.check(job.data),
      [JobName.MAINTENANCE_ENDED]: (job) => this.maintenanceEnds.ended(job.data),
    };
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.NOTIFIER_CONCURRENCY;
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, err: Error): void {
    if (!job || job.name === JobName.DELIVER_NOTIFICATION) return; // DeliveryService logs its own
    this.logger.warn(`${job.name} ${job.id} failed (attempt ${job.attemptsMade}): ${err.message}`);
  }
}
