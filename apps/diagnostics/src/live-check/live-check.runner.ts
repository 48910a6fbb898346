import { Injectable } from '@nestjs/common';
import { SubscriberRepository } from '@isp/data';
import { NodeState, NotFoundError, type LiveCheckHop, type LiveCheckJob, type LiveCheckProgress, type LiveCheckResult } from '@isp/domain';
import { DiagnosticsConfig } from '../config/diagnostics.config';
import { ProbeService, type ProbeResult } from '../probing/probe.service';
import { TopologyCacheService } from '../topology/topology-cache.service';

/**
 * Live Check: probes every hop from the core router down to the target at once, each with its
 * own deadline, so one hanging hop costs at most the hop timeout and the answer arrives within
 * about LIVE_CHECK_HOP_TIMEOUT_MS. Below the first DOWN hop, hops that do not answer are
 * IMPACTED, not DOWN.
 */
@Injectable()
export class LiveCheckRunner {
  constructor(
    private readonly topology: TopologyCacheService,
    private readonly probes: ProbeService,
    private readonly users: SubscriberRepository,
    private readonly config: DiagnosticsConfig,
  ) {}

  /** `onHop` hears each hop as its probe answers (the gateway streams them); it cannot fail the check. */
  async check(job: LiveCheckJob, onHop?: (p: LiveCheckProgress) => Promise<unknown>): Promise<LiveCheckResult> {
    const started = Date.now();
    const g = this.topology.graph;
    const target = job.target;
    if (!g.get(target.id)) throw new NotFoundError(target.kind, target.id);
    const path = g.pathFromTop(target.id).filter((id) => g.get(id)!.kind !== 'building');
    const timeoutMs = this.config.LIVE_CHECK_HOP_TIMEOUT_MS;

    const hops = await Promise.all(
      path.map(async (id, index): Promise<LiveCheckHop> => {
        const hop = await this.probeHop(id, timeoutMs);
        await onHop?.({ index, total: path.length, hop: { ...hop } }).catch(() => undefined);
        return hop;
      }),
    );
    const firstDown = hops.findIndex((h) => h.state === NodeState.DOWN);
    if (firstDown >= 0) for (const h of hops.slice(firstDown + 1)) if (h.state !== NodeState.UP) h.state = NodeState.IMPACTED;

    return {
      target,
      hops,
      summary: hops.map((h) => `${h.name} [${h.state}]`).join(' -> '),
      checkedAt: new Date().toISOString(),
      durationMs: Date.now() - started,
    };
  }

  /** One hop, within its own deadline. */
  private async probeHop(id: string, timeoutMs: number): Promise<LiveCheckHop> {
    const g = this.topology.graph;
    const n = g.get(id)!;
    const kind = n.kind as LiveCheckHop['kind'];
    let address: string | undefined;
    if (n.kind === 'subscriber') {
      // The session's address as stored now (a PPPoE redial moves it; the graph may be older).
      const user = await this.users.findById(id);
      address = user?.staticIp || user?.currentAddress || n.address;
      // Nothing to ping: the last session event is the best evidence there is.
      if (!address) return { kind, id, name: n.name, state: (user?.state as NodeState) ?? NodeState.UNKNOWN, detail: 'from the last session event' };
    }
    const r: ProbeResult = await Promise.race([
      this.probes.probe(id, { fresh: true, attempts: 1, timeoutMs, ...(address && { address }) }),
      new Promise<ProbeResult>((resolve) => setTimeout(() => resolve({ state: 'UNKNOWN', detail: `no answer within ${timeoutMs} ms`, at: new Date().toISOString() }), timeoutMs + 100)),
    ]);
    return { kind, id, name: n.name, state: r.state as NodeState, ...(r.rttMs !== undefined && { rttMs: r.rttMs }), ...(r.detail && { detail: r.detail }) };
  }
}
