import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DASHBOARD_FEED_CHANNEL, JobName, type DashboardFeedMessage, type IncidentChange, type NodeState } from '@isp/domain';
import { JobProducer, PLATFORM_REDIS } from '@isp/platform';
import { type Incident } from '@isp/data';

/**
 * What diagnostics tells the rest of the system: one notification-queue job per incident change
 * and per Level 1 subscriber status change (their job ids dedupe retries and replicas), and
 * dashboard feed messages (best effort: the feed is a live view, the database is the record).
 */
@Injectable()
export class HandOffService {
  private readonly log = new Logger(HandOffService.name);

  constructor(
    private readonly producer: JobProducer,
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
  ) {}

  async incidentChanged(incident: Incident, change: IncidentChange): Promise<void> {
    await this.producer.add(JobName.INCIDENT_CHANGED, { incidentId: String(incident._id), change, revision: incident.revision });
    this.log.log({ incident: String(incident._id), change, revision: incident.revision, root: incident.rootCause.name, level: incident.level }, 'incident changed');
    await this.feed('incident', {
      change,
      incidentId: String(incident._id),
      level: incident.level,
      state: incident.state,
      rootCause: { ...incident.rootCause, id: String(incident.rootCause.id) },
      buildingName: incident.buildingName,
      impactedDevices: incident.impactedDevices,
      impactedStations: incident.impactedStations ?? 0,
      impactedSubscribers: incident.impactedSubscribers,
    });
  }

  async subscriberStatus(userId: string, state: NodeState, at: Date): Promise<void> {
    await this.producer.add(JobName.SUBSCRIBER_STATUS, { userId, state, at: at.toISOString() });
    await this.feed('subscriber-state', { userId, state });
  }

  async nodeState(kind: string, id: string, name: string, state: NodeState, extra: Record<string, unknown> = {}): Promise<void> {
    await this.feed('node-state', { kind, id, name, state, ...extra });
  }

  private async feed(type: DashboardFeedMessage['type'], data: Record<string, unknown>): Promise<void> {
    const message: DashboardFeedMessage = { type, at: new Date().toISOString(), data };
    await this.redis.publish(DASHBOARD_FEED_CHANNEL, JSON.stringify(message)).catch((err: Error) => this.log.warn({ err: err.message }, 'dashboard feed publish failed'));
  }
}
