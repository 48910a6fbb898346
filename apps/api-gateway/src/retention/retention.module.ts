import { Module } from '@nestjs/common';
import { RetentionProcessor } from './retention.processor';
import { RetentionSchedulerService } from './retention-scheduler.service';
import { RetentionService } from './retention.service';

/**
 * Retention of downtime logs, resolved incidents and finished notifications (README
 * "Retention"). It lives in the gateway: the gateway already reads every one of these
 * collections for the API (and will write the audit trail), and it is the one app off the
 * alerting and provisioning paths, so a long sweep never sits in front of a page or a sync on
 * a worker. The job itself runs once per period whatever the number of replicas (BullMQ).
 */
@Module({ providers: [RetentionService, RetentionProcessor, RetentionSchedulerService] })
export class RetentionModule {}
