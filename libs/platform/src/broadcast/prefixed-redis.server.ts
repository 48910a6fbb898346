import { ServerRedis, type RedisOptions } from '@nestjs/microservices';
import type { Redis } from 'ioredis';
import { broadcastChannel, type Broadcast } from '@isp/domain';

/**
 * Nest's Redis transport with channels under QUEUE_PREFIX: it subscribes to
 * `<prefix>:<pattern>` for every `@EventPattern(pattern)` handler and hands each message to the
 * handler of its bare pattern. Nest's own server subscribes to the bare pattern, so two
 * deployments sharing one Redis heard each other's broadcasts. Broadcasts are events only (no
 * request/response over the transport).
 */
export class PrefixedRedisServer extends ServerRedis {
  constructor(
    private readonly prefix: string,
    options: NonNullable<RedisOptions['options']>,
  ) {
    super(options);
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
