import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { ContactRepository, toId, type Id } from '@isp/data';
import { PLATFORM_REDIS } from '@isp/platform';
import { PAGE_CHANNELS, addressOf, recipientOf, type NotificationChannel } from '@isp/domain';
import { ChannelRegistry } from '../channels/channel-registry.service';
import { NotifierConfig } from '../config/notifier.config';
import { escapeChatText } from '../templates/chat-escape';
import { prepareSms, smsCapacity, truncateSms } from '../templates/sms-text';
import { toAlertContact } from './alert-context.service';
import { NotificationIntentService, bodyFor } from './notification-intent.service';

export type AlarmCause = 'credit' | 'auth' | 'failing' | 'down' | 'undeliverable' | 'low-balance';

const CAUSES: Record<AlarmCause, string> = {
  credit: 'provider account out of credit',
  auth: 'provider refuses our credentials',
  failing: 'deliveries failing',
  down: 'failing for every recipient',
  undeliverable: 'a page could not be delivered',
  'low-balance': 'provider account balance low',
};

/**
 * Tells network admins that pages are not getting through: over every channel other than the
 * failing one, and on the dashboard. One alarm per channel and cause per DELIVERY_ALARM_REPEAT_MS,
 * across replicas (a Redis latch), however many pages fail. Alarms never raise alarms.
 */
@Injectable()
export class DeliveryAlarmService {
  private readonly logger = new Logger(DeliveryAlarmService.name);

  constructor(
    private readonly contacts: ContactRepository,
    private readonly intents: NotificationIntentService,
    private readonly channels: ChannelRegistry,
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    private readonly config: NotifierConfig,
  ) {}

  /** Raises the alarm unless it was raised within the repeat window; true when this call raised it. */
  async raise(a: { channel: NotificationChannel; cause: AlarmCause; detail: string; incident?: Id | null }): Promise<boolean> {
    const latch = `${this.config.QUEUE_PREFIX}:notifier:alarm:${a.channel}:${a.cause}`;
    const won = await this.redis.set(latch, new Date().toISOString(), 'PX', this.config.DELIVERY_ALARM_REPEAT_MS, 'NX');
    if (won !== 'OK') return false;
    const alarmId = Date.now().toString(36);
    const headline = `${this.config.ORG_NAME} ALARM: ${a.channel} ${CAUSES[a.cause]}`;
    const detail = a.detail.slice(0, 300);
    const sms = prepareSms(`${headline}. ${detail}`);
    const message = {
      sms: truncateSms(sms.text, smsCapacity(sms.encoding, 1), sms.encoding),
      subject: `[ALARM] ${a.channel}: ${CAUSES[a.cause]}`,
      body: `${headline}.\n\n${detail}\n\n${a.cause === 'low-balance' ? `Pages over ${a.channel} still go out, and will stop when the balance runs out.` : `Pages over ${a.channel} may not reach people until this is fixed; other channels are used meanwhile.`}\n-- ${this.config.ORG_NAME}`,
      chat: `:sos: *${escapeChatText(headline)}*. ${escapeChatText(detail)}`,
    };
    this.logger.error(`${headline}: ${detail}`);
    let told = 0;
    const admins = (await this.contacts.findActive(3)).map(toAlertContact);
    for (const admin of admins) {
      for (const ch of PAGE_CHANNELS) {
        const address = addressOf(admin, ch);
        if (ch === a.channel || !address || !this.channels.isEnabled(ch)) continue;
        await this.intents.recordOne({
          incident: a.incident ?? null,
          contact: toId(admin.id),
          recipient: recipientOf(ch, address, admin.name),
          channel: ch,
          kind: 'alarm',
          idempotencyKey: `alarm.${a.channel}.${a.cause}.${alarmId}.${admin.id}.${ch}`,
          ...bodyFor(ch, message),
          priority: 'high',
        });
        told++;
      }
    }
    if (this.channels.isEnabled('dashboard')) {
      await this.intents.recordOne({
        incident: a.incident ?? null,
        contact: null,
        recipient: 'dashboard-feed',
        channel: 'dashboard',
        kind: 'alarm',
        idempotencyKey: `alarm.${a.channel}.${a.cause}.${alarmId}.feed.dashboard`,
        body: message.chat,
        priority: 'high',
      });
    }
    if (!told) this.logger.error(`alarm ${a.channel} ${a.cause}: no network admin reachable on another channel; dashboard only`);
    return true;
  }
}
