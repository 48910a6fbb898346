import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RetryableError } from '@isp/domain';
import { PLATFORM_REDIS, tryLock, unlock } from '@isp/platform';
import { ProvisioningConfig } from '../config/provisioning.config';

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
    const token = await tryLock(this.redis, this.key(routerId), this.config.ROUTER_PASS_LOCK_MS);
    if (!token) throw new RetryableError(`router ${routerId}: another pass is running on it`, 'ROUTER_BUSY');
    try {
      return await pass();
    } finally {
      await unlock(this.redis, this.key(routerId), token);
    }
  }
}
