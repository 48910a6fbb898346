import { PermanentError, RetryableError } from '@isp/domain';

/**
 * The provider refuses every message until a person acts: the account is out of credit or our
 * key is refused. Retried like any transient failure (the page goes out once someone tops up or
 * fixes the key), and it raises an alarm at once instead of waiting for the failure to last.
 */
export class ProviderAlarmError extends RetryableError {
  constructor(
    message: string,
    readonly alarm: 'credit' | 'auth',
  ) {
    super(message, alarm === 'credit' ? 'PROVIDER_CREDIT' : 'PROVIDER_AUTH');
  }
}

/**
 * The request may have reached the provider but no answer came back (a timeout, a connection cut
 * after the request was written). Sending again could deliver twice, so the delivery is recorded
 * `uncertain` and not resent blindly.
 */
export class UncertainSendError extends RetryableError {
  constructor(message: string) {
    super(message, 'DELIVERY_UNCERTAIN');
  }
}

/**
 * The provider asks us to wait before the next request (Telegram's 429 with `retry_after`): the
 * next try of this delivery is not scheduled sooner than that.
 */
export class RateLimitedError extends RetryableError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message, 'PROVIDER_RATE_LIMITED');
  }
}

/** What a provider's answer means for the page; `retryAfterMs`: the provider's own wait (rate limits). */
export type ProviderVerdict = { ok: true } | { ok: false; kind: 'transient' | 'permanent' | 'credit' | 'auth'; detail: string; retryAfterMs?: number };

export function verdictError(v: Exclude<ProviderVerdict, { ok: true }>, label: string): Error {
  const what = `${label}: ${v.detail}`.slice(0, 400);
  if (v.kind === 'credit' || v.kind === 'auth') return new ProviderAlarmError(what, v.kind);
  if (v.kind === 'permanent') return new PermanentError(what, 'DELIVERY_REJECTED');
  if (v.retryAfterMs) return new RateLimitedError(what, v.retryAfterMs);
  return new RetryableError(what, 'DELIVERY_TRANSIENT');
}
