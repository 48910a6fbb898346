import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { heardDuringCheck, heartbeatBatches, impactedBy, JobName, judgeRouterSilence, NodeState, rootForRouterFailure } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { MikrotikRouterRepository } from '@isp/data';
import { DiagnosticsConfig } from '../config/diagnostics.config';
import { DegradedMonitoringService } from '../incidents/degraded-monitoring.service';
import { IncidentLifecycleService } from '../incidents/incident-lifecycle.service';
import { RouterStateCache } from '../incidents/router-state-cache.service';
import { ProbeService, type ProbeResult } from '../probing/probe.service';
import { TopologyCacheService } from '../topology/topology-cache.service';
import { PresenceReconcileService } from './presence-reconcile.service';
import { RouterLiveness } from './router-liveness.service';

export const HEARTBEAT_SCHEDULER_ID = 'core-router-heartbeat';

/**
 * The 60-second heartbeat of every router: a BullMQ job scheduler (one per deployment however
 * many replicas upsert it) emits heartbeat-tick; the tick fans out heartbeat-check jobs of a few
 * routers each, spread across the interval so the checks do not arrive in one burst.
 */
@Injectable()
export class HeartbeatService implements OnApplicationBootstrap, OnApplicationShutdown {
  /** Routers found up as they were since the last flush: stamped together, once a second. */
  private seen = new Map<string, Date>();
  private flushTimer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  private readonly log = new Logger(HeartbeatService.name);

  constructor(
    private readonly producer: JobProducer,
    private readonly topology: TopologyCacheService,
    private readonly probes: ProbeService,
    private readonly incidents: IncidentLifecycleService,
    private readonly degraded: DegradedMonitoringService,
    private readonly routers: MikrotikRouterRepository,
    private readonly routerStates: RouterStateCache,
    private readonly liveness: RouterLiveness,
    private readonly presence: PresenceReconcileService,
    private readonly config: DiagnosticsConfig,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.flushTimer) clearInterval(this.flushTimer);
    await this.flush();
  }

  async onApplicationBootstrap(): Promise<void> {
    this.flushTimer = setInterval(() => void this.flush(), 1000);
    this.flushTimer.unref();
    // Disabled: removed, so a schedule left in Redis by an earlier deployment stops too.
    await this.producer.schedule(HEARTBEAT_SCHEDULER_ID, this.config.HEARTBEAT_ENABLED ? this.config.HEARTBEAT_INTERVAL_MS : 0, JobName.HEARTBEAT_TICK, {});
  }

  async tick(): Promise<{ routers: number; jobs: number }> {
    // Every router, edge routers too: when one dies its own scripts die with it, so nothing else reports it.
    const routers = this.topology.graph.routerIds();
    const jobs = heartbeatBatches(routers, this.config.HEARTBEAT_INTERVAL_MS * 0.8, this.config.HEARTBEAT_BATCH_MAX);
    for (let i = 0; i < jobs.length; i += 500) {
      const chunk = jobs.slice(i, i + 500);
      await this.producer.addBulk(JobName.HEARTBEAT_CHECK, chunk.map((j) => ({ routerIds: j.routerIds })), (j) => chunk[j].delayMs);
    }
    return { routers: routers.length, jobs: jobs.length };
  }

  /**
   * Checks routers together (one heartbeat job), telling `checked` each verdict with how long its
   * check took. The batch's Redis work goes out together: the check holds, the probes' shared
   * cache, the recorded states, the releases. One router's failed check does not stop the
   * others'; the job fails after them, naming it.
   */
  async checkMany(routerIds: string[], checked: (state: NodeState, seconds: number) => void): Promise<NodeState[]> {
    const started = process.hrtime.bigint();
    const known = routerIds.filter((id) => this.topology.graph.get(id));
    // A router another check is running for (the tick's and a delayed look again met): its verdict stands.
    const holds = await this.liveness.claimChecks(known);
    const mine = known.filter((id) => holds.has(id));
    const verdicts = new Map<string, PromiseSettledResult<NodeState>>();
    try {
      const began = Date.now();
      const probed = await this.probes.probeMany(mine);
      const recorded = await this.routerStates.getMany(mine.filter((id) => probed.get(id)?.state === 'UP'));
      const settled = await Promise.allSettled(
        mine.map(async (id) => {
          const state = await this.judge(id, probed.get(id)!, recorded.get(id) ?? null, began);
          checked(state, Number(process.hrtime.bigint() - started) / 1e9);
          return state;
        }),
      );
      mine.forEach((id, i) => verdicts.set(id, settled[i]));
    } finally {
      await this.liveness.releaseChecks(holds);
    }
    const failed = mine.flatMap((id) => {
      const v = verdicts.get(id)!;
      return v.status === 'rejected' ? [`${id}: ${(v.reason as Error)?.message ?? String(v.reason)}`] : [];
    });
    if (failed.length) throw new Error(`${failed.length} of ${routerIds.length} heartbeat checks failed: ${failed.slice(0, 5).join('; ')}`);
    return routerIds.map((id) => {
      const v = verdicts.get(id);
      return v?.status === 'fulfilled' ? v.value : NodeState.UNKNOWN;
    });
  }

  /** Writes the pending "still up" stamps: one update a second, not one per router. */
  private flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (!this.seen.size) return;
      const batch = this.seen;
      this.seen = new Map();
      // Within one flush the stamps differ by under a second: the latest stands for all of them.
      const latest = new Date(Math.max(...[...batch.values()].map((d) => d.getTime())));
      await this.routers.setStatusMany([...batch.keys()], { lastCheckAt: latest, lastSeenAt: latest }).catch((err: Error) => this.log.warn({ err: err.message, routers: batch.size }, 'heartbeat stamps not written'));
    });
    return this.flushing;
  }

  /** One router of a batch: its probe's result, its state as recorded (the mirror), when the batch began. */
  private async judge(routerId: string, probed: ProbeResult, recorded: NodeState | null, began: number): Promise<NodeState> {
    const g = this.topology.graph;
    const router = g.get(routerId)!;
    let result = probed;
    if (result.state !== 'UP' && result.breakerOpen && (await this.liveness.lastEventAt(routerId)) !== undefined) {
      // Its webhooks arrive, but the pool's breaker still holds failures of moments ago (a reboot
      // just over): that is no answer of now. Forget them and ask once more before judging.
      this.probes.forgetRouter(routerId);
      result = await this.probes.probe(routerId, { fresh: true });
    }
    const now = new Date();
    // The routine case, a router up that was up, costs no read of its record and shares one
    // write with the others checked this second; anything else reads the record and decides.
    if (result.state === 'UP' && recorded === NodeState.UP) {
      this.seen.set(routerId, now);
      await this.presence.reconcile(routerId);
      return NodeState.UP;
    }
    const stored = await this.routers.findById(routerId);
    if (result.state === 'UP') {
      await this.liveness.answered(routerId, now);
      if (stored && stored.status?.state !== NodeState.UP) {
        await this.incidents.nodeUp(routerId, now);
        if (router.buildingId) await this.incidents.resolveRootedAt([router.buildingId], now, `${router.name} answers again`);
        // Desired state queued while the router was away is applied now, not at the next reconcile.
        const wasAway = stored.status?.state === NodeState.DOWN || stored.status?.state === NodeState.IMPACTED;
        if (wasAway) await this.producer.add(JobName.SYNC_ROUTER, { routerId });
      } else {
        await this.routers.setStatus(routerId, { lastCheckAt: now, lastSeenAt: now });
        if (stored?.status?.state === NodeState.UP) await this.routerStates.set(routerId, NodeState.UP);
      }
      // After the recovery above: sessions are compared with the state it left.
      await this.presence.reconcile(routerId);
      return NodeState.UP;
    }
    // No answer after the probe's own retries. Alive if its webhooks keep coming: degraded, not down.
    const judgedEventAt = await this.liveness.lastEventAt(routerId);
    const verdict = judgeRouterSilence({
      now: now.getTime(),
      failingSince: await this.liveness.failing(routerId, now),
      lastEventAt: judgedEventAt,
      aliveWindowMs: this.config.ROUTER_ALIVE_WINDOW_MS,
      confirmMs: this.config.ROUTER_SILENCE_CONFIRM_MS,
      graceMs: this.config.ROUTER_EVENT_GRACE_MS,
    });
    if (verdict === 'degraded') {
      await this.degraded.open(routerId, now, result.detail);
      return NodeState.DEGRADED;
    }
    if (verdict === 'wait') {
      // Busy until just now: look again once the confirmation time is over.
      await this.producer.add(JobName.HEARTBEAT_CHECK, { routerIds: [routerId] }, { delay: this.config.ROUTER_SILENCE_CONFIRM_MS });
      return NodeState.UNKNOWN;
    }
    // Down: the router, or its building when every core router there is down.
    const buildingId = router.buildingId;
    const peers = buildingId ? await this.routers.findAll({ building: buildingId, role: 'core' }) : [];
    const down = new Set(peers.filter((p) => p.status?.state === NodeState.DOWN || p.status?.state === NodeState.IMPACTED).map((p) => String(p._id)));
    down.add(routerId);
    const choice = rootForRouterFailure(g, routerId, down);
    const impacted = impactedBy(g, choice.root, down).filter((id) => id !== routerId || choice.root !== routerId);
    const [lastEventAt, answeredAt] = await Promise.all([this.liveness.lastEventAt(routerId), this.liveness.answeredAt(routerId)]);
    if (heardDuringCheck({ began, judgedEventAt, lastEventAt, answeredAt, graceMs: this.config.ROUTER_EVENT_GRACE_MS })) {
      // Heard from, or found answering, while this check ran: look again once the confirmation time is over.
      await this.producer.add(JobName.HEARTBEAT_CHECK, { routerIds: [routerId] }, { delay: this.config.ROUTER_SILENCE_CONFIRM_MS });
      return NodeState.UNKNOWN;
    }
    // A degraded notice standing for it is superseded by the outage.
    await this.degraded.resolve(routerId, now, 'the router is down, not just its API');
    const results = new Map<string, ProbeResult>([...down].map((id) => [id, { state: 'DOWN', detail: 'no heartbeat answer', at: now.toISOString() }]));
    results.set(routerId, result);
    const evidence = choice.root === routerId ? [routerId] : [...choice.routers];
    await this.incidents.rootCause({ root: choice.root, impacted, evidence: [...(buildingId ? [buildingId] : []), ...evidence], results, since: now });
    this.log.warn({ router: router.name, root: g.get(choice.root)?.name, detail: result.detail }, 'core router does not answer');
    return NodeState.DOWN;
  }
}
