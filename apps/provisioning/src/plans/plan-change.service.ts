import { Injectable, Logger } from '@nestjs/common';
import { JobName, type ApplyPlanJob } from '@isp/domain';
import { PlanRepository, SubscriberRepository } from '@isp/data';
import { JobProducer } from '@isp/platform';

export type PlanChangeOutcome = { result: 'applied'; version: number; subscribers: number } | { result: 'skipped'; reason: string };

/**
 * A plan changed (now, or its scheduled time came): its subscribers get a new desired version
 * and one syncUser job each, by id. Each sync brings its router's plan profile (PPPoE) or its
 * own simple queue (static, DHCP) in line, so the change reaches every router the plan is on.
 */
@Injectable()
export class PlanChangeService {
  private readonly logger = new Logger(PlanChangeService.name);

  constructor(
    private readonly plans: PlanRepository,
    private readonly users: SubscriberRepository,
    private readonly producer: JobProducer,
  ) {}

  async apply(job: ApplyPlanJob): Promise<PlanChangeOutcome> {
    let plan = await this.plans.findById(job.planId);
    if (!plan) return { result: 'skipped', reason: 'plan no longer exists' };
    if (job.scheduledAt) {
      const at = new Date(job.scheduledAt);
      if (!plan.scheduled || plan.scheduled.at.getTime() !== at.getTime()) return { result: 'skipped', reason: 'the scheduled change was replaced or cancelled' };
      plan = await this.plans.applyChanges(plan._id, plan.scheduled.changes, { dropScheduled: true, ifScheduledAt: at });
      if (!plan) return { result: 'skipped', reason: 'the scheduled change was replaced meanwhile' };
    }
    const ids = await this.users.markPlanChanged(plan._id);
    await this.producer.addBulk(JobName.SYNC_USER, ids.map((userId) => ({ userId })));
    this.logger.log({ msg: 'plan change handed to its subscribers', plan: plan.name, version: plan.version, subscribers: ids.length });
    return { result: 'applied', version: plan.version, subscribers: ids.length };
  }
}
