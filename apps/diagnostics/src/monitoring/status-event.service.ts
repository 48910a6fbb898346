import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { DeviceRepository, SubscriberRepository } from '@isp/data';
import { JobName, RECONCILE_SOURCE, type StatusEventJob } from '@isp/domain';
import { JobProducer, PLATFORM_REDIS } from '@isp/platform';
import { IncidentLifecycleService } from '../incidents/incident-lifecycle.service';
import { RouterLiveness } from '../heartbeat/router-liveness.service';
import { TopologyCacheService } from '../topology/topology-cache.service';
import { BurstTrigger } from './burst-trigger.service';
import { FlappingService } from './flapping.service';
import { PendingFacts } from './pending-facts';
import { SubjectHistory } from './subject-history';

export type StatusEventOutcome = 'unknown-subject' | 'stale' | 'held' | 'churn' | 'up';

/**
 * The cheap front of diagnosis. UP: mark up, close the log, resolve what it proves back; or, if
 * the DOWN is still held, call it churn. DOWN: park the fact in Redis (any replica can run the
 * batch) and schedule one delayed diagnose-router job per router for the hold-down; events for
 * that router arriving meanwhile join the same batch, unless they make a burst under one parent
 * (BurstTrigger), which has the batch diagnosed at once.
 *
 * Events of one subject are taken in the order of their own time (`at`: the router's clock when
 * ingest believed it, within its ROUTER_CLOCK_SKEW_MS; else ingest's receipt time), not of
 * arrival: one older than the last handled is stale and ignored (an UP delivered before its
 * DOWN leaves the subscriber UP). Every change of state is counted for flap detection.
 */
@Injectable()
export class StatusEventService {
  private readonly log = new Logger(StatusEventService.name);

  constructor(
    private readonly topology: TopologyCacheService,
    private readonly pending: PendingFacts,
    private readonly incidents: IncidentLifecycleService,
    private readonly users: SubscriberRepository,
    private readonly devices: DeviceRepository,
    private readonly producer: JobProducer,
    private readonly liveness: RouterLiveness,
    private readonly history: SubjectHistory,
    private readonly flapping: FlappingService,
    private readonly burst: BurstTrigger,
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
  ) {}

  async handle(event: StatusEventJob): Promise<StatusEventOutcome> {
    // Whatever it is about, the router that posted it is alive (a silent API is then degraded
    // monitoring). A reconcile event was read over the API, not posted: no webhook evidence.
    if (event.source !== RECONCILE_SOURCE) await this.liveness.eventSeen(event.routerId, new Date(event.receivedAt), event.source);
    const nodeId = await this.topology.resolveSubject(event.routerId, event.subject);
    if (!nodeId) {
      this.log.warn({ routerId: event.routerId, subject: event.subject }, 'status event about something not in the topology; skipped');
      return 'unknown-subject';
    }
    const at = new Date(event.at);
    // A reconcile event is the router's live table read just now against the stored state (older
    // than PRESENCE_GRACE_MS): a correction in server time, not a router-clock event. It is not
    // ordered against the router's clock (which may run minutes behind) and does not move the
    // subject's order mark, or the router's own next events would look stale.
    const order = event.source === RECONCILE_SOURCE ? 'change' : await this.history.observe(nodeId, at, event.event);
    if (order === 'stale') {
      this.log.log({ routerId: event.routerId, subject: event.subject, event: event.event, at: event.at }, 'event older than the last one handled for its subject (delivered out of order): ignored');
      return 'stale';
    }
    if (order === 'change') await this.flapping.changed(nodeId, new Date(event.receivedAt), event.event);
    if (event.event === 'down') {
      const held = await this.pending.add(event.routerId, nodeId, at);
      const batch = await this.scheduleDiagnosis(event.routerId);
      await this.burst.check(event.routerId, batch, held);
      return 'held';
    }
    // A reconcile UP read before a DOWN that is now held is older news: the DOWN stands.
    if (event.source === RECONCILE_SOURCE && ((await this.pending.heldSince(event.routerId, nodeId)) ?? -Infinity) > at.getTime()) return 'stale';
    await this.storeSession(nodeId, event);
    if (await this.pending.remove(event.routerId, nodeId)) {
      // Remembered as for any UP: a DOWN read earlier (a reconcile pass) and queued later is not applied.
      await this.pending.markUp(nodeId, at);
      await this.countChurn(nodeId);
      return 'churn';
    }
    await this.pending.markUp(nodeId, at);
    await this.incidents.nodeUp(nodeId, at);
    return 'up';
  }

  /**
   * One delayed job per router per hold-down window (HOLD_DOWN_MS: the delay and the dedupe
   * window come from the job settings in app.module). Returns that job (the window's existing
   * one when the add was deduplicated).
   */
  private scheduleDiagnosis(routerId: string): Promise<Job> {
    return this.producer.add(JobName.DIAGNOSE_ROUTER, { routerId });
  }

  /** A subscriber's session facts from its UP (a redial may bring a new address): what Live Check pings and the lookup finds. */
  private async storeSession(nodeId: string, event: StatusEventJob): Promise<void> {
    if (this.topology.graph.get(nodeId)?.kind !== 'subscriber') return;
    const address = event.subject.kind === 'dhcp' ? event.subject.ip : event.details?.address;
    await this.users.setSession(nodeId, { currentAddress: address, callerId: event.details?.callerId });
  }

  private async countChurn(nodeId: string): Promise<void> {
    const g = this.topology.graph;
    const node = g.get(nodeId);
    if (node?.kind !== 'subscriber') return;
    await this.users.incrementChurn(nodeId);
    const sector = g.ancestors(nodeId).find((a) => g.get(a)?.kind === 'device' && g.get(a)?.type === 'sector');
    if (sector) await this.devices.incrementChurn(sector);
    this.log.log({ user: node.name, sector: sector && g.get(sector)?.name }, 'session came back within the hold-down: churn, not an outage');
  }
}
