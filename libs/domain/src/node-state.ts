/**
 * What the system believes about a node (router, device) or subscriber. DOWN means it is the
 * broken thing; IMPACTED means it is unreachable because an ancestor is DOWN (Nagios' DOWN vs
 * UNREACHABLE). DEGRADED (routers): alive, its webhooks keep arriving, but its API does not
 * answer, so it cannot be monitored; not an outage. SUSPENDED (subscribers): service stopped on
 * purpose (unpaid, on request): neither up nor an outage, no downtime log, out of availability.
 */
export const NodeState = {
  UP: 'UP',
  DOWN: 'DOWN',
  IMPACTED: 'IMPACTED',
  UNKNOWN: 'UNKNOWN',
  DEGRADED: 'DEGRADED',
  SUSPENDED: 'SUSPENDED',
} as const;
export type NodeState = (typeof NodeState)[keyof typeof NodeState];
export const NODE_STATES: readonly NodeState[] = Object.values(NodeState);

export const SyncStatus = {
  PENDING: 'pending',
  SYNCED: 'synced',
  ERROR: 'error',
} as const;
export type SyncStatus = (typeof SyncStatus)[keyof typeof SyncStatus];
export const SYNC_STATUSES: readonly SyncStatus[] = Object.values(SyncStatus);
