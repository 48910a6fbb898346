import type { NotificationChannel, NotificationFeedData } from '@isp/domain';

/** One message to one recipient, as recorded in its Notification. */
export interface OutboundMessage {
  notificationId: string;
  /** Stable per (incident, recipient, channel, kind): passed to providers that deduplicate. */
  idempotencyKey: string;
  /** Phone number, e-mail address, webhook URL; unused by the dashboard feed. */
  to: string;
  subject?: string;
  body: string;
  priority: 'high' | 'normal';
  /** Structured facts for channels that carry them (the dashboard feed). */
  data?: Omit<NotificationFeedData, 'notificationId' | 'text' | 'priority'>;
}

export interface SendResult {
  providerMessageId?: string;
  /** The provider's answer is itself proof of delivery (a chat post, the feed): `delivered` rather than `sent`. */
  delivered?: boolean;
}

/**
 * A way to reach people. `send` resolves when the provider accepted the message; it throws
 * PermanentError when trying again cannot help (invalid number, rejected address: recorded, not
 * retried), UncertainSendError when the provider may have it (timeout after sending: not resent
 * blindly), ProviderAlarmError for credit or key trouble (retried, and an alarm), and anything
 * else when it might (5xx, connection refused: retried with backoff).
 */
export interface DeliveryChannel {
  readonly channel: NotificationChannel;
  /** Whether configuration lets it send at all; pages for a disabled channel are not recorded. */
  readonly enabled: boolean;
  /** Why it is disabled, for the start-up log. */
  readonly disabledReason?: string;
  send(message: OutboundMessage): Promise<SendResult>;
  close?(): Promise<void>;
}
