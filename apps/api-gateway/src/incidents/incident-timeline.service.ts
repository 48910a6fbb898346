import { Injectable } from '@nestjs/common';
import { IncidentEventRepository, IncidentRepository, NotificationRepository, TIMELINE_EVENTS_MAX, type Incident, type IncidentEvent, type Notification } from '@isp/data';
import { NotFoundError } from '@isp/domain';
import { assertBuildingScope } from '../auth/building-scope';
import type { Principal } from '../auth/roles';
import type { TimelineEntryDto } from './incident.dto';

function fromEvent(e: IncidentEvent): TimelineEntryDto {
  return {
    at: e.at,
    type: e.type,
    ...(e.by && { by: e.by }),
    ...(e.note && { note: e.note }),
    ...(e.assignee && { assignee: e.assignee }),
    ...(e.level && { level: e.level }),
    ...(e.other && { otherIncident: String(e.other) }),
    ...(e.impact && { impact: e.impact }),
  };
}

function fromNotification(n: Notification): TimelineEntryDto {
  return {
    at: n.sentAt ?? n.lastAttemptAt ?? n.createdAt ?? new Date(0),
    type: 'notified',
    channel: n.channel,
    recipient: n.recipient,
    kind: n.kind,
    status: n.status,
    ...(n.level && { level: n.level }),
  };
}

/**
 * What the incident record itself proves, for incidents older than the events collection (or a
 * write that failed after its change): opened, acknowledged, resolved or merged. Added only when
 * no event of that type exists, so nothing shows twice.
 */
function fromRecord(i: Incident, have: Set<string>): TimelineEntryDto[] {
  const out: TimelineEntryDto[] = [];
  if (!have.has('opened')) out.push({ at: i.openedAt, type: 'opened', level: i.level });
  if (i.acknowledgedAt && !have.has('acknowledged')) out.push({ at: i.acknowledgedAt, type: 'acknowledged', ...(i.acknowledgedBy && { by: i.acknowledgedBy }), ...(i.acknowledgeNote && { note: i.acknowledgeNote }) });
  if (i.state === 'resolved' && i.resolvedAt) {
    if (i.mergedInto && !have.has('merged')) out.push({ at: i.resolvedAt, type: 'merged', otherIncident: String(i.mergedInto) });
    if (!i.mergedInto && !have.has('resolved')) out.push({ at: i.resolvedAt, type: 'resolved' });
  }
  return out;
}

/**
 * An incident's story, oldest first: the events written where each thing happened (diagnostics,
 * notifier, gateway) and, for "notified", the notification records themselves (one per person
 * and channel, with how the delivery ended); see docs/decisions.md.
 */
@Injectable()
export class IncidentTimelineService {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly events: IncidentEventRepository,
    private readonly notifications: NotificationRepository,
  ) {}

  async timeline(id: string, by: Principal): Promise<TimelineEntryDto[]> {
    const incident = await this.incidents.findById(id);
    if (!incident) throw new NotFoundError('Incident', id);
    assertBuildingScope(by, incident.building, "This incident's building");
    const [events, pages] = await Promise.all([this.events.forIncident(id), this.notifications.find({ incident: id }, TIMELINE_EVENTS_MAX)]);
    const have = new Set(events.map((e) => e.type));
    // The dashboard feed is not a person: who was told is the contacts' records.
    const told = pages.filter((n) => n.contact && n.channel !== 'dashboard').map(fromNotification);
    const entries = [...fromRecord(incident, have), ...events.map(fromEvent), ...told];
    // Stable: entries at the same instant keep the order above (the record's, events', pages').
    return entries.map((e, n) => ({ e, n })).sort((a, b) => new Date(a.e.at).getTime() - new Date(b.e.at).getTime() || a.n - b.n).map((x) => x.e);
  }
}
