import { RouterLimiter } from '@isp/routeros';

/**
 * At most `limit` probes in flight per router from this replica, so an event storm queues up
 * here instead of on a core router's CPU. It is the pool's per-router limiter (one limit in the
 * code), applied around the whole probe: a probe's own timeout starts once it has a slot, so time
 * spent queued behind other probes never turns into a false "no answer".
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class RouterThrottle {
  private readonly limiters = new Map<string, RouterLimiter>();

  constructor(private readonly limit: number) {}

  async run<T>(routerId: string, fn: () => Promise<T>): Promise<T> {
    let limiter = this.limiters.get(routerId);
    if (!limiter) this.limiters.set(routerId, (limiter = new RouterLimiter(routerId, this.limit, Number.MAX_SAFE_INTEGER)));
    // Waiters are served in arrival order and do not time out here (the longest timer Node keeps).
    await limiter.acquire(Date.now() + MAX_TIMER_MS, MAX_TIMER_MS, 'probe');
    try {
      return await fn();
    } finally {
      limiter.release();
    }
  }
}
