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
  /** The provider will have a delivery receipt for `providerMessageId`: look it up with `fetchReceipt`. */
  awaitReceipt?: boolean;
  /** Something network admins must hear although this message went out (the account balance is running low). */
  warning?: { cause: 'low-balance'; detail: string };
}

/** What the provider says became of a sent message. */
export interface Receipt {
  /** `pending`: no final word yet (queued, or handed to the carrier without a handset receipt so far). */
  state: 'pending' | 'delivered' | 'failed';
  /** The provider's own status word (Twilio: queued, sending, sent, delivered, undelivered, failed...). */
  providerStatus: string;
  /** Why it failed, with the provider's error code. */
  detail?: string;
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
  /**
   * The provider's current word on a message it accepted. Throws RetryableError when it cannot be
   * asked now (look again later), PermanentError when it will never say (the message is unknown).
   */
  fetchReceipt?(providerMessageId: string): Promise<Receipt>;
  close?(): Promise<void>;
}
