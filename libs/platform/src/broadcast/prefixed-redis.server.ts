import { ServerRedis } from '@nestjs/microservices';
import type { Redis } from 'ioredis';
import { broadcastChannel, type Broadcast } from '@isp/domain';
import { createRedisClient } from '../module/redis-client';

/**
 * Nest's Redis transport with channels under QUEUE_PREFIX: it subscribes to
 * `<prefix>:<pattern>` for every `@EventPattern(pattern)` handler and hands each message to the
 * handler of its bare pattern. Nest's own server subscribes to the bare pattern, so two
 * deployments sharing one Redis heard each other's broadcasts. Broadcasts are events only (no
 * request/response over the transport).
 *
 * Its connections come from createRedisClient, like every other Redis client: Nest's ServerRedis
 * (12.1) only builds a standalone ioredis client from host/port options, which cannot reach a
 * Redis Cluster. Plain PUBLISH/SUBSCRIBE works on a cluster (a message reaches the subscribers on
 * every node), so nothing else changes.
 */
export class PrefixedRedisServer extends ServerRedis {
  constructor(
    private readonly prefix: string,
    private readonly redisUrl: string,
  ) {
    super({});
  }

  // Nest calls connect() itself, once the listeners are on.
  override createRedisClient(): Promise<Redis> {
    return Promise.resolve(createRedisClient(this.redisUrl, { lazyConnect: true, connectionName: 'broadcasts' }));
  }

  override bindEvents(subClient: Redis, pubClient: Redis): void {
    const head = broadcastChannel(this.prefix, '' as Broadcast);
    subClient.on('message', (channel: string, buffer: string) => {
      if (!channel.startsWith(head)) return;
      const pattern = channel.slice(head.length);
      this.handleMessage(pattern, buffer, pubClient, pattern).catch((err: Error) => this.logger.error(err));
    });
    for (const pattern of this.messageHandlers.keys()) void subClient.subscribe(head + pattern);
  }
}
