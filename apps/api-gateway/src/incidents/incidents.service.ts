import { Injectable } from '@nestjs/common';
import { IncidentRepository, type Incident } from '@isp/data';
import { ConflictError, JobName, NotFoundError } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { assertBuildingScope } from '../auth/building-scope';
import type { Principal } from '../auth/roles';
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
    acknowledgeNote: i.acknowledgeNote,
    resolvedAt: i.resolvedAt,
    ...(i.flappingSince && { flappingSince: i.flappingSince }),
    inMaintenance: Boolean(i.maintenance) && i.state !== 'resolved',
    ...(i.maintenance && { maintenance: { since: i.maintenance.since, windowIds: i.maintenance.windowIds.map(String), until: i.maintenance.until ?? undefined } }),
    impactedDevices: i.impactedDevices,
    impactedStations: i.impactedStations ?? 0,
    impactedSubscribers: i.impactedSubscribers,
    path: (i.path ?? []).map((h) => ({ ...h, id: String(h.id) })),
    revision: i.revision,
  };
}

@Injectable()
export class IncidentsService {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly producer: JobProducer,
  ) {}

  async list(q: IncidentQueryDto & { limit: number; skip: number }): Promise<Page<IncidentViewDto>> {
    const { items, total } = await this.incidents.page(
      {
        building: q.building,
        level: q.level,
        state: q.state === 'active' ? ['open', 'acknowledged'] : q.state,
        openedFrom: q.from ? new Date(q.from) : undefined,
        openedBefore: q.to ? new Date(q.to) : undefined,
      },
      q,
    );
    return { items: items.map(incidentView), total, limit: q.limit, skip: q.skip };
  }

  async get(id: string): Promise<IncidentViewDto> {
    return incidentView(await this.find(id));
  }

  private async find(id: string): Promise<Incident> {
    const i = await this.incidents.findById(id);
    if (!i) throw new NotFoundError('Incident', id);
    return i;
  }

  /** Acknowledging stops escalation (the notifier checks the state before escalating). */
  async acknowledge(id: string, by: Principal, note?: string): Promise<IncidentViewDto> {
    assertBuildingScope(by, (await this.find(id)).building, "This incident's building");
    const i = await this.incidents.acknowledge(id, by.email, new Date(), note?.trim() || undefined);
    if (i) return incidentView(i);
    const existing = await this.get(id);
    throw new ConflictError(`Incident is ${existing.state}; only an open incident can be acknowledged`);
  }

  /** Manual resolution (e.g. a node removed for good); notifies like an automatic one. */
  async resolve(id: string, by: Principal): Promise<IncidentViewDto> {
    assertBuildingScope(by, (await this.find(id)).building, "This incident's building");
    // A person's word ends it, flapping or not.
    const i = await this.incidents.resolve(id, new Date(), { evenIfFlapping: true });
    if (!i) {
      const existing = await this.get(id);
      throw new ConflictError(`Incident is already ${existing.state}`);
    }
    await this.producer.add(JobName.INCIDENT_CHANGED, { incidentId: id, change: 'resolved', revision: i.revision });
    return incidentView(i);
  }
}
