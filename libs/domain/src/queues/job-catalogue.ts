import type { NodeState } from '../node-state';
import type { WebhookKind } from '../events/webhook-events';
import { QueueName } from './queue-names';

/**
 * Every job name and its payload, in one place. Payloads carry ids, never documents: workers
 * reload what they need from the database, so a job queued before an edit acts on fresh data.
 */
export const JobName = {
  // monitoring-queue (diagnostics)
  STATUS_EVENT: 'status-event',
  DIAGNOSE_ROUTER: 'diagnose-router',
  HEARTBEAT_TICK: 'heartbeat-tick',
  HEARTBEAT_CHECK: 'heartbeat-check',
  RECHECK_INCIDENTS: 'recheck-incidents',
  FLAP_CHECK: 'flap-check',
  ROUTER_SILENCE_CHECK: 'router-silence-check',
  // notification-queue (notifier)
  INCIDENT_CHANGED: 'incident-changed',
  SUBSCRIBER_STATUS: 'subscriber-status',
  ESCALATION_CHECK: 'escalation-check',
  REPAGE_CHECK: 'repage-check',
  DELIVER_NOTIFICATION: 'deliver-notification',
  RECEIPT_CHECK: 'receipt-check',
  MAINTENANCE_ENDED: 'maintenance-ended',
  // MikroTik-Sync (provisioning)
  SYNC_USER: 'syncUser',
  SYNC_ROUTER: 'syncRouter',
  RECONCILE_TICK: 'reconcileTick',
  RECONCILE_ROUTER: 'reconcileMikrotikState',
  APPLY_PLAN: 'applyPlan',
  // live-check (diagnostics answers, the gateway waits)
  LIVE_CHECK: 'live-check',
  // housekeeping (api-gateway)
  RETENTION_SWEEP: 'retention-sweep',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

/** Names the old system put on MikroTik-Sync; each leads to the same idempotent syncUser. */
export const LEGACY_SYNC_ALIASES = ['addUser', 'updateUser', 'disconnectUser', 'connectUser'] as const;
export type LegacySyncAlias = (typeof LEGACY_SYNC_ALIASES)[number];

export type StatusEventSubject =
  | { kind: 'ppp'; username: string }
  | { kind: 'dhcp'; mac: string; ip?: string }
  | { kind: 'netwatch'; host: string };

/**
 * Source of the status events a router pass or a heartbeat makes up from what the router shows
 * (`/ppp/active`, bound DHCP leases) when it differs from the stored state: the webhook that
 * should have told it was lost (`/tool fetch` does not retry). See events/presence-reconcile.
 */
export const RECONCILE_SOURCE = 'reconcile';

export interface StatusEventJob {
  routerId: string;
  source: WebhookKind | typeof RECONCILE_SOURCE;
  subject: StatusEventSubject;
  event: 'up' | 'down';
  /** When the router says it happened (ISO), if it said; otherwise when ingest received it. */
  at: string;
  receivedAt: string;
  /** The router's clock text as sent (no zone): tells a repeated delivery from a new event. */
  routerTime?: string;
  /** Extra facts the router sent (address, caller id, interface, loss...). Strings only. */
  details?: Record<string, string>;
}

export interface DiagnoseRouterJob {
  routerId: string;
  /**
   * Set on the early batch of a burst (libs/domain findBurst): the id of the router's delayed
   * batch it runs ahead of. Queued at the front, at once; the delayed one still runs at the end
   * of its hold-down with what arrived after.
   */
  burstOf?: string;
}
export type HeartbeatTickJob = Record<string, never>;
/**
 * The routers one heartbeat job checks, together: a job per second of the tick's spread rather
 * than one per router, so 5,000 routers cost about fifty jobs a minute, not 5,000, and the
 * checks' Redis reads and writes go out together, a pipeline for the batch.
 */
export interface HeartbeatCheckJob {
  routerIds: string[];
}
export type RecheckIncidentsJob = Record<string, never>;
/** Periodic: which flapping subjects (subscribers, devices) have been quiet long enough to be stable again. */
export type FlapCheckJob = Record<string, never>;
/** Periodic: which routers have sent no webhook and answered no API call for ROUTER_SILENT_AFTER_MS. */
export type RouterSilenceCheckJob = Record<string, never>;

/** `unacknowledged`: a person took an acknowledgement back; the notifier restarts escalation. */
export type IncidentChange = 'opened' | 'grown' | 'shrunk' | 'escalated' | 'resolved' | 'unacknowledged';
export interface IncidentChangedJob {
  incidentId: string;
  change: IncidentChange;
  /** Incident revision at the time of the change: part of the dedupe id. */
  revision: number;
}
export interface SubscriberStatusJob {
  userId: string;
  state: NodeState;
  at: string;
}
export interface EscalationCheckJob {
  incidentId: string;
  /** The level the incident is escalated to when still unacknowledged. */
  toLevel: 1 | 2 | 3;
  /** At the top level: the n-th repeat of its page while nobody acknowledges (absent: the escalation itself). */
  repeat?: number;
  /** The incident's escalation round when scheduled (absent: 0); a check from an older round is stale. */
  round?: number;
  /**
   * Scheduled again when a maintenance window that held the incident back ended (ISO: when the
   * hold began): a job of its own, the one that came due inside the window being done.
   */
  resumedAfter?: string;
}
/** Growth of an incident, looked at once per merge window: whether it is worth a page, and one page for all of it. */
export interface RepageCheckJob {
  incidentId: string;
}
export interface DeliverNotificationJob {
  notificationId: string;
  /** The try this job is for (absent: the first); each retry is its own delayed job. */
  attempt?: number;
}

/** A look at the provider's delivery receipt of a sent notification (Twilio SMS): the n-th look. */
export interface ReceiptCheckJob {
  notificationId: string;
  check: number;
}

/**
 * An occurrence of a maintenance window ends (a delayed job at its end, moved when the window is
 * edited or ended early): incidents held back by it that are still open get their page now.
 * `endsAt` (ISO) is the end this job was scheduled for: a job for an end that no longer holds
 * (the window was edited) does nothing.
 */
export interface MaintenanceEndedJob {
  windowId: string;
  endsAt: string;
  /** Only this incident (the notifier's own follow-up of an incident it held back); absent: all held back. */
  incidentId?: string;
}

export interface SyncUserJob {
  userId: string;
}
export interface SyncRouterJob {
  routerId: string;
}
export type ReconcileTickJob = Record<string, never>;
export interface ReconcileRouterJob {
  routerId: string;
}
/** Where a router pass (syncRouter, reconcile) is, published as the job's progress (Bull Board, console). */
export const ROUTER_PASS_STAGES = ['loaded', 'read', 'planned', 'applied'] as const;
export interface RouterPassProgress {
  stage: (typeof ROUTER_PASS_STAGES)[number];
  /** Stages done, of ROUTER_PASS_STAGES.length. */
  done: number;
  total: number;
  percent: number;
  /** Subscribers of the router (from `loaded`), writes planned (from `planned`). */
  subscribers?: number;
  ops?: number;
}
export function routerPassProgress(stage: RouterPassProgress['stage'], extra: Pick<RouterPassProgress, 'subscribers' | 'ops'> = {}): RouterPassProgress {
  const done = ROUTER_PASS_STAGES.indexOf(stage) + 1;
  const total = ROUTER_PASS_STAGES.length;
  return { stage, done, total, percent: Math.round((done / total) * 100), ...extra };
}

/**
 * A bandwidth plan changed: its subscribers are re-synced (by id). With `scheduledAt` (ISO): the
 * plan's scheduled change for that time is applied first, if it is still the one waiting.
 */
export interface ApplyPlanJob {
  planId: string;
  scheduledAt?: string;
}

export type LiveCheckTarget = { kind: 'subscriber' | 'device' | 'router'; id: string };
export interface LiveCheckJob {
  target: LiveCheckTarget;
}
export interface LiveCheckHop {
  kind: 'router' | 'device' | 'subscriber';
  id: string;
  name: string;
  state: NodeState;
  rttMs?: number;
  detail?: string;
}
/**
 * One hop as soon as its probe answered, published as the live-check job's progress so the
 * gateway can stream it. `index` is the hop's place root to leaf (hops answer in any order).
 * The state is the probe's own: the final result may still turn a hop below a DOWN one IMPACTED.
 */
export interface LiveCheckProgress {
  index: number;
  total: number;
  hop: LiveCheckHop;
}
export interface LiveCheckResult {
  target: LiveCheckTarget;
  hops: LiveCheckHop[];
  /** "Core [UP] -> Sector [UP] -> Station [DOWN]" */
  summary: string;
  checkedAt: string;
  durationMs: number;
}

/** Deletes what is past its retention, collection by collection, in bounded batches. */
export type RetentionSweepJob = Record<string, never>;
/** What one sweep deleted from one collection (the job's return value, shown in Bull Board). */
export interface RetentionSweepResult {
  collection: string;
  cutoff: string;
  deleted: number;
  batches: number;
  /** The sweep stopped at its batch limit: more is left for the next run. */
  more: boolean;
}

export interface JobPayloads {
  [JobName.STATUS_EVENT]: StatusEventJob;
  [JobName.DIAGNOSE_ROUTER]: DiagnoseRouterJob;
  [JobName.HEARTBEAT_TICK]: HeartbeatTickJob;
  [JobName.HEARTBEAT_CHECK]: HeartbeatCheckJob;
  [JobName.RECHECK_INCIDENTS]: RecheckIncidentsJob;
  [JobName.FLAP_CHECK]: FlapCheckJob;
  [JobName.ROUTER_SILENCE_CHECK]: RouterSilenceCheckJob;
  [JobName.INCIDENT_CHANGED]: IncidentChangedJob;
  [JobName.SUBSCRIBER_STATUS]: SubscriberStatusJob;
  [JobName.ESCALATION_CHECK]: EscalationCheckJob;
  [JobName.REPAGE_CHECK]: RepageCheckJob;
  [JobName.DELIVER_NOTIFICATION]: DeliverNotificationJob;
  [JobName.RECEIPT_CHECK]: ReceiptCheckJob;
  [JobName.MAINTENANCE_ENDED]: MaintenanceEndedJob;
  [JobName.SYNC_USER]: SyncUserJob;
  [JobName.SYNC_ROUTER]: SyncRouterJob;
  [JobName.RECONCILE_TICK]: ReconcileTickJob;
  [JobName.RECONCILE_ROUTER]: ReconcileRouterJob;
  [JobName.APPLY_PLAN]: ApplyPlanJob;
  [JobName.LIVE_CHECK]: LiveCheckJob;
  [JobName.RETENTION_SWEEP]: RetentionSweepJob;
}
export type JobOf<N extends JobName> = JobPayloads[N];

/** Which queue carries each job: a job added to the wrong queue is a compile error via `addJob`. */
export const JOB_QUEUE = {
  [JobName.STATUS_EVENT]: QueueName.MONITORING,
  [JobName.DIAGNOSE_ROUTER]: QueueName.MONITORING,
  [JobName.HEARTBEAT_TICK]: QueueName.MONITORING,
  [JobName.HEARTBEAT_CHECK]: QueueName.MONITORING,
  [JobName.RECHECK_INCIDENTS]: QueueName.MONITORING,
  [JobName.FLAP_CHECK]: QueueName.MONITORING,
  [JobName.ROUTER_SILENCE_CHECK]: QueueName.MONITORING,
  [JobName.INCIDENT_CHANGED]: QueueName.NOTIFICATION,
  [JobName.SUBSCRIBER_STATUS]: QueueName.NOTIFICATION,
  [JobName.ESCALATION_CHECK]: QueueName.NOTIFICATION,
  [JobName.REPAGE_CHECK]: QueueName.NOTIFICATION,
  [JobName.DELIVER_NOTIFICATION]: QueueName.NOTIFICATION,
  [JobName.RECEIPT_CHECK]: QueueName.NOTIFICATION,
  [JobName.MAINTENANCE_ENDED]: QueueName.NOTIFICATION,
  [JobName.SYNC_USER]: QueueName.SYNC,
  [JobName.SYNC_ROUTER]: QueueName.SYNC,
  [JobName.RECONCILE_TICK]: QueueName.SYNC,
  [JobName.RECONCILE_ROUTER]: QueueName.SYNC,
  [JobName.APPLY_PLAN]: QueueName.SYNC,
  [JobName.LIVE_CHECK]: QueueName.LIVE_CHECK,
  [JobName.RETENTION_SWEEP]: QueueName.HOUSEKEEPING,
} as const satisfies { [N in JobName]: QueueName };

export function jobNamesOf(queue: QueueName): JobName[] {
  return (Object.keys(JOB_QUEUE) as JobName[]).filter((n) => JOB_QUEUE[n] === queue);
}
