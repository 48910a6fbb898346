import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { IncidentRepository } from '@isp/data';
import { JobName } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { DiagnosticsConfig } from '../config/diagnostics.config';
import { IncidentLifecycleService } from '../incidents/incident-lifecycle.service';
import { ProbeService } from '../probing/probe.service';
import { TopologyCacheService } from '../topology/topology-cache.service';
import { RouterLiveness } from './router-liveness.service';

export const INCIDENT_RECHECK_SCHEDULER_ID = 'open-incident-recheck';

/**
 * Open incidents are resolved by the UP event of their root cause (Netwatch up-script, a session
 * back, the core heartbeat). An event can be lost: ingest down or unreachable at that moment,
 * and `/tool fetch` does not retry. So every INCIDENT_RECHECK_MS (one BullMQ job scheduler
 * however many replicas) the root of each open incident is probed again, and one that answers
 * is treated as its UP event.
 */
@Injectable()
export class IncidentRecheckService implements OnApplicationBootstrap {
  private readonly log = new Logger(IncidentRecheckService.name);

  constructor(
    private readonly producer: JobProducer,
    private readonly incidents: IncidentRepository,
    private readonly incidentService: IncidentLifecycleService,
    private readonly probes: ProbeService,
    private readonly liveness: RouterLiveness,
    private readonly topology: TopologyCacheService,
    private readonly config: DiagnosticsConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.producer.schedule(INCIDENT_RECHECK_SCHEDULER_ID, this.config.INCIDENT_RECHECK_MS, JobName.RECHECK_INCIDENTS, {});
  }

  async recheck(): Promise<{ checked: number; resolved: string[] }> {
    // Buildings have no address of their own: their core routers' heartbeat resolves them.
    const roots = [...new Set((await this.incidents.findOpen()).filter((i) => i.rootCause.kind === 'device' || i.rootCause.kind === 'router').map((i) => String(i.rootCause.id)))];
    const results = await this.probes.probeMany(roots);
    const now = new Date();
    const resolved: string[] = [];
    for (const [id, result] of results) {
      if (result.state !== 'UP') continue;
      // A heartbeat check of this router that failed before this answer must not write its outage after it.
      if (this.topology.graph.get(id)?.kind === 'router') await this.liveness.answered(id, now);
      await this.incidentService.nodeUp(id, now);
      resolved.push(id);
    }
    if (resolved.length) this.log.warn({ resolved }, 'open incidents whose root cause answers again, with no UP event received: resolved');
    return { checked: roots.length, resolved };
  }
}
