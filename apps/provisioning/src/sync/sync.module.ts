import { Module } from '@nestjs/common';
import { ProvisioningMetrics } from '../metrics/provisioning-metrics.service';
import { RouterAccessModule } from '../router-access/router-access.module';
import { ReconcileSchedulerService } from '../reconcile/reconcile-scheduler.service';
import { PresenceReporter } from '../reconcile/presence-reporter.service';
import { ReconcileService } from '../reconcile/reconcile.service';
import { RouterPassLock } from '../reconcile/router-pass.lock';
import { RouterSubscribersReader } from '../reconcile/router-subscribers.reader';
import { RouterEventsController } from '../reconcile/router-events.controller';
import { WebhookTokenVault } from '../reconcile/webhook-token.vault';
import { PlanChangeService } from '../plans/plan-change.service';
import { DepartureService } from './departure.service';
import { LegacyJobsService } from './legacy-jobs.service';
import { PlanExecutor } from './plan-executor';
import { RouterReader } from './router-reader';
import { SubscriberSyncService } from './subscriber-sync.service';
import { SyncProcessor } from './sync.processor';

/** The MikroTik-Sync worker: per-subscriber sync, per-router catch-up, and the periodic reconcile. */
@Module({
  imports: [RouterAccessModule],
  controllers: [RouterEventsController],
  providers: [RouterReader, PlanExecutor, DepartureService, PlanChangeService, SubscriberSyncService, LegacyJobsService, ReconcileService, PresenceReporter, RouterPassLock, RouterSubscribersReader, WebhookTokenVault, ReconcileSchedulerService, SyncProcessor, ProvisioningMetrics],
  exports: [SubscriberSyncService, ReconcileService],
})
export class SyncModule {}
