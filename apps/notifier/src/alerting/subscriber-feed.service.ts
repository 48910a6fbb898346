import { Injectable } from '@nestjs/common';
import type { SubscriberStatusJob } from '@isp/domain';
import { FeedPublisher } from '@isp/platform';
import { ChannelRegistry } from '../channels/channel-registry.service';

/**
 * Level 1: a single subscriber's state goes to the support dashboard feed only, as the one
 * `subscriber-state` message of that change: the job id (sub.<user>.<state>.<time>) makes it once
 * across diagnostics' retries and replicas (docs/decisions.md, "One owner per feed message"). The
 * feed is live and lossy by nature (pub/sub), so no Notification record.
 */
@Injectable()
export class SubscriberFeedService {
  constructor(
    private readonly channels: ChannelRegistry,
    private readonly feed: FeedPublisher,
  ) {}

  async onSubscriberStatus(job: SubscriberStatusJob): Promise<string> {
    if (!this.channels.isEnabled('dashboard')) return 'skipped: dashboard feed disabled';
    await this.feed.publish('subscriber-state', { userId: job.userId, state: job.state }, job.at);
    return 'published';
  }
}
