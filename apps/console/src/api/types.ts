// The shapes the console reads from /api/v1 (the gateway's view DTOs, as JSON).

export type Role = 'support' | 'technician' | 'netadmin' | 'admin';
export type NodeState = 'UP' | 'DOWN' | 'IMPACTED' | 'UNKNOWN' | 'FLAPPING' | 'DEGRADED' | 'SUSPENDED';

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  skip: number;
}

export interface Me {
  id: string;
  email: string;
  name?: string;
  role: Role;
  buildings: string[];
}

export interface Building {
  id: string;
  name: string;
  code: string;
  address?: string;
}

export interface EvidenceHop {
  kind: string;
  id: string;
  name: string;
  state: NodeState;
  rttMs?: number;
  detail?: string;
  at?: string;
}

export interface Incident {
  id: string;
  rootCause: { kind: string; id: string; name: string; type: string };
  building?: string;
  buildingName?: string;
  level: number;
  state: 'open' | 'acknowledged' | 'resolved';
  openedAt: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  acknowledgeNote?: string;
  resolvedAt?: string;
  /** Inside a maintenance window: nobody paged until it ends with the incident still open. */
  inMaintenance?: boolean;
  maintenance?: { since: string; windowIds: string[]; until?: string };
  impactedDevices: number;
  impactedSubscribers: number;
  path: EvidenceHop[];
  revision: number;
}

export interface SubscriberCounts {
  total: number;
  online: number;
  down: number;
  impacted: number;
  suspended: number;
}

export interface TreeNode {
  kind: 'router' | 'device';
  id: string;
  name: string;
  type: string;
  ipAddress?: string;
  state: NodeState;
  since?: string;
  subscribers?: SubscriberCounts;
  children: TreeNode[];
}

export interface Topology {
  building: { id: string; name: string; code: string };
  at: string;
  roots: TreeNode[];
  totals: { routers: number; devices: number; subscribers: SubscriberCounts };
}

/** One `hop` event of the streamed Live Check: a hop as soon as its probe answered. */
export interface LiveCheckProgress {
  index: number;
  total: number;
  hop: EvidenceHop;
}

export interface LiveCheckResult {
  hops: EvidenceHop[];
  summary: string;
  checkedAt: string;
  durationMs: number;
}

export interface SyncState {
  desiredVersion: number;
  appliedVersion: number;
  syncStatus: string;
  syncError?: string;
  lastSyncedAt?: string;
  inSync: boolean;
}

export interface Subscriber {
  id: string;
  username: string;
  macAddress?: string;
  staticIp?: string;
  router: string;
  station: string | null;
  building: string | null;
  profile: string;
  isSuspended: boolean;
  sync: SyncState;
  state: NodeState;
  isOnline: boolean;
  currentAddress?: string;
}

export interface SubscriberStatus {
  id: string;
  username: string;
  isOnline: boolean;
  state: NodeState;
  since?: string;
  lastOnlineAt?: string;
  lastOfflineAt?: string;
  currentAddress?: string;
  isSuspended: boolean;
  /** changing state too often (diagnostics' flap detection): one notice, no message per flap */
  flapping?: boolean;
  flappingSince?: string;
  syncStatus: string;
  currentDowntime: null | {
    id: string;
    startedAt: string;
    cause: 'self' | 'impacted';
    incidentId?: string;
    rootCause?: { name: string; type: string };
    incidentLevel?: number;
    incidentState?: string;
  };
}

export interface DowntimeLog {
  id: string;
  startedAt: string;
  endedAt: string | null;
  durationSec: number | null;
  cause: string;
  incident: string | null;
  open: boolean;
}

export interface Availability {
  scope: 'subscriber' | 'building';
  id: string;
  from: string;
  to: string;
  periodSec: number;
  subscribers: number;
  downtimeSec: number;
  impactedSec: number;
  affectedSubscribers: number;
  availability: number;
  availabilityPct: number;
}

export interface Router {
  id: string;
  name: string;
  host: string;
  apiPort: number;
  tls: boolean;
  rosVersion?: string;
  building?: string;
  role: string;
  hasWebhookToken: boolean;
  status: { state: NodeState; since?: string; lastCheckAt?: string; lastSeenAt?: string; incident?: string };
  syncStatus: string;
  syncError?: string;
  lastSyncedAt?: string;
}

/** One message of the SSE feed (DashboardFeedMessage). */
export interface FeedMessage {
  type: 'incident' | 'node-state' | 'subscriber-state' | 'notification';
  at: string;
  data: Record<string, unknown>;
}
