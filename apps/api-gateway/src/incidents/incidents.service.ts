import { Injectable } from '@nestjs/common';
import { IncidentEventRepository, IncidentRepository, type Incident } from '@isp/data';
import { ConflictError, JobName, NotFoundError, ValidationError } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { randomUUID } from 'node:crypto';
import { AdminUserRepository } from '../auth/admin-user.repository';
import { assertBuildingScope, inBuildingScope } from '../auth/building-scope';
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
    assignedTo: i.assignedTo ?? undefined,
    assignedAt: i.assignedAt ?? undefined,
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
    private readonly events: IncidentEventRepository,
    private readonly users: AdminUserRepository,
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
    return this.acknowledgeAs(id, by.email, note);
  }

  /** Acknowledges in someone's name (a user, or the contact an acknowledge link was sent to) and files it in the timeline. */
  async acknowledgeAs(id: string, by: string, note?: string): Promise<IncidentViewDto> {
    const text = note?.trim() || undefined;
    const i = await this.incidents.acknowledge(id, by, new Date(), text);
    if (!i) {
      const existing = await this.get(id);
      throw new ConflictError(`Incident is ${existing.state}; only an open incident can be acknowledged`);
    }
    await this.events.append({ incident: id, type: 'acknowledged', at: i.acknowledgedAt, by, note: text, key: `${id}.acknowledged.${randomUUID()}` });
    return incidentView(i);
  }

  /**
   * Takes an acknowledgement back: the incident is open again and the notifier restarts its
   * escalation from now, as if it had never been acknowledged.
   */
  async unacknowledge(id: string, by: Principal): Promise<IncidentViewDto> {
    assertBuildingScope(by, (await this.find(id)).building, "This incident's building");
    const i = await this.incidents.unacknowledge(id);
    if (!i) {
      const existing = await this.get(id);
      throw new ConflictError(`Incident is ${existing.state}; only an acknowledged incident can be un-acknowledged`);
    }
    await this.events.append({ incident: id, type: 'unacknowledged', by: by.email, key: `${id}.unacknowledged.${i.revision}` });
    await this.producer.add(JobName.INCIDENT_CHANGED, { incidentId: id, change: 'unacknowledged', revision: i.revision });
    return incidentView(i);
  }

  /**
   * Gives the incident to a user (null: to nobody). The caller must be in scope for its building,
   * and so must the assignee: a technician of another building cannot act on it.
   */
  async assign(id: string, by: Principal, assignee: string | null): Promise<IncidentViewDto> {
    const incident = await this.find(id);
    assertBuildingScope(by, incident.building, "This incident's building");
    let email: string | null = null;
    if (assignee !== null) {
      const user = await this.users.findByEmail(assignee);
      if (!user || !user.active) throw new ValidationError(`assignee: no active user ${assignee}`);
      const scope = { sub: String(user._id), email: user.email, role: user.role, buildings: (user.buildings ?? []).map(String) };
      if (!inBuildingScope(scope, incident.building ? String(incident.building) : null)) {
        throw new ValidationError(`assignee: ${user.email} may not act in this incident's building`);
      }
      email = user.email;
    }
    const i = await this.incidents.assign(id, email);
    if (!i) throw new ConflictError('Incident is resolved; only an unresolved incident can be assigned');
    await this.events.append({ incident: id, type: 'assigned', by: by.email, ...(email && { assignee: email }), key: `${id}.assigned.${randomUUID()}` });
    return incidentView(i);
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
    await this.events.append({ incident: id, type: 'resolved', at: i.resolvedAt, by: by.email, key: `${id}.resolved.${i.revision}` });
    await this.producer.add(JobName.INCIDENT_CHANGED, { incidentId: id, change: 'resolved', revision: i.revision });
    return incidentView(i);
  }
}
