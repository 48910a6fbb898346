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
import { QueueName, type RouterPassProgress } from '@isp/domain';
import type { Job } from 'bullmq';
import { ProvisioningConfig } from '../config/provisioning.config';
import { ReconcileService } from '../reconcile/reconcile.service';
import { ProvisioningMetrics } from '../metrics/provisioning-metrics.service';
import { PlanChangeService } from '../plans/plan-change.service';
import { LegacyJobsService } from './legacy-jobs.service';

/** A router pass's stage as the job's progress (Bull Board, console); a lost update must not fail the pass. */
const reportProgress = (job: Job, p: RouterPassProgress) => job.updateProgress({ ...p }).catch(() => undefined);

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
    private readonly metrics: ProvisioningMetrics,
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
      syncUser: async (job) => {
        const outcome = await this.legacy.run(job.name, job.data);
        this.metrics.sync(outcome);
        return outcome;
      },
      // Router created, back, or given new credentials/token: a full pass syncs its pending
      // subscribers and re-installs its scripts in one go (one print per menu).
      syncRouter: (job) => this.metrics.routerPass('router', () => this.reconcile.reconcileRouter(job.data.routerId, (p) => reportProgress(job, p))),
      reconcileTick: () => this.reconcile.fanOut(),
      reconcileMikrotikState: (job) => this.metrics.routerPass('scheduled', () => this.reconcile.reconcileRouter(job.data.routerId, (p) => reportProgress(job, p))),
      applyPlan: (job) => this.planChanges.apply(job.data),
    };
  }

  protected override aliases(): Record<string, JobsOf<typeof QueueName.SYNC>> {
    return SYNC_ALIASES;
  }
}
