import { Inject, Injectable } from '@nestjs/common';
import { PLATFORM_REDIS } from '@isp/platform';
import { RateLimitedError } from '@isp/domain';
import type { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { ApiGatewayConfig } from '../config/api-gateway.config';

/**
 * Fixed-window counters in Redis, shared by every replica: per (account, client address)
 * (password guessing on one account: a stranger's guesses lock out only the stranger, not the
 * account's owner elsewhere) and per client address (spraying many accounts), ten times looser.
 * The client address is the socket's, or the one a trusted proxy forwarded (TRUSTED_PROXIES).
 */
@Injectable()
export class LoginRateLimiter {
  constructor(
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    private readonly config: ApiGatewayConfig,
  ) {}

  async hit(ip: string, email: string): Promise<void> {
    const window = this.config.LOGIN_RATE_WINDOW_SEC;
    const digest = createHash('sha256').update(`${ip}|${email.toLowerCase()}`).digest('hex').slice(0, 32);
    const keys = [`${this.config.QUEUE_PREFIX}:login:${digest}`, `${this.config.QUEUE_PREFIX}:login-ip:${ip}`];
    const limits = [this.config.LOGIN_RATE_LIMIT, this.config.LOGIN_RATE_LIMIT * 10];
    // SET NX EX starts the window once; INCR counts in it. Works on Redis 6.2 (EXPIRE ... NX
    // would need Redis 7).
    const multi = this.redis.multi();
    for (const k of keys) multi.set(k, 0, 'EX', window, 'NX').incr(k).ttl(k);
    const res = (await multi.exec()) ?? [];
    for (let i = 0; i < keys.length; i++) {
      const count = Number(res[i * 3 + 1]?.[1] ?? 0);
      const ttl = Number(res[i * 3 + 2]?.[1] ?? window);
      if (count > limits[i]) {
        const retryAfter = ttl > 0 ? ttl : window;
        throw new RateLimitedError(`Too many login attempts; try again in ${retryAfter} s`, retryAfter);
      }
    }
  }
}
