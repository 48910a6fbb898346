import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Broadcast, broadcastChannel, withTimeout, type BroadcastPayloads, type RouterChangedMessage, type TopologyChangedMessage } from '@isp/domain';

/** How long a publish may take before it is given up (and logged). */
const PUBLISH_TIMEOUT_MS = 2000;

/**
 * The one way to publish a broadcast (every replica of every subscribed app hears it; the
 * platform's PrefixedRedisServer delivers it to `@EventPattern` handlers). The message is Nest's
 * Redis-transport event packet, `{ pattern, data }`, on the channel under QUEUE_PREFIX.
 *
 * Best effort: a lost broadcast only delays caches until their own refresh, and the database
 * write it announces already happened, so a failure is logged, never thrown.
 */
export class BroadcastPublisher {
  private readonly logger = new Logger(BroadcastPublisher.name);

  constructor(
    private readonly redis: Pick<Redis, 'publish'>,
    private readonly prefix: string,
  ) {}

  topologyChanged(msg: TopologyChangedMessage): Promise<void> {
    return this.publish(Broadcast.TOPOLOGY_CHANGED, msg);
  }

  routerChanged(msg: RouterChangedMessage): Promise<void> {
    return this.publish(Broadcast.ROUTER_CHANGED, msg);
  }

  async publish<B extends Broadcast>(pattern: B, data: BroadcastPayloads[B]): Promise<void> {
    try {
      await withTimeout(this.redis.publish(broadcastChannel(this.prefix, pattern), JSON.stringify({ pattern, data })), PUBLISH_TIMEOUT_MS);
    } catch (err) {
      this.logger.warn(`broadcast ${pattern} failed: ${(err as Error).message}`);
    }
  }
}
