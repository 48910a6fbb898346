/** Timings of the delivery policy (from NotifierConfig; compressed in tests). */
export interface DeliveryTimings {
  backoffMs: number;
  backoffMaxMs: number;
  giveUpMs: number;
  failoverAfterMs: number;
  alarmAfterMs: number;
}

/** Delay before try `attempt + 1`: doubling from `backoffMs`, capped, with +-20% jitter so replicas do not retry in step. */
export function retryDelayMs(attempt: number, t: Pick<DeliveryTimings, 'backoffMs' | 'backoffMaxMs'>, random: () => number = Math.random): number {
  const raw = Math.min(t.backoffMaxMs, t.backoffMs * 2 ** Math.max(0, Math.min(30, attempt - 1)));
  return Math.min(t.backoffMaxMs, Math.round(raw * (0.8 + 0.4 * random())));
}

export interface FailureStep {
  /** Try again after `delayMs`, or stop: the page has been failing as long as it can matter. */
  retry: boolean;
  delayMs: number;
  /** Give the page to the contact's other channels now. */
  failover: boolean;
  /** Tell network admins. */
  alarm: boolean;
}

/**
 * What follows a transient failure of a delivery recorded at `createdAt`, failing since
 * `failingSince`, after `attempts` tries. Retries continue (capped backoff) until `giveUpMs` after
 * the page was recorded; the next retry is never scheduled past that point, so the last try
 * happens close to it rather than one long backoff later.
 */
export function afterTransientFailure(input: { now: number; createdAt: number; failingSince: number; attempts: number }, t: DeliveryTimings, random?: () => number): FailureStep {
  const failingFor = input.now - input.failingSince;
  const left = input.createdAt + t.giveUpMs - input.now;
  const failover = failingFor >= t.failoverAfterMs;
  const alarm = failingFor >= t.alarmAfterMs;
  if (left <= 0) return { retry: false, delayMs: 0, failover: true, alarm: true };
  return { retry: true, delayMs: Math.min(left, retryDelayMs(input.attempts, t, random)), failover, alarm };
}
