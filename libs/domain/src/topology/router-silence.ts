/**
 * What a router whose API does not answer is: down, or alive with its monitoring degraded.
 *
 * A router that keeps posting webhooks (its subscribers' PPP events, its Netwatch scripts) is
 * forwarding traffic: an API that times out, refuses the login or is switched off is a monitoring
 * problem, not an outage, and must never page as one nor be blamed on its children. A dead
 * router's own scripts die with it, so silence after the API stopped answering is the outage.
 *
 * The decision needs evidence from after the API stopped answering: an event before it proves
 * nothing about now. So a busy router (events shortly before the failure) gets `confirmMs` for an
 * event to arrive; a router that was quiet anyway is judged down at once (nothing to wait for).
 */
export type RouterSilenceVerdict = 'down' | 'degraded' | 'wait';

export interface RouterSilenceInput {
  now: number;
  /** When the API was first found not answering (this run of failures). */
  failingSince: number;
  /** When the router's last webhook was received; undefined if none is remembered. */
  lastEventAt?: number;
  /** How far back an event counts as "the router was busy" when the API stopped answering. */
  aliveWindowMs: number;
  /** How long to wait for an event after the API stopped answering before calling it down. */
  confirmMs: number;
  /** Ingest and queueing delay: an event received this long before the failure still counts as after it. */
  graceMs?: number;
}

export function judgeRouterSilence(i: RouterSilenceInput): RouterSilenceVerdict {
  const grace = i.graceMs ?? 0;
  if (i.lastEventAt !== undefined && i.lastEventAt >= i.failingSince - grace) return 'degraded';
  if (i.now - i.failingSince >= i.confirmMs) return 'down';
  const busy = i.lastEventAt !== undefined && i.lastEventAt >= i.failingSince - i.aliveWindowMs;
  return busy ? 'wait' : 'down';
}

/**
 * Whether a router was heard from while a failed check of it ran, too late for the verdict: a
 * webhook received after the check began (less the ingest delay) that diagnostics applied after
 * the verdict read the last one, or its API found answering (by another check or the incident
 * recheck) after this check began. A reboot ends in a storm of on-up events that ingest accepts
 * while the API still refuses; an outage written on that check's failure would land after some of
 * those UPs, or after the recovery another check wrote, and mark its subscribers IMPACTED again.
 * Such a verdict is dropped and the router looked at again: the next check finds it answering, or
 * silent for good.
 */
export function heardDuringCheck(i: { began: number; judgedEventAt?: number; lastEventAt?: number; answeredAt?: number; graceMs?: number }): boolean {
  if (i.answeredAt !== undefined && i.answeredAt >= i.began) return true;
  if (i.lastEventAt === undefined || i.lastEventAt === i.judgedEventAt) return false;
  return i.lastEventAt >= i.began - (i.graceMs ?? 0);
}

/**
 * Root-cause type of the incident that records a router's degraded monitoring (its API silent
 * while its webhooks arrive). Routing rules match on it: network admins, normal priority, no
 * escalation; it is not an outage and impacts nobody.
 */
export const MONITORING_DEGRADED = 'monitoring-degraded';

/**
 * How a heartbeat tick spreads its routers over `spreadMs`: in jobs of several routers checked
 * together, about one job a second (at most `maxPerJob` routers each), evenly delayed from 0.
 * A job per router cost more than the check itself at 5,000 routers (bench/heartbeat profile).
 */
export function heartbeatBatches(routerIds: readonly string[], spreadMs: number, maxPerJob: number): { routerIds: string[]; delayMs: number }[] {
  const perJob = Math.min(Math.max(1, maxPerJob), Math.max(1, Math.ceil((routerIds.length * 1000) / Math.max(1, spreadMs))));
  const jobs: string[][] = [];
  for (let i = 0; i < routerIds.length; i += perJob) jobs.push(routerIds.slice(i, i + perJob));
  return jobs.map((ids, i) => ({ routerIds: ids, delayMs: Math.floor((i * spreadMs) / jobs.length) }));
}
