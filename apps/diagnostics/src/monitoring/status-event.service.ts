import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DeviceRepository, SubscriberRepository } from '@isp/data';
import { JobName, QueueName, type StatusEventJob } from '@isp/domain';
import { jobOptions, JobProducer, PLATFORM_CONFIG, PLATFORM_REDIS } from '@isp/platform';
import type { DiagnosticsConfig } from '../config/diagnostics.config';
import { IncidentService } from '../incidents/incident.service';
import { RouterLiveness } from '../heartbeat/router-liveness.service';
import { TopologyService } from '../topology/topology.service';
import { PendingFacts } from './pending-facts';

export type StatusEventOutcome = 'unknown-subject' | 'held' | 'churn' | 'up';

/**
 * The cheap front of diagnosis. UP: mark up, close the log, resolve what it proves back; or, if
 * the DOWN is still held, call it churn. DOWN: park the fact in Redis (any replica can run the
 * batch) and schedule one delayed diagnose-router job per router for the hold-down; events for
 * that router arriving meanwhile join the same batch.
 */
@Injectable()
export class StatusEventService {
  private readonly log = new Logger(StatusEventService.name);

  constructor(
    private readonly topology: TopologyService,
    private readonly pending: PendingFacts,
    private readonly incidents: IncidentService,
    private readonly users: SubscriberRepository,
    private readonly devices: DeviceRepository,
    private readonly producer: JobProducer,
    private readonly liveness: RouterLiveness,
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    @Inject(PLATFORM_CONFIG) private readonly config: DiagnosticsConfig,
  ) {}

  async handle(event: StatusEventJob): Promise<StatusEventOutcome> {
    // Whatever it is about, the router that posted it is alive (a silent API is then degraded monitoring).
    await this.liveness.eventSeen(event.routerId, new Date(event.receivedAt));
    const nodeId = await this.topology.resolveSubject(event.routerId, event.subject);
    if (!nodeId) {
      this.log.warn({ routerId: event.routerId, subject: event.subject }, 'status event about something not in the topology; skipped');
      return 'unknown-subject';
    }
    const receivedAt = new Date(event.receivedAt);
    if (event.event === 'down') {
      await this.pending.add(event.routerId, nodeId, receivedAt);
      await this.scheduleDiagnosis(event.routerId);
      return 'held';
    }
    if (await this.pending.remove(event.routerId, nodeId)) {
      await this.countChurn(nodeId);
      return 'churn';
    }
    await this.pending.markUp(nodeId, receivedAt);
    await this.incidents.nodeUp(nodeId, receivedAt);
    return 'up';
  }

  /**
   * One delayed job per router per hold-down window. Deduplication with a TTL equal to the
   * delay: adds within the window collapse into the job, and an event after it (even while the
   * job runs) starts the next window, so no fact is left behind. The TTL comes from config,
   * which is why this goes to the queue directly rather than through JobProducer.add.
   */
  private async scheduleDiagnosis(routerId: string): Promise<void> {
    const delay = this.config.HOLD_DOWN_MS;
    const data = { routerId };
    await this.producer.queue(QueueName.MONITORING).add(JobName.DIAGNOSE_ROUTER, data, {
      ...jobOptions(JobName.DIAGNOSE_ROUTER, data),
      delay,
      deduplication: { id: `diag.${routerId}`, ttl: Math.max(1, delay) },
    });
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
