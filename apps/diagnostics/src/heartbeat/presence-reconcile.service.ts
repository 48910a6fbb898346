import { Inject, Injectable, Logger } from '@nestjs/common';
import { SubscriberRepository } from '@isp/data';
import { JobName, presenceEvents } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { DiagnosticsConfig } from '../config/diagnostics.config';
import { batchAbandoned, PendingFacts } from '../monitoring/pending-facts';
import { PROBER, type Prober } from '../probing/prober.port';
import { TopologyCacheService } from '../topology/topology-cache.service';

/**
 * Lost webhooks (`/tool fetch` does not retry): after a heartbeat found the router up, its
 * sessions are compared with the stored state (libs/domain presenceEvents) and the differences
 * go to the monitoring queue as status events of source `reconcile`, handled like any other.
 * The stored state is read before the router's tables, so an event landing in between shows as
 * a difference the next pass corrects, never as a stale state written back. A subscriber whose DOWN
 * is already held or being diagnosed gets no second one: when a backhaul with thousands behind it
 * fails, the stored states are written by the batch, and until then every look would queue them all again.
 */
@Injectable()
export class PresenceReconcileService {
  private readonly log = new Logger(PresenceReconcileService.name);

  constructor(
    @Inject(PROBER) private readonly prober: Prober,
    private readonly users: SubscriberRepository,
    private readonly producer: JobProducer,
    private readonly pending: PendingFacts,
    private readonly topology: TopologyCacheService,
    private readonly config: DiagnosticsConfig,
  ) {}

  /** Number of differences queued. Never throws: a failed comparison waits for the next heartbeat. */
  async reconcile(routerId: string): Promise<number> {
    if (!this.config.PRESENCE_RECONCILE || !this.prober.sessions) return 0;
    // A router that serves nobody (a core router in front of edge routers) costs no read at every
    // look. The graph follows the database within a topology change (or the periodic rebuild).
    if (!this.topology.graph.subscriberCount(routerId)) return 0;
    try {
      const stored = await this.users.findPresence(routerId);
      if (!stored.length) return 0;
      const leases = stored.some((u) => u.serviceType === 'dhcp');
      const seen = await this.prober.sessions(routerId, { timeoutMs: this.config.PROBE_TIMEOUT_MS, leases });
      const input = {
        routerId,
        stored: stored.map((u) => ({ ...u, id: String(u._id) })),
        pppActive: seen.pppActive,
        leases: seen.leases,
        observedAt: new Date(),
        graceMs: this.config.PRESENCE_GRACE_MS,
      };
      let events = presenceEvents(input);
      // Which DOWNs are already on their way is read only when there is a DOWN to make: the
      // routine look, router and database agreeing, costs no more than before. Read after the
      // tables, it can only leave out more DOWNs that are on their way, never one that is not.
      if (events.some((e) => e.event === 'down')) events = presenceEvents({ ...input, heldDown: await this.pending.inFlight(routerId, batchAbandoned(this.producer)) });
      if (!events.length) return 0;
      await this.producer.addBulk(JobName.STATUS_EVENT, events);
      this.log.log({ routerId, differences: events.length, subjects: events.slice(0, 10).map((e) => `${e.event} ${'username' in e.subject ? e.subject.username : 'mac' in e.subject ? e.subject.mac : ''}`) }, 'sessions differ from the stored state: reconcile events queued');
      return events.length;
    } catch (err) {
      this.log.warn({ routerId, err: (err as Error).message }, 'sessions not compared');
      return 0;
    }
  }
}
