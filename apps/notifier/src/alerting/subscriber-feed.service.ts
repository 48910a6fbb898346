import { Injectable } from '@nestjs/common';
import type { SubscriberStatusJob } from '@isp/domain';
import { ChannelRegistry } from '../channels/channel-registry.service';

/**
 * Level 1: a single subscriber's state goes to the support dashboard feed only. The feed is live
 * and lossy by nature (pub/sub), and the job id already dedupes it, so no Notification record.
 */
@Injectable()
export class SubscriberFeedService {
  constructor(private readonly channels: ChannelRegistry) {}

  async onSubscriberStatus(job: SubscriberStatusJob): Promise<string> {
    if (!this.channels.isEnabled('dashboard')) return 'skipped: dashboard feed disabled';
    await this.channels.dashboard.publish({ type: 'subscriber-state', at: job.at, data: { userId: job.userId, state: job.state } });
    return 'published';
  }
}
