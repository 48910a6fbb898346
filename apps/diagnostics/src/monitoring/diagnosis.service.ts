import { Injectable, Logger } from '@nestjs/common';
import { runWalk, shareJointOutage, withoutJointlyOwned, type ProbeState } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { IncidentLifecycleService } from '../incidents/incident-lifecycle.service';
import { ProbeService, type ProbeResult } from '../probing/probe.service';
import { TopologyCacheService } from '../topology/topology-cache.service';
import { batchAbandoned, PendingFacts } from './pending-facts';
import { SubjectHistory } from './subject-history';

export interface DiagnosisSummary {
  facts: number;
  roots: string[];
  cleared: number;
  probes: number;
  undetermined: number;
}

/**
 * One batch: the DOWN facts one router reported during the hold-down, planned together with the
 * pure tree walk (libs/domain topology), probed through the shared cache, then recorded.
 */
@Injectable()
export class DiagnosisService {
  private readonly log = new Logger(DiagnosisService.name);

  constructor(
    private readonly topology: TopologyCacheService,
    private readonly pending: PendingFacts,
    private readonly probes: ProbeService,
    private readonly incidents: IncidentLifecycleService,
    private readonly history: SubjectHistory,
    private readonly producer: JobProducer,
  ) {}

  async diagnoseRouter(routerId: string, batchId: string): Promise<DiagnosisSummary> {
    const facts = await this.pending.take(routerId, batchId, batchAbandoned(this.producer));
    const graph = this.topology.graph;
    const failing = [...facts.keys()].filter((id) => graph.get(id));
    if (!failing.length) {
      await this.pending.done(routerId, batchId);
      return { facts: 0, roots: [], cleared: 0, probes: 0, undetermined: 0 };
    }
    // The router that reported the events is alive: it just talked to us.
    const known = new Map<string, ProbeState>([[routerId, 'UP']]);
    const results = new Map<string, ProbeResult>();
    let probes = 0;
    const outcome = await runWalk(graph, failing, known, async (ids) => {
      probes += ids.length;
      const got = await this.probes.probeMany(ids);
      for (const [id, r] of got) results.set(id, r);
      return new Map([...got].map(([id, r]) => [id, r.state]));
    });

    const earliest = (ids: string[]) => {
      const times = ids.map((id) => facts.get(id)?.getTime()).filter((t): t is number => t !== undefined);
      return new Date(times.length ? Math.min(...times) : Date.now());
    };
    // Nodes cut off by several down uplinks at once are counted for one of them only.
    const joint = outcome.roots.length > 1 ? shareJointOutage(outcome.roots, await this.incidents.openRootIds()) : outcome.roots;
    // And across batches: what an open outage at another uplink already cut off stays its own.
    const outageRoots = joint.length ? await this.incidents.openOutageRootIds() : new Set<string>();
    const roots = joint.map((f) => ({ ...f, impacted: withoutJointlyOwned(graph, f.root, f.impacted, outageRoots) }));
    for (const finding of roots) {
      const flapping = await this.history.flappingSince(finding.root);
      await this.incidents.rootCause({ root: finding.root, impacted: finding.impacted, evidence: finding.evidence, results, since: earliest(finding.explains), flappingSince: flapping === null ? null : new Date(flapping) });
    }
    for (const id of outcome.cleared) await this.incidents.nodeUp(id, new Date());
    // A hop above them could not be asked (UNKNOWN is not evidence): nothing is blamed on it.
    if (outcome.undetermined.length) this.log.warn({ routerId, undetermined: outcome.undetermined.map((id) => graph.get(id)?.name ?? id) }, 'reported down, but a hop above could not be probed: undetermined');
    // An UP that arrived after take() (while this batch probed) found no held fact and applied
    // itself, possibly before the DOWN recorded above: apply it again so the later event wins.
    for (const [id, at] of await this.pending.upsAfter(facts)) await this.incidents.nodeUp(id, at);
    await this.pending.done(routerId, batchId);
    const summary = { facts: failing.length, roots: outcome.roots.map((r) => graph.get(r.root)?.name ?? r.root), cleared: outcome.cleared.length, probes, undetermined: outcome.undetermined.length };
    this.log.log({ routerId, ...summary, roots: summary.roots.slice(0, 20) }, 'batch diagnosed');
    return summary;
  }
}
