import { Injectable } from '@nestjs/common';
import { AppMetrics } from '@isp/platform';
import type { ReconcileReport } from '../reconcile/reconcile.service';
import type { SyncOutcome } from '../sync/subscriber-sync.service';

/**
 * What provisioning counts: router passes (by trigger and outcome, with their duration), the
 * drift they found and the writes they made, scripts written or repaired, and subscriber syncs by
 * outcome. The router pool's own series are exported by the platform (exportPoolMetrics).
 */
@Injectable()
export class ProvisioningMetrics {
  private readonly passes;
  private readonly passSeconds;
  private readonly drift;
  private readonly writes;
  private readonly scripts;
  private readonly syncs;

  constructor(metrics: AppMetrics) {
    this.passes = metrics.counter('provisioning_router_passes_total', 'Router passes by trigger (router: created/back/credentials; scheduled: reconcile) and outcome', ['kind', 'outcome']);
    this.passSeconds = metrics.histogram('provisioning_router_pass_duration_seconds', 'Time one router pass took (read, plan, apply)', ['kind']);
    this.drift = metrics.counter('provisioning_drift_items_total', 'Router entries that differed from the database and were planned for a write');
    this.writes = metrics.counter('provisioning_router_writes_total', 'Writes made to routers by router passes (add, set, remove, move)');
    this.scripts = metrics.counter('provisioning_scripts_repaired_total', 'Snitch script entries written or repaired by router passes (PPP profiles, lease script, Netwatch)');
    this.syncs = metrics.counter('provisioning_sync_jobs_total', 'Subscriber sync jobs by outcome (synced, skipped, error)', ['outcome']);
  }

  /** Times a router pass and counts what it did; a pass that throws counts as failed and is rethrown. */
  async routerPass<T extends object>(kind: 'router' | 'scheduled', pass: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    let outcome = 'failed';
    try {
      const report = await pass();
      if ('skipped' in report) outcome = 'skipped';
      else if ('drift' in report) {
        const r = report as unknown as ReconcileReport;
        outcome = 'ok';
        this.drift.inc(r.drift);
        this.writes.inc(r.writes);
        this.scripts.inc(r.scriptsRepaired ?? 0);
      } else outcome = 'error';
      return report;
    } finally {
      this.passes.inc({ kind, outcome });
      this.passSeconds.observe({ kind }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  sync(outcome: SyncOutcome | string | undefined): void {
    const result = typeof outcome === 'object' && outcome && 'result' in outcome ? outcome.result : 'other';
    this.syncs.inc({ outcome: result });
  }
}
