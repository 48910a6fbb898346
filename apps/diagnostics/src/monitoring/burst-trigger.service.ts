import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { findBurst } from '@isp/domain';
import { DiagnosticsConfig } from '../config/diagnostics.config';
import { TopologyCacheService } from '../topology/topology-cache.service';
import { PendingFacts } from './pending-facts';

/**
 * Cuts the hold-down short for a burst. After each held DOWN, the router's held set is checked
 * with the pure rule (libs/domain findBurst); a burst promotes the router's delayed diagnose job,
 * so the walk probes the common parent now instead of when the hold-down ends.
 *
 * Replicas act as one: the batch is a single BullMQ job (the dedupe id), and the first replica to
 * claim the router's burst window (a Redis SET NX lasting HOLD_DOWN_MS) promotes it; the others,
 * and the rest of the burst's events, skip the check until the window ends. What arrives after
 * the early batch took its facts starts the next batch with its own hold-down (the processor frees
 * the dedupe id when a batch starts); its walk finds the root's incident already open.
 */
@Injectable()
export class BurstTrigger {
  private readonly log = new Logger(BurstTrigger.name);

  constructor(
    private readonly topology: TopologyCacheService,
    private readonly pending: PendingFacts,
    private readonly config: DiagnosticsConfig,
  ) {}

  /** `batch`: the router's diagnose job the DOWN joined (as the dedupe add returned it). */
  async check(routerId: string, batch: Job): Promise<void> {
    const { BURST_MIN_NODES: minNodes, BURST_MIN_FRACTION: minFraction, HOLD_DOWN_MS: holdDown } = this.config;
    if (!minNodes || !holdDown) return;
    if (await this.pending.burstClaimed(routerId)) return;
    const held = await this.pending.heldNodes(routerId);
    if (held.length < minNodes) return;
    const graph = this.topology.graph;
    const burst = findBurst(graph, held, { minNodes, minFraction });
    if (!burst || !(await this.pending.claimBurst(routerId, holdDown))) return;
    try {
      await batch.promote();
    } catch (err) {
      // Already waiting or running (e.g. the hold-down ended meanwhile): it runs anyway.
      this.log.debug({ routerId, job: batch.id, err: (err as Error).message }, 'burst: batch not delayed, nothing to promote');
      return;
    }
    this.log.log({ routerId, parent: graph.get(burst.parent)?.name ?? burst.parent, held: burst.held, below: burst.below }, 'burst of DOWNs under one parent: diagnosing now, not after the hold-down');
  }
}
