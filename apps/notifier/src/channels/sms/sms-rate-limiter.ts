import { RetryableError } from '@isp/domain';
import type { Redis } from 'ioredis';

/**
 * At most `limit` SMS per `windowMs` across every replica: a fixed window counted in Redis.
 * A sender over the limit waits for the next window (up to `maxWaitMs`, then the delivery is
 * retried later by the queue), so a burst of pages is spread out instead of refused by the gateway.
 */
export class SmsRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxWaitMs = 20000,
  ) {}

  async acquire(): Promise<void> {
    const deadline = Date.now() + this.maxWaitMs;
    for (;;) {
      const now = Date.now();
      const window = Math.floor(now / this.windowMs);
      const key = `${this.keyPrefix}:${window}`;
      const [[, count]] = (await this.redis.multi().incr(key).pexpire(key, this.windowMs * 2).exec()) as [[Error | null, number]];
      if (count <= this.limit) return;
      const wait = (window + 1) * this.windowMs - now + Math.floor(Math.random() * 20);
      if (now + wait > deadline) throw new RetryableError('SMS rate limit: no slot free, will retry', 'SMS_RATE_LIMITED');
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
