import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { FeedPublisher, PLATFORM_REDIS } from '@isp/platform';
import { type NotificationChannel } from '@isp/domain';
import type { Redis } from 'ioredis';
import { NotifierConfig } from '../config/notifier.config';
import { ChatWebhookChannel } from './chat/chat-webhook.channel';
import { DashboardChannel } from './dashboard/dashboard.channel';
import type { DeliveryChannel } from './delivery-channel';
import { EmailChannel } from './email/email.channel';
import { AfricasTalkingSmsProvider } from './sms/africastalking-sms.provider';
import { GenericSmsProvider } from './sms/generic-sms.provider';
import type { SmsProvider } from './sms/sms-provider';
import { SmsChannel } from './sms/sms.channel';
import { SmsRateLimiter } from './sms/sms-rate-limiter';
import { TwilioSmsProvider } from './sms/twilio-sms.provider';
import { TeamsWorkflowChannel } from './teams/teams-workflow.channel';
import { TelegramChannel } from './telegram/telegram.channel';
import { WhatsAppChannel } from './whatsapp/whatsapp.channel';

function smsProvider(c: NotifierConfig): { provider: SmsProvider | null; reason?: string } {
  if (c.SMS_PROVIDER === 'none') return { provider: null, reason: 'SMS_PROVIDER=none' };
  if (c.SMS_PROVIDER === 'twilio') {
    if (!c.TWILIO_ACCOUNT_SID || !c.TWILIO_AUTH_TOKEN) return { provider: null, reason: 'TWILIO_ACCOUNT_SID or TWILIO_AUTH_TOKEN not set' };
    return {
      provider: new TwilioSmsProvider({ baseUrl: c.SMS_URL ?? 'https://api.twilio.com', accountSid: c.TWILIO_ACCOUNT_SID, authToken: c.TWILIO_AUTH_TOKEN, from: c.SMS_FROM, timeoutMs: c.SEND_TIMEOUT_MS }),
    };
  }
  if (c.SMS_PROVIDER === 'africastalking') {
    if (!c.AT_USERNAME || !c.AT_API_KEY) return { provider: null, reason: 'AT_USERNAME or AT_API_KEY not set' };
    return {
      provider: new AfricasTalkingSmsProvider({
        baseUrl: c.SMS_URL ?? 'https://api.africastalking.com',
        username: c.AT_USERNAME,
        apiKey: c.AT_API_KEY,
        senderId: c.AT_SENDER_ID,
        timeoutMs: c.SEND_TIMEOUT_MS,
        lowBalance: c.AT_LOW_BALANCE,
        balanceCheckEveryMs: c.AT_BALANCE_CHECK_EVERY_MS,
      }),
    };
  }
  if (!c.SMS_URL) return { provider: null, reason: 'SMS_URL not set' };
  return {
    provider: new GenericSmsProvider({ url: c.SMS_URL, authHeader: c.SMS_AUTH_HEADER, bodyTemplate: c.SMS_BODY_TEMPLATE, contentType: c.SMS_CONTENT_TYPE, from: c.SMS_FROM, timeoutMs: c.SEND_TIMEOUT_MS }),
  };
}

function whatsApp(c: NotifierConfig): WhatsAppChannel {
  if (!c.WHATSAPP_FROM) return new WhatsAppChannel(null, 'WHATSAPP_FROM not set');
  if (!c.TWILIO_ACCOUNT_SID || !c.TWILIO_AUTH_TOKEN) return new WhatsAppChannel(null, 'TWILIO_ACCOUNT_SID or TWILIO_AUTH_TOKEN not set');
  return new WhatsAppChannel({ baseUrl: c.WHATSAPP_API_URL, accountSid: c.TWILIO_ACCOUNT_SID, authToken: c.TWILIO_AUTH_TOKEN, from: c.WHATSAPP_FROM, timeoutMs: c.SEND_TIMEOUT_MS, contentSid: c.WHATSAPP_CONTENT_SID });
}

/** Builds every channel from configuration once; a channel without configuration is disabled and says so. */
@Injectable()
export class ChannelRegistry implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ChannelRegistry.name);
  private readonly channels = new Map<NotificationChannel, DeliveryChannel>();
  readonly dashboard: DashboardChannel;

  constructor(config: NotifierConfig, @Inject(PLATFORM_REDIS) redis: Redis, feed: FeedPublisher) {
    const sms = smsProvider(config);
    const limiter = new SmsRateLimiter(redis, `${config.QUEUE_PREFIX}:notifier:sms-rate`, config.SMS_RATE_LIMIT, config.SMS_RATE_WINDOW_MS);
    this.dashboard = new DashboardChannel(feed, config.DASHBOARD_FEED_ENABLED, 'DASHBOARD_FEED_ENABLED=false');
    const all: DeliveryChannel[] = [
      new SmsChannel(sms.provider, limiter, sms.reason),
      new EmailChannel(config.SMTP_URL, config.MAIL_FROM, config.SEND_TIMEOUT_MS, 'SMTP_URL not set'),
      new ChatWebhookChannel(config.CHAT_ENABLED, config.SEND_TIMEOUT_MS, 'CHAT_ENABLED=false'),
      new TelegramChannel(config.TELEGRAM_BOT_TOKEN ? { apiUrl: config.TELEGRAM_API_URL, botToken: config.TELEGRAM_BOT_TOKEN, timeoutMs: config.SEND_TIMEOUT_MS } : null, config.SEND_TIMEOUT_MS, 'TELEGRAM_BOT_TOKEN not set'),
      whatsApp(config),
      new TeamsWorkflowChannel(config.TEAMS_ENABLED, config.SEND_TIMEOUT_MS, 'TEAMS_ENABLED=false'),
      this.dashboard,
    ];
    for (const ch of all) this.channels.set(ch.channel, ch);
  }

  onModuleInit(): void {
    for (const ch of this.channels.values()) {
      if (ch.enabled) this.logger.log(`channel ${ch.channel}: enabled${ch instanceof SmsChannel ? ` (provider ${ch.providerName})` : ''}`);
      else this.logger.warn(`channel ${ch.channel}: disabled (${ch.disabledReason ?? 'not configured'}); pages for it are not recorded`);
    }
  }

  get(channel: NotificationChannel): DeliveryChannel {
    const ch = this.channels.get(channel);
    if (!ch) throw new Error(`unknown channel ${channel}`);
    return ch;
  }

  isEnabled(channel: NotificationChannel): boolean {
    return this.channels.get(channel)?.enabled ?? false;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.channels.values()].map((c) => c.close?.()));
  }
}
