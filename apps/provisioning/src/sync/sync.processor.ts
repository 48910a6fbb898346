import { Processor } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import {
  fillWorkerOptions,
  QueueProcessor,
  type ProcessorWorkerOptions,
  SYNC_ALIASES,
  type HandlerMap,
  type JobsOf,
} from '@isp/platform';
import { QueueName } from '@isp/domain';
import { ProvisioningConfig } from '../config/provisioning.config';
import { ReconcileService } from '../reconcile/reconcile.service';
import { PlanChangeService } from '../plans/plan-change.service';
import { LegacyJobsService } from './legacy-jobs.service';

/** Filled from config in the constructor (lock and stalled-check timings, worker name). */
const workerOptions: ProcessorWorkerOptions = {};

/** MikroTik-Sync: thin routing into the services (legacy job names lead to LegacyJobsService). */
@Processor(QueueName.SYNC, workerOptions)
export class SyncProcessor extends QueueProcessor<typeof QueueName.SYNC> implements OnApplicationBootstrap {
  protected readonly queueName = QueueName.SYNC;

  constructor(
    private readonly legacy: LegacyJobsService,
    private readonly reconcile: ReconcileService,
    private readonly config: ProvisioningConfig,
    private readonly planChanges: PlanChangeService,
  ) {
    super();
    fillWorkerOptions(workerOptions, config, 'provisioning');
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.SYNC_CONCURRENCY;
  }

  protected handlers(): HandlerMap<typeof QueueName.SYNC> {
    return {
      // job.name, not the alias: disconnectUser/connectUser also change the desired state.
      syncUser: (job) => this.legacy.run(job.name, job.data),
      // Router created, back, or given new credentials/token: a full pass syncs its pending
      // subscribers and re-installs its scripts in one go (one print per menu).
      syncRouter: (job) => this.reconcile.reconcileRouter(job.data.routerId),
      reconcileTick: () => this.reconcile.fanOut(),
      reconcileMikrotikState: (job) => this.reconcile.reconcileRouter(job.data.routerId),
      applyPlan: (job) => this.planChanges.apply(job.data),
    };
  }

  protected override aliases(): Record<string, JobsOf<typeof QueueName.SYNC>> {
    return SYNC_ALIASES;
  }
}
