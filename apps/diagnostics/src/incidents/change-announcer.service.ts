import { Injectable, Logger } from '@nestjs/common';
import { JobName, type FeedMessageType, type FeedPayloads, type IncidentChange, type NodeState, type NodeStateFeedData } from '@isp/domain';
import { FeedPublisher, JobProducer } from '@isp/platform';
import { IncidentEventRepository, impactOfIncident, type Incident } from '@isp/data';

/**
 * What diagnostics tells the rest of the system: one notification-queue job per incident change
 * and per Level 1 subscriber status change (their job ids dedupe retries and replicas), and the
 * dashboard feed messages diagnostics owns, `incident` and `node-state` (best effort: the feed is
 * a live view, the database is the record). `subscriber-state` is the notifier's, published when
 * it handles the status job (docs/decisions.md, "One owner per feed message").
 */
@Injectable()
export class ChangeAnnouncerService {
  private readonly log = new Logger(ChangeAnnouncerService.name);

  constructor(
    private readonly producer: JobProducer,
    private readonly feed: FeedPublisher,
    private readonly events: IncidentEventRepository,
  ) {}

  async incidentChanged(incident: Incident, change: IncidentChange): Promise<void> {
    // The timeline's record first (keyed by revision: a retried diagnosis writes it once), then the job.
    const id = String(incident._id);
    const at = change === 'resolved' ? incident.resolvedAt : change === 'opened' ? incident.openedAt : undefined;
    await this.events.append({ incident: id, type: change, at, level: incident.level, impact: impactOfIncident(incident), key: `${id}.${change}.${incident.revision}` });
    await this.producer.add(JobName.INCIDENT_CHANGED, { incidentId: String(incident._id), change, revision: incident.revision });
    this.log.log({ incident: String(incident._id), change, revision: incident.revision, root: incident.rootCause.name, level: incident.level }, 'incident changed');
    await this.publish('incident', {
      change,
      incidentId: String(incident._id),
      revision: incident.revision,
      level: incident.level,
      state: incident.state,
      rootCause: { ...incident.rootCause, id: String(incident.rootCause.id) },
      buildingName: incident.buildingName,
      impactedDevices: incident.impactedDevices,
      impactedSubscribers: incident.impactedSubscribers,
    });
  }

  /** For both timelines: the swallowed incident "merged" into the one that carries on, which "absorbed" it. */
  async incidentMerged(merged: Incident, into: Incident): Promise<void> {
    const [from, to] = [String(merged._id), String(into._id)];
    await this.events.append({ incident: from, type: 'merged', at: merged.resolvedAt, other: into._id, key: `${from}.merged` });
    await this.events.append({ incident: to, type: 'absorbed', at: merged.resolvedAt, other: merged._id, impact: impactOfIncident(into), key: `${to}.absorbed.${from}` });
  }

  async subscriberStatus(userId: string, state: NodeState, at: Date): Promise<void> {
    await this.producer.add(JobName.SUBSCRIBER_STATUS, { userId, state, at: at.toISOString() });
  }

  async nodeState(kind: NodeStateFeedData['kind'], id: string, name: string, state: NodeState, extra: Pick<NodeStateFeedData, 'incidentId' | 'impacted' | 'flapping'> = {}): Promise<void> {
    await this.publish('node-state', { kind, id, name, state, ...extra });
  }

  private async publish<T extends FeedMessageType>(type: T, data: FeedPayloads[T]): Promise<void> {
    await this.feed.publish(type, data).catch((err: Error) => this.log.warn({ err: err.message }, 'dashboard feed publish failed'));
  }
}
