import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { dashboardFeedChannel, parseFeedMessage, type DashboardFeedMessage } from '@isp/domain';
import type { Redis } from 'ioredis';
import { createRedisClient } from '@isp/platform';
import { Subject, type Observable } from 'rxjs';
import { ApiGatewayConfig } from '../config/api-gateway.config';

/**
 * One Redis subscriber connection per replica fans the dashboard feed channel (under
 * QUEUE_PREFIX) out to every SSE client of that replica (a connection per browser would not
 * scale). Only well-formed feed messages pass (parseFeedMessage).
 */
@Injectable()
export class FeedService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(FeedService.name);
  private readonly messages = new Subject<DashboardFeedMessage>();
  private subscriber?: Redis;

  constructor(private readonly config: ApiGatewayConfig) {}

  async onModuleInit(): Promise<void> {
    this.subscriber = createRedisClient(this.config.REDIS_URL, { connectionName: 'api-gateway-feed', maxRetriesPerRequest: null });
    this.subscriber.on('message', (_channel: string, raw: string) => {
      const msg = parseFeedMessage(raw);
      if (msg) this.messages.next(msg);
      else this.logger.warn('dropped something on the feed channel that is not a feed message');
    });
    this.subscriber.on('error', (err: Error) => this.logger.warn(`feed subscriber: ${err.message}`));
    await this.subscriber.subscribe(dashboardFeedChannel(this.config.QUEUE_PREFIX));
  }

  stream(): Observable<DashboardFeedMessage> {
    return this.messages.asObservable();
  }

  async onModuleDestroy(): Promise<void> {
    this.messages.complete();
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }
}
