import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { dashboardFeedChannel, type DashboardFeedMessage, type FeedMessageType, type FeedPayloads } from '@isp/domain';
import { CommonEnv } from '../config/common-env';
import { PLATFORM_REDIS } from '../module/platform.tokens';

/**
 * The only code that publishes on the dashboard feed (Redis pub/sub under QUEUE_PREFIX; the
 * gateway streams it). The payload is checked against the message type. Which app publishes
 * which type is fixed in docs/decisions.md ("One owner per feed message"). Pub/sub is a live
 * view: a message nobody listens to is gone, the database is the record.
 */
@Injectable()
export class FeedPublisher {
  readonly channel: string;

  constructor(
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    config: CommonEnv,
  ) {
    this.channel = dashboardFeedChannel(config.QUEUE_PREFIX);
  }

  async publish<T extends FeedMessageType>(type: T, data: FeedPayloads[T], at: Date | string = new Date()): Promise<void> {
    const message = { type, at: typeof at === 'string' ? at : at.toISOString(), data } as DashboardFeedMessage;
    await this.redis.publish(this.channel, JSON.stringify(message));
  }
}
