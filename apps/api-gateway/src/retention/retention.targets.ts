import { FINAL_NOTIFICATION_STATUSES } from '@isp/domain';
import { AUDIT_ENTRY_MODEL } from '../audit/audit-entry.schema';
import { INCIDENT_EVENT_MODEL, INCIDENT_MODEL, NOTIFICATION_MODEL, USER_DOWNTIME_LOG_MODEL } from '@isp/data';
import { ACK_LINK_USE_MODEL } from '../incidents/ack-link-use.schema';

/**
 * One collection under retention: the Mongoose model it is read through, and which of its
 * documents are past keeping at `cutoff`. Only finished records ever match: an open downtime
 * log, an unresolved incident and a delivery still being tried are kept whatever their age.
 */
export interface RetentionTarget {
  /** Name in RETENTION_DAYS_BY_COLLECTION and in the sweep's results. */
  name: string;
  model: string;
  expired(cutoff: Date): Record<string, unknown>;
}

/**
 * Every collection the retention sweep prunes. A new collection is one line here, and its
 * retention is configurable by its name at once. Audit entries are kept RETENTION_DAYS (400)
 * like the rest unless `audit=<days>` says otherwise; the sweep is the only thing that ever
 * deletes one.
 */
export const RETENTION_TARGETS: readonly RetentionTarget[] = [
  { name: 'downtimeLogs', model: USER_DOWNTIME_LOG_MODEL, expired: (c) => ({ endedAt: { $ne: null, $lt: c } }) },
  { name: 'incidents', model: INCIDENT_MODEL, expired: (c) => ({ state: 'resolved', resolvedAt: { $lt: c } }) },
  { name: 'notifications', model: NOTIFICATION_MODEL, expired: (c) => ({ status: { $in: FINAL_NOTIFICATION_STATUSES }, createdAt: { $lt: c } }) },
  { name: 'audit', model: AUDIT_ENTRY_MODEL, expired: (c) => ({ at: { $lt: c } }) },
  // Timeline events age like the incidents they tell (an incident's opening is also on its record).
  { name: 'incidentEvents', model: INCIDENT_EVENT_MODEL, expired: (c) => ({ at: { $lt: c } }) },
  // A used link's record matters only until the link expires; past the cutoff it long has.
  { name: 'ackLinkUses', model: ACK_LINK_USE_MODEL, expired: (c) => ({ expiresAt: { $lt: c } }) },
];

export const RETENTION_TARGET_NAMES = RETENTION_TARGETS.map((t) => t.name);
