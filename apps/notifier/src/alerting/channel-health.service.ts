import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { PLATFORM_REDIS } from '@isp/platform';
import type { NotificationChannel } from '@isp/domain';
import { NotifierConfig } from '../config/notifier.config';
import { DeliveryAlarmService } from './delivery-alarm.service';

/**
 * Watches each channel as a whole, across pages and replicas (a Redis hash per channel): the
 * time of the first failure since the channel last got a page through, and the recipients that
 * failed since. The per-page alarm needs one page to keep failing for DELIVERY_ALARM_AFTER_MS;
 * pages of short incidents are suppressed first (resolved, acknowledged), so a provider that
 * refuses everything (a revoked key or an exhausted balance it reports as a 5xx) could go unheard
 * through a night of flaps. When the channel has failed for two recipients or more and let none
 * through for CHANNEL_DOWN_AFTER_MS, network admins hear it once over their other channels.
 * Only retryable failures count: a refused address is that recipient's, an uncertain send may
 * have gone out.
 */
@Injectable()
export class ChannelHealthService {
  constructor(
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    private readonly config: NotifierConfig,
    private readonly alarms: DeliveryAlarmService,
  ) {}

  private key(channel: NotificationChannel): string {
    return `${this.config.QUEUE_PREFIX}:notifier:channel-failing:${channel}`;
  }

  async succeeded(channel: NotificationChannel): Promise<void> {
    await this.redis.del(this.key(channel));
  }

  /** Records a failure; true when it raised the channel-down alarm. */
  async failed(channel: NotificationChannel, recipient: string, why: string, incident?: unknown): Promise<boolean> {
    const key = this.key(channel);
    const now = Date.now();
    const res = await this.redis
      .multi()
      .hsetnx(key, 'since', String(now))
      .hset(key, `r:${recipient}`, '1')
      // A streak ends when failures stop coming (no traffic): a lone failure tomorrow starts a new one.
      .pexpire(key, this.config.CHANNEL_DOWN_AFTER_MS * 3)
      .hget(key, 'since')
      .hlen(key)
      .exec();
    const since = Number(res?.[3]?.[1] ?? now);
    const recipients = Number(res?.[4]?.[1] ?? 1) - 1;
    if (now - since < this.config.CHANNEL_DOWN_AFTER_MS || recipients < 2) return false;
    const secs = Math.round((now - since) / 1000);
    return this.alarms.raise({
      channel,
      cause: 'down',
      detail: `no page has got through on ${channel} for ${secs < 120 ? `${secs} s` : `${Math.round(secs / 60)} min`} (since ${new Date(since).toISOString()}); ${recipients} recipients failed. Last: ${why}`,
      incident: (incident as never) ?? null,
    });
  }
}
