import { Injectable, Logger } from '@nestjs/common';
import { IncidentRepository, toId, type Incident } from '@isp/data';
import { isMonitoringNotice, MONITORING_DEGRADED, NodeState } from '@isp/domain';
import { TopologyCacheService } from '../topology/topology-cache.service';
import { ChangeAnnouncerService } from './change-announcer.service';
import { IncidentLifecycleService } from './incident-lifecycle.service';

/**
 * The notice for a router whose monitoring is degraded (its API silent while its webhooks
 * arrive): opened by the heartbeat, cleared through the lifecycle like any incident. Kept apart
 * from the outage lifecycle, which it only calls.
 */
@Injectable()
export class DegradedMonitoringService {
  private readonly log = new Logger(DegradedMonitoringService.name);

  constructor(
    private readonly topology: TopologyCacheService,
    private readonly incidents: IncidentRepository,
    private readonly announcer: ChangeAnnouncerService,
    private readonly lifecycle: IncidentLifecycleService,
  ) {}

  /**
   * A router that is alive (its webhooks arrive) but whose API does not answer: its own state and
   * one notice (an incident typed monitoring-degraded, routed to network admins at normal
   * priority), impacting nobody. Cleared only when its API answers again (nodeUp of the router).
   */
  async open(routerId: string, at: Date, detail?: string): Promise<Incident | null> {
    const node = this.topology.graph.get(routerId);
    if (!node) return null;
    const existing = await this.incidents.findOpenFor({ kind: 'router', id: toId(routerId) });
    // An outage recorded for it is disproved by the webhooks it keeps sending.
    if (existing && existing.rootCause.type !== MONITORING_DEGRADED) await this.lifecycle.resolve(String(existing._id), at, `${node.name} is alive: its webhooks arrive`);
    const building = node.buildingId;
    const { incident, created } = await this.incidents.openOrGet({
      rootCause: { kind: 'router', id: toId(routerId), name: node.name, type: MONITORING_DEGRADED },
      building: building ? toId(building) : null,
      buildingName: building ? this.topology.graph.get(building)?.name : undefined,
      level: 3,
      openedAt: at,
      impactedDevices: 0,
      impactedSubscribers: 0,
      path: [{ kind: 'router', id: toId(routerId), name: node.name, state: NodeState.DEGRADED, detail: detail ? `API: ${detail}; webhooks still arrive` : 'webhooks still arrive', at }],
    });
    if (created || incident.revision === 1) await this.announcer.incidentChanged(incident, 'opened');
    await this.lifecycle.setRouter(routerId, NodeState.DEGRADED, at, incident._id);
    if (created) {
      this.log.warn({ router: node.name, detail }, 'router API does not answer but its webhooks arrive: monitoring degraded, not an outage');
      await this.announcer.nodeState('router', routerId, node.name, NodeState.DEGRADED, { incidentId: String(incident._id) });
    }
    return incident;
  }

  /** Resolves a degraded-monitoring incident of the router (its API answers, or it is down for real). */
  async resolve(routerId: string, at: Date, reason: string): Promise<void> {
    const open = await this.incidents.findOpenFor({ kind: 'router', id: toId(routerId) });
    // A silent notice too: the router is down, which the outage about to open says better.
    if (isMonitoringNotice(open?.rootCause.type)) await this.lifecycle.resolve(String(open!._id), at, reason);
  }
}
