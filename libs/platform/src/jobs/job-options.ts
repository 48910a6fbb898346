import type { BackoffOptions, Job, JobsOptions } from 'bullmq';
import { createHash } from 'node:crypto';
import { JobName, JobPayloads, LEGACY_SYNC_ALIASES, type StatusEventJob } from '@isp/domain';

/**
 * Finished jobs kept in Redis for Bull Board and debugging, capped by age and by count: an age
 * alone lets a burst (an outage's thousand status events failing at once) grow Redis without
 * bound until it ages out. BullMQ trims on each job's completion or failure, keeping whichever
 * is fewer.
 */
export const KEEP_FINISHED = { removeOnComplete: { age: 3600, count: 5000 }, removeOnFail: { age: 7 * 24 * 3600, count: 10000 } } as const;
/** Scheduled ticks (heartbeat, reconcile, recheck, retention): the last 100 outcomes, at most a day old. */
export const KEEP_SCHEDULED = { removeOnComplete: { age: 24 * 3600, count: 100 }, removeOnFail: { age: 7 * 24 * 3600, count: 100 } } as const;
const KEEP = KEEP_FINISHED;

/**
 * The part of the job rules that comes from an app's config, per job name. Each app passes its
 * own to PlatformModule (`jobs`), and JobProducer applies it to every job of that name it adds.
 */
export interface JobSettings {
  /**
   * diagnostics: HOLD_DOWN_MS. A diagnosis batch runs that long after the first DOWN of its
   * router; adds within the window collapse into it (dedupe TTL = the delay), and an event after
   * it, even while the batch runs, starts the next window, so no fact is left behind.
   */
  [JobName.DIAGNOSE_ROUTER]?: { holdDownMs: number };
  /**
   * Every app (CommonEnv JOB_OUTAGE_RETRY_*): how long the jobs that must survive a database
   * outage (status events, diagnosis batches) keep retrying, and their longest wait between tries.
   */
  outageRetry?: OutageRetry;
}

/**
 * Retries sized by time, not by count: a job that fails because MongoDB is down keeps trying for
 * `windowMs`, waiting `firstDelayMs`, then twice that, and so on up to `maxDelayMs` between tries.
 * Five tries from 0.5 s gave up after about a minute, and an outage lost the events queued during it.
 */
export interface OutageRetry {
  windowMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}
export const DEFAULT_OUTAGE_RETRY: OutageRetry = { windowMs: 15 * 60_000, firstDelayMs: 500, maxDelayMs: 30_000 };

/** BullMQ has no cap on its exponential backoff: this type is computed by jobBackoffStrategy (every worker has it, fillWorkerOptions). */
export const CAPPED_BACKOFF = 'capped-exponential';
type CappedBackoff = BackoffOptions & { type: typeof CAPPED_BACKOFF; delay: number; maxDelay: number };

/** The wait after the `attemptsMade`-th failed try (1-based, as BullMQ counts). */
export function cappedBackoffDelay(attemptsMade: number, firstDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, Math.round(firstDelayMs * 2 ** Math.min(30, Math.max(0, attemptsMade - 1))));
}

/** Tries (the first included) whose waits in between add up to at least the window. */
export function attemptsWithin(r: OutageRetry): number {
  let attempts = 1;
  for (let waited = 0; waited < r.windowMs; attempts++) waited += cappedBackoffDelay(attempts, r.firstDelayMs, r.maxDelayMs);
  return attempts;
}

function outageRetryOptions(r: OutageRetry): Pick<JobsOptions, 'attempts' | 'backoff'> {
  const backoff: CappedBackoff = { type: CAPPED_BACKOFF, delay: r.firstDelayMs, maxDelay: r.maxDelayMs };
  return { attempts: attemptsWithin(r), backoff };
}

/**
 * Workers' `settings.backoffStrategy`: BullMQ calls it for backoff types it does not know. The cap
 * travels in the job's own options, so a job keeps the policy it was added with.
 */
export function jobBackoffStrategy(attemptsMade: number, type?: string, _err?: Error, job?: Pick<Job, 'opts'>): number {
  if (type !== CAPPED_BACKOFF) throw new Error(`unknown backoff type "${type}"`);
  const b = (job?.opts.backoff ?? {}) as Partial<CappedBackoff>;
  return cappedBackoffDelay(attemptsMade, b.delay ?? DEFAULT_OUTAGE_RETRY.firstDelayMs, b.maxDelay ?? DEFAULT_OUTAGE_RETRY.maxDelayMs);
}

/**
 * Router passes (syncRouter, reconcile) carry a priority; syncUser carries none, and BullMQ takes
 * jobs without a priority first, so a subscriber's sync never waits behind queued router passes.
 */
const ROUTER_PASS_PRIORITY = 10;

/**
 * Retry, backoff and dedupe rules for every job, in one function. BullMQ job ids must not
 * contain ':' (it is the key separator), so ids are joined with '.'.
 */
export function jobOptions<N extends JobName>(name: N, data: JobPayloads[N], settings: JobSettings = {}): JobsOptions {
  switch (name) {
    case JobName.STATUS_EVENT:
      // Repeats are collapsed before the add (statusEventRepeatKey): a BullMQ dedupe id cannot tell
      // a repeat from a genuine up -> down -> up within the router clock's one-second resolution.
      return { ...KEEP, ...outageRetryOptions(settings.outageRetry ?? DEFAULT_OUTAGE_RETRY) };
    case JobName.DIAGNOSE_ROUTER: {
      const d = data as JobPayloads[typeof JobName.DIAGNOSE_ROUTER];
      // A burst's early batch: now, ahead of the status events queued before it (lifo), and one
      // per delayed batch whichever replica adds it (job id).
      if (d.burstOf) return { ...KEEP, ...outageRetryOptions(settings.outageRetry ?? DEFAULT_OUTAGE_RETRY), jobId: `diag.${d.routerId}.burst.${d.burstOf}`, lifo: true };
      const holdDown = settings[JobName.DIAGNOSE_ROUTER]?.holdDownMs;
      const batch = holdDown === undefined ? {} : { delay: holdDown, deduplication: { id: `diag.${d.routerId}`, ttl: Math.max(1, holdDown) } };
      return { ...KEEP, ...outageRetryOptions(settings.outageRetry ?? DEFAULT_OUTAGE_RETRY), ...batch };
    }
    case JobName.HEARTBEAT_CHECK: {
      const d = data as JobPayloads[typeof JobName.HEARTBEAT_CHECK];
      // One check of the same routers queued at a time (a slow queue does not pile up ticks); a
      // tick's batches are the same slices of the same router list each cycle.
      const id = d.routerIds.length === 1 ? d.routerIds[0] : createHash('sha1').update(d.routerIds.join(',')).digest('base64url');
      return { ...KEEP, attempts: 1, deduplication: { id: `hb.${id}` } };
    }
    case JobName.INCIDENT_CHANGED: {
      const d = data as JobPayloads[typeof JobName.INCIDENT_CHANGED];
      return { ...KEEP, attempts: 8, backoff: { type: 'exponential', delay: 1000 }, jobId: `inc.${d.incidentId}.${d.change}.${d.revision}` };
    }
    case JobName.SUBSCRIBER_STATUS: {
      const d = data as JobPayloads[typeof JobName.SUBSCRIBER_STATUS];
      return { ...KEEP, attempts: 5, backoff: { type: 'exponential', delay: 1000 }, jobId: `sub.${d.userId}.${d.state}.${Date.parse(d.at)}` };
    }
    case JobName.ESCALATION_CHECK: {
      const d = data as JobPayloads[typeof JobName.ESCALATION_CHECK];
      return { ...KEEP, attempts: 5, backoff: { type: 'exponential', delay: 1000 }, jobId: `esc.${d.incidentId}.${d.toLevel}${d.repeat ? `.r${d.repeat}` : ''}${d.round ? `.u${d.round}` : ''}${d.resumedAfter ? `.m${Date.parse(d.resumedAfter)}` : ''}` };
    }
    case JobName.REPAGE_CHECK: {
      // One check per incident while one is waiting: growth within the merge window joins it.
      const d = data as JobPayloads[typeof JobName.REPAGE_CHECK];
      return { ...KEEP, attempts: 5, backoff: { type: 'exponential', delay: 1000 }, deduplication: { id: `rpg.${d.incidentId}` } };
    }
    case JobName.DELIVER_NOTIFICATION: {
      // The notifier schedules each retry itself (capped backoff for the life of the incident),
      // as a job of its own; these attempts only cover a worker dying mid-job.
      const d = data as JobPayloads[typeof JobName.DELIVER_NOTIFICATION];
      return { ...KEEP, attempts: 6, backoff: { type: 'exponential', delay: 2000 }, jobId: `dlv.${d.notificationId}${d.attempt ? `.${d.attempt}` : ''}` };
    }
    case JobName.RECEIPT_CHECK: {
      // Each look is its own delayed job; a failed look is retried a little, the next look is scheduled anyway.
      const d = data as JobPayloads[typeof JobName.RECEIPT_CHECK];
      return { ...KEEP, attempts: 3, backoff: { type: 'exponential', delay: 2000 }, jobId: `rct.${d.notificationId}.${d.check}` };
    }
    case JobName.MAINTENANCE_ENDED: {
      // One job per window and end time, so replicas and repeated edits schedule it once.
      const d = data as JobPayloads[typeof JobName.MAINTENANCE_ENDED];
      return { ...KEEP, attempts: 8, backoff: { type: 'exponential', delay: 1000 }, jobId: `${maintenanceEndedJobId(d.windowId, d.endsAt)}${d.incidentId ? `.${d.incidentId}` : ''}` };
    }
    case JobName.SYNC_USER: {
      // Keyed by user: while one is waiting, further changes collapse into it (the worker reads
      // the latest desired state from the database anyway).
      const d = data as JobPayloads[typeof JobName.SYNC_USER];
      return { ...KEEP, attempts: 10, backoff: { type: 'exponential', delay: 2000, jitter: 0.5 }, deduplication: { id: `sync.${d.userId}`, keepLastIfActive: true } };
    }
    case JobName.SYNC_ROUTER: {
      const d = data as JobPayloads[typeof JobName.SYNC_ROUTER];
      // An edit while a pass runs gets a pass after it: that pass read the database before the edit.
      return { ...KEEP, attempts: 10, backoff: { type: 'exponential', delay: 2000 }, deduplication: { id: `syncr.${d.routerId}`, keepLastIfActive: true }, priority: ROUTER_PASS_PRIORITY };
    }
    case JobName.RECONCILE_ROUTER: {
      const d = data as JobPayloads[typeof JobName.RECONCILE_ROUTER];
      return { ...KEEP, attempts: 3, backoff: { type: 'exponential', delay: 5000 }, deduplication: { id: `rec.${d.routerId}` }, priority: ROUTER_PASS_PRIORITY };
    }
    case JobName.APPLY_PLAN: {
      // A scheduled change is its own delayed job (one per plan and time); an immediate one
      // collapses with others waiting for the plan (the worker reads the plan when it runs).
      const d = data as JobPayloads[typeof JobName.APPLY_PLAN];
      const key = d.scheduledAt ? { jobId: `plan.${d.planId}.${Date.parse(d.scheduledAt)}` } : { deduplication: { id: `plan.${d.planId}`, keepLastIfActive: true } };
      return { ...KEEP, attempts: 5, backoff: { type: 'exponential', delay: 2000 }, ...key };
    }
    case JobName.LIVE_CHECK:
      return { removeOnComplete: { age: 60, count: 1000 }, removeOnFail: { age: 600, count: 1000 }, attempts: 1 };
    default:
      return { ...KEEP, attempts: 3, backoff: { type: 'exponential', delay: 1000 } };
  }
}

/** The id of a window's end job: the gateway removes it by this id when the window moves or ends early. */
export function maintenanceEndedJobId(windowId: string, endsAt: string | Date): string {
  return `mnt.${windowId}.${new Date(endsAt).getTime()}`;
}

export function isLegacySyncAlias(name: string): boolean {
  return (LEGACY_SYNC_ALIASES as readonly string[]).includes(name);
}

/** How long a repeated status event collapses into the first one (producers may shorten it). */
export const STATUS_EVENT_DEDUPE_TTL_MS = 10_000;

/**
 * Where the last event of a subject is remembered, and what it was: a status event is a repeat
 * (the same script firing twice, a lease renewal) only when the previous event of the same
 * subject was exactly this one, same kind and same router time. Anything in between (up, down,
 * up within one router-clock second) keeps every event. Subjects are untrusted text (usernames),
 * so they are hashed into the key.
 */
export function statusEventRepeatKey(prefix: string, d: StatusEventJob): { key: string; fingerprint: string } {
  const s = d.subject;
  const subject = s.kind === 'ppp' ? s.username : s.kind === 'dhcp' ? s.mac : s.host;
  const digest = createHash('sha1').update(JSON.stringify([d.source, s.kind, subject])).digest('base64url');
  return { key: `${prefix}:last-event:${d.routerId}:${digest}`, fingerprint: `${d.event}|${d.routerTime ?? ''}` };
}
