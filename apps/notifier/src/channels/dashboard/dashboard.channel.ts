import { DASHBOARD_FEED_CHANNEL, type DashboardFeedMessage } from '@isp/domain';
import type { Redis } from 'ioredis';
import type { DeliveryChannel, OutboundMessage, SendResult } from '../delivery-channel';

/** The support dashboard's live feed: Redis pub/sub, streamed by the gateway as server-sent events. */
export class DashboardChannel implements DeliveryChannel {
  readonly channel = 'dashboard' as const;

  constructor(
    private readonly redis: Redis,
    readonly enabled: boolean,
    readonly disabledReason?: string,
  ) {}

  async send(m: OutboundMessage): Promise<SendResult> {
    await this.publish({ type: 'incident', at: new Date().toISOString(), data: { ...m.data, text: m.body, priority: m.priority, notificationId: m.notificationId } });
    return { delivered: true };
  }

  async publish(message: DashboardFeedMessage): Promise<void> {
    await this.redis.publish(DASHBOARD_FEED_CHANNEL, JSON.stringify(message));
  }
}
