import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RetryableError } from '@isp/domain';
import { PLATFORM_REDIS } from '@isp/platform';
import { ProvisioningConfig } from '../config/provisioning.config';

/** Deletes the lock only if it is still ours (it may have expired and been taken by another pass). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * One router pass (syncRouter or reconcile) per router at a time, across replicas: a Redis key
 * per router, taken with SET NX PX. The two kinds of pass have different job ids, so BullMQ alone
 * would let them run at once and the later one act on what the earlier one read. A pass that
 * finds the router busy fails with a retryable error and BullMQ runs it again after backoff.
 */
@Injectable()
export class RouterPassLock {
  constructor(
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    private readonly config: ProvisioningConfig,
  ) {}

  key(routerId: string): string {
    return `${this.config.QUEUE_PREFIX}:router-pass:${routerId}`;
  }

  async run<T>(routerId: string, pass: () => Promise<T>): Promise<T> {
    const token = randomBytes(8).toString('hex');
    const ok = await this.redis.set(this.key(routerId), token, 'PX', this.config.ROUTER_PASS_LOCK_MS, 'NX');
    if (!ok) throw new RetryableError(`router ${routerId}: another pass is running on it`, 'ROUTER_BUSY');
    try {
      return await pass();
    } finally {
      await this.redis.eval(RELEASE, 1, this.key(routerId), token);
    }
  }
}
