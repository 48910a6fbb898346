import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { IncidentRepository, toId } from '@isp/data';
import { burstCheckDue, findBurst, JobName, type TopologyGraph } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { DiagnosticsConfig } from '../config/diagnostics.config';
import { TopologyCacheService } from '../topology/topology-cache.service';
import { PendingFacts } from './pending-facts';

/**
 * Cuts the hold-down short for a burst. As the router's held set grows, it is checked with the
 * pure rule (libs/domain findBurst; at the sizes burstCheckDue picks, not at every DOWN); a burst queues an early diagnose job for the router
 * at the front of the queue, so the walk probes the common parent now instead of when the
 * hold-down ends. (Promoting the delayed job would put it behind every status event queued
 * meanwhile: thousands in an outage's burst.)
 *
 * Replicas act as one: the first replica to claim the router's burst window (a Redis SET NX
 * lasting HOLD_DOWN_MS) adds the early job, whose id is derived from the delayed batch's; the
 * others, and the rest of the burst's events, skip the check until the window ends. The early
 * batch takes the facts held so far; what arrives after stays for the delayed batch, which runs
 * when its hold-down ends and finds the root's incident already open.
 */
@Injectable()
export class BurstTrigger {
  private readonly log = new Logger(BurstTrigger.name);

  constructor(
    private readonly topology: TopologyCacheService,
    private readonly pending: PendingFacts,
    private readonly config: DiagnosticsConfig,
    private readonly producer: JobProducer,
    private readonly incidents: IncidentRepository,
  ) {}

  /**
   * `batch`: the router's diagnose job the DOWN joined (as the dedupe add returned it); `heldNow`:
   * the router's held set's size right after this DOWN joined it (checked at some sizes only).
   */
  async check(routerId: string, batch: Job, heldNow: number): Promise<void> {
    const { BURST_MIN_NODES: minNodes, BURST_MIN_FRACTION: minFraction, HOLD_DOWN_MS: holdDown } = this.config;
    if (!holdDown || !burstCheckDue(heldNow, minNodes)) return;
    if (await this.pending.burstClaimed(routerId)) return;
    const held = await this.pending.heldNodes(routerId);
    if (held.length < minNodes) return;
    const graph = this.topology.graph;
    const burst = findBurst(graph, held, { minNodes, minFraction });
    if (!burst || !(await this.pending.claimBurst(routerId, holdDown))) return;
    const name = graph.get(burst.parent)?.name ?? burst.parent;
    if (await this.alreadyPaged(graph, burst.parent)) {
      this.log.log({ routerId, parent: name, held: burst.held }, 'burst under a node whose outage is already open: left to the hold-down');
      return;
    }
    await this.producer.add(JobName.DIAGNOSE_ROUTER, { routerId, burstOf: String(batch.id) });
    this.log.log({ routerId, parent: name, held: burst.held, below: burst.below }, 'burst of DOWNs under one parent: diagnosing now, not after the hold-down');
  }

  /**
   * An open outage at or above the parent already explains the burst and has paged: nothing to
   * hurry (a burst spread over several hold-down windows would otherwise re-probe each time).
   * Redundancy lost (nobody impacted) does not count: a burst below it is the other path failing.
   */
  private async alreadyPaged(graph: TopologyGraph, parent: string): Promise<boolean> {
    for (const id of [parent, ...graph.ancestors(parent)]) {
      const kind = graph.get(id)?.kind;
      if (kind !== 'device' && kind !== 'router') continue;
      const open = await this.incidents.findOpenFor({ kind, id: toId(id) });
      if (open && open.impactedSubscribers + open.impactedDevices > 0) return true;
    }
    return false;
  }
}
