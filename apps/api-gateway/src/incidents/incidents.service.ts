import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { INCIDENT_MODEL, IncidentRepository, JobName, JobProducer, toId, type Incident } from '@isp/domain';
import type { Model } from 'mongoose';
import type { Page } from '../common/pagination.dto';
import type { IncidentQueryDto, IncidentViewDto } from './incident.dto';

export function incidentView(i: Incident): IncidentViewDto {
  return {
    id: String(i._id),
    rootCause: { kind: i.rootCause.kind, id: String(i.rootCause.id), name: i.rootCause.name, type: i.rootCause.type },
    building: i.building ? String(i.building) : undefined,
    buildingName: i.buildingName,
    level: i.level,
    state: i.state,
    openedAt: i.openedAt,
    acknowledgedAt: i.acknowledgedAt,
    acknowledgedBy: i.acknowledgedBy,
    resolvedAt: i.resolvedAt,
    impactedDevices: i.impactedDevices,
    impactedSubscribers: i.impactedSubscribers,
    path: (i.path ?? []).map((h) => ({ ...h, id: String(h.id) })),
    revision: i.revision,
  };
}

@Injectable()
export class IncidentsService {
  constructor(
    private readonly incidents: IncidentRepository,
    @InjectModel(INCIDENT_MODEL) private readonly model: Model<Incident>,
    private readonly producer: JobProducer,
  ) {}

  async list(q: IncidentQueryDto & { limit: number; skip: number }): Promise<Page<IncidentViewDto>> {
    const filter: Record<string, unknown> = {};
    if (q.building) filter.building = toId(q.building);
    if (q.level) filter.level = q.level;
    if (q.state) filter.state = q.state === 'active' ? { $in: ['open', 'acknowledged'] } : q.state;
    if (q.from || q.to) filter.openedAt = { ...(q.from && { $gte: new Date(q.from) }), ...(q.to && { $lt: new Date(q.to) }) };
    const [items, total] = await Promise.all([
      this.model.find(filter).sort({ openedAt: -1 }).skip(q.skip).limit(q.limit).lean<Incident[]>().exec(),
      this.model.countDocuments(filter).exec(),
    ]);
    return { items: items.map(incidentView), total, limit: q.limit, skip: q.skip };
  }

  async get(id: string): Promise<IncidentViewDto> {
    const i = await this.incidents.findById(id);
    if (!i) throw new NotFoundException(`Incident ${id} not found`);
    return incidentView(i);
  }

  /** Acknowledging stops escalation (the notifier checks the state before escalating). */
  async acknowledge(id: string, by: string): Promise<IncidentViewDto> {
    const i = await this.incidents.acknowledge(id, by);
    if (i) return incidentView(i);
    const existing = await this.get(id);
    throw new ConflictException(`Incident is ${existing.state}; only an open incident can be acknowledged`);
  }

  /** Manual resolution (e.g. a node removed for good); notifies like an automatic one. */
  async resolve(id: string): Promise<IncidentViewDto> {
    const i = await this.incidents.resolve(id);
    if (!i) {
      const existing = await this.get(id);
      throw new ConflictException(`Incident is already ${existing.state}`);
    }
    await this.producer.add(JobName.INCIDENT_CHANGED, { incidentId: id, change: 'resolved', revision: i.revision });
    return incidentView(i);
  }
}
