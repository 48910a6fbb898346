import { Injectable } from '@nestjs/common';
import { PLAN_RATE_FIELDS, PlanRepository, SubscriberRepository, type Plan, type PlanRates } from '@isp/data';
import { ConflictError, JobName, NotFoundError, ValidationError } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import type { CreatePlanDto, PlanViewDto, UpdatePlanDto } from './plan.dto';

export function planView(p: Plan): PlanViewDto {
  const rates = Object.fromEntries(PLAN_RATE_FIELDS.filter((f) => p[f] !== undefined && p[f] !== null).map((f) => [f, p[f]]));
  return { id: String(p._id), name: p.name, download: p.download, upload: p.upload, ...rates, version: p.version, scheduled: p.scheduled ?? null };
}

type RateChanges = Partial<Record<keyof PlanRates, unknown>>;

function rateChanges(dto: UpdatePlanDto): RateChanges {
  return Object.fromEntries(PLAN_RATE_FIELDS.filter((f) => dto[f] !== undefined).map((f) => [f, dto[f]]));
}

/** A burst needs both directions; the required rates cannot be cleared. */
function checkRates(merged: Record<string, unknown>): void {
  for (const f of ['download', 'upload'] as const) if (merged[f] === null || merged[f] === '') throw new ValidationError(`${f} is required`);
  if (!!merged.burstDownload !== !!merged.burstUpload) throw new ValidationError('burstDownload and burstUpload go together');
}

/**
 * Plans: the admin writes them here, provisioning applies them. A change is applied to the plan
 * now (or stored for its time) and an applyPlan job re-syncs the plan's subscribers by id.
 */
@Injectable()
export class PlansService {
  constructor(
    private readonly plans: PlanRepository,
    private readonly users: SubscriberRepository,
    private readonly producer: JobProducer,
  ) {}

  async list(): Promise<PlanViewDto[]> {
    return (await this.plans.findAll()).map(planView);
  }

  async get(id: string): Promise<Plan> {
    const p = await this.plans.findById(id);
    if (!p) throw new NotFoundError('Plan', id);
    return p;
  }

  async create(dto: CreatePlanDto): Promise<PlanViewDto> {
    checkRates({ ...dto });
    if (await this.plans.findByName(dto.name)) throw new ConflictError(`Plan ${dto.name} already exists`);
    // null means "none" on create: left out.
    const rates = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== null && v !== undefined)) as Partial<PlanRates>;
    return planView(await this.plans.create({ ...rates, name: dto.name, download: dto.download, upload: dto.upload }));
  }

  async update(id: string, dto: UpdatePlanDto): Promise<PlanViewDto> {
    let plan = await this.get(id);
    const changes = rateChanges(dto);
    checkRates({ ...plan, ...changes });
    if (dto.name !== undefined && dto.name !== plan.name) {
      if (await this.plans.findByName(dto.name)) throw new ConflictError(`Plan ${dto.name} already exists`);
      plan = (await this.plans.rename(id, dto.name)) ?? plan;
    }
    const at = dto.effectiveAt ? new Date(dto.effectiveAt) : undefined;
    if (at && at.getTime() > Date.now() && Object.keys(changes).length) {
      plan = (await this.plans.schedule(id, at, changes)) ?? plan;
      await this.producer.add(JobName.APPLY_PLAN, { planId: id, scheduledAt: at.toISOString() }, { delay: at.getTime() - Date.now() });
      // A rename applies now even when the rates wait.
      if (dto.name !== undefined) await this.producer.add(JobName.APPLY_PLAN, { planId: id });
      return planView(plan);
    }
    if (Object.keys(changes).length) plan = (await this.plans.applyChanges(id, changes)) ?? plan;
    if (Object.keys(changes).length || dto.name !== undefined) await this.producer.add(JobName.APPLY_PLAN, { planId: id });
    return planView(plan);
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    const n = await this.users.countByPlan(id);
    if (n) throw new ConflictError(`Plan ${id} is still used by ${n} subscriber(s)`);
    await this.plans.delete(id);
  }
}
