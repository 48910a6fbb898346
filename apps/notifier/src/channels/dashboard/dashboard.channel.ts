import type { FeedPublisher } from '@isp/platform';
import type { NotificationFeedData } from '@isp/domain';
import type { DeliveryChannel, OutboundMessage, SendResult } from '../delivery-channel';

/**
 * The support dashboard's live feed as a delivery channel: a notification the routing rules send
 * to the dashboard goes out as one `notification` feed message. The incident change itself is
 * diagnostics' `incident` message (docs/decisions.md, "One owner per feed message").
 */
export class DashboardChannel implements DeliveryChannel {
  readonly channel = 'dashboard' as const;

  constructor(
    private readonly feed: FeedPublisher,
    readonly enabled: boolean,
    readonly disabledReason?: string,
  ) {}

  async send(m: OutboundMessage): Promise<SendResult> {
    const data: NotificationFeedData = { ...m.data, notificationId: m.notificationId, text: m.body, priority: m.priority };
    await this.feed.publish('notification', data);
    return { delivered: true };
  }
}
