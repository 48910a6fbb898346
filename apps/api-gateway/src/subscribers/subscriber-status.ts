import type { IncidentRepository, SubscriberRepository, UserDowntimeLogRepository } from '@isp/data';
import { NotFoundError } from '@isp/domain';
import type { SubscriberStatusDto } from './subscriber.dto';

/** The stores a status answer is read from (the gateway's repositories; the status bench's ceiling uses the same ones). */
export interface StatusSources {
  users: Pick<SubscriberRepository, 'findStatus'>;
  downtime: Pick<UserDowntimeLogRepository, 'findOpen'>;
  incidents: Pick<IncidentRepository, 'findById'>;
}

/**
 * A subscriber's status from the database only (what diagnostics recorded from the routers'
 * webhooks): one read by id, the open downtime log only when offline, its incident only when it
 * has one. Shared with bench/status/ceiling-server.ts so the ceiling does exactly these reads.
 */
export async function readSubscriberStatus(src: StatusSources, id: string): Promise<SubscriberStatusDto> {
  const u = await src.users.findStatus(id);
  if (!u) throw new NotFoundError('Subscriber', id);
  const open = u.isOnline ? null : await src.downtime.findOpen(id);
  const incident = open?.incident ? await src.incidents.findById(open.incident) : null;
  return {
    id,
    username: u.username,
    isOnline: u.isOnline,
    state: u.state,
    since: u.stateSince ?? (u.isOnline ? u.lastOnlineAt : u.lastOfflineAt),
    lastOnlineAt: u.lastOnlineAt,
    lastOfflineAt: u.lastOfflineAt,
    currentAddress: u.currentAddress,
    callerId: u.callerId,
    isSuspended: u.isSuspended,
    flapping: !!u.flappingSince,
    ...(u.flappingSince && { flappingSince: u.flappingSince }),
    syncStatus: u.syncStatus,
    currentDowntime: open
      ? {
          id: String(open._id),
          startedAt: open.startedAt,
          cause: open.cause,
          incidentId: open.incident ? String(open.incident) : undefined,
          rootCause: incident ? { kind: incident.rootCause.kind, id: String(incident.rootCause.id), name: incident.rootCause.name, type: incident.rootCause.type } : undefined,
          incidentLevel: incident?.level,
          incidentState: incident?.state,
        }
      : null,
    source: 'database',
  };
}
