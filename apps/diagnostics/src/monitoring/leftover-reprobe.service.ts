import { Injectable, Logger } from '@nestjs/common';
import { DeviceRepository, IncidentRepository } from '@isp/data';
import { JobName, leftoversToReprobe, NodeState } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { DiagnosticsConfig } from '../config/diagnostics.config';
import { IncidentLifecycleService } from '../incidents/incident-lifecycle.service';
import { ProbeService } from '../probing/probe.service';
import { TopologyCacheService } from '../topology/topology-cache.service';
import { PendingFacts } from './pending-facts';

/**
 * What a resolved incident leaves behind (issue 19, defect 3): devices still IMPACTED once their
 * incident has been resolved for RESOLVE_REPROBE_AFTER_MS, with no UP event of their own. Run
 * with each incident recheck. A probe that answers is their UP; one found DOWN is fed to the
 * walk as a DOWN fact, so a station down before the wider outage, or still down after it, gets
 * its own finding (and its subscribers stay out of UP). UNKNOWN is no evidence: left as it is.
 */
@Injectable()
export class LeftoverReprobeService {
  private readonly log = new Logger(LeftoverReprobeService.name);

  constructor(
    private readonly devices: DeviceRepository,
    private readonly incidents: IncidentRepository,
    private readonly lifecycle: IncidentLifecycleService,
    private readonly probes: ProbeService,
    private readonly pending: PendingFacts,
    private readonly producer: JobProducer,
    private readonly topology: TopologyCacheService,
    private readonly config: DiagnosticsConfig,
  ) {}

  async reprobe(): Promise<{ probed: number; up: number; down: number }> {
    const impacted = await this.devices.findInState(NodeState.IMPACTED);
    if (!impacted.length) return { probed: 0, up: 0, down: 0 };
    const labels = [...new Set(impacted.map((d) => d.status?.incident).filter((i) => !!i).map(String))];
    const incidents = new Map((await this.incidents.findByIds(labels)).map((i) => [String(i._id), i]));
    const now = new Date();
    const nodes = impacted.map((d) => ({ id: String(d._id), incidentId: d.status?.incident ? String(d.status.incident) : null }));
    const ids = leftoversToReprobe(nodes, incidents, now, this.config.RESOLVE_REPROBE_AFTER_MS).filter((id) => this.topology.graph.get(id));
    if (!ids.length) return { probed: 0, up: 0, down: 0 };
    const results = await this.probes.probeMany(ids);
    let up = 0;
    const downByRouter = new Map<string, string[]>();
    for (const [id, r] of results) {
      if (r.state === 'UP') {
        up++;
        await this.lifecycle.nodeUp(id, now);
      } else if (r.state === 'DOWN') {
        const routerId = this.topology.graph.get(id)!.routerId!;
        downByRouter.set(routerId, [...(downByRouter.get(routerId) ?? []), id]);
      }
    }
    for (const [routerId, down] of downByRouter) {
      for (const id of down) await this.pending.add(routerId, id, now);
      await this.producer.add(JobName.DIAGNOSE_ROUTER, { routerId });
    }
    const down = [...downByRouter.values()].flat();
    if (down.length) this.log.warn({ down: down.map((id) => this.topology.graph.get(id)?.name ?? id) }, 'still down after the outage above them resolved: diagnosed on their own');
    return { probed: ids.length, up, down: down.length };
  }
}
