import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { PLATFORM_REDIS } from '@isp/platform';
import type { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { ApiGatewayConfig } from '../config/api-gateway.config';

/**
 * Fixed-window counters in Redis, shared by every replica: per client IP and e-mail (password
 * guessing on one account) and per IP (spraying many accounts), ten times looser.
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
    const multi = this.redis.multi();
    for (const k of keys) multi.incr(k).expire(k, window, 'NX');
    const res = (await multi.exec()) ?? [];
    const counts = [Number(res[0]?.[1] ?? 0), Number(res[2]?.[1] ?? 0)];
    if (counts.some((c, i) => c > limits[i])) {
      throw new HttpException({ message: `Too many login attempts; try again in up to ${window} s` }, HttpStatus.TOO_MANY_REQUESTS);
    }
  }
}
