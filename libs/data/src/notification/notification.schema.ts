import { Schema } from 'mongoose';
import { NOTIFICATION_CHANNELS, NOTIFICATION_STATUSES, type NotificationChannel, type NotificationKind, type NotificationStatus, type SmsEncoding } from '@isp/domain';
import type { Id } from '../database/common';


/**
 * One delivery to one recipient over one channel. The intent is recorded (unique idempotencyKey)
 * before anything is sent, so replicas and retries cannot send twice.
 */
export interface Notification {
  _id: Id;
  incident?: Id | null;
  contact?: Id | null;
  recipient: string;
  channel: NotificationChannel;
  kind: NotificationKind;
  /** `${incident}.${contact}.${channel}.${kind}[.${revision}]` */
  idempotencyKey: string;
  subject?: string;
  body: string;
  priority: 'high' | 'normal';
  status: NotificationStatus;
  attempts: number;
  /** Why it failed, is retrying, is uncertain, was suppressed or skipped. */
  error?: string;
  providerMessageId?: string;
  /** The provider's last word on delivery (Twilio: queued, sent, delivered, undelivered, failed), when it gives receipts. */
  receiptStatus?: string;
  receiptAt?: Date;
  sentAt?: Date;
  deliveredAt?: Date;
  lastAttemptAt?: Date;
  /** First failure of the current run of failures (failover and alarms count from it). */
  failingSince?: Date;
  nextAttemptAt?: Date;
  /** The contact's next channel has been given this page (once). */
  failedOver?: boolean;
  /** Level the page was sent at, and the impact size it carried: what a re-page compares against. */
  level?: number;
  impact?: number;
  smsEncoding?: SmsEncoding;
  smsSegments?: number;
  createdAt?: Date;
  updatedAt?: Date;
}

export const NOTIFICATION_MODEL = 'Notification';

export const NotificationSchema = new Schema<Notification>(
  {
    incident: { type: Schema.Types.ObjectId, ref: 'Incident', default: null },
    contact: { type: Schema.Types.ObjectId, ref: 'Contact', default: null },
    recipient: { type: String, required: true },
    channel: { type: String, enum: NOTIFICATION_CHANNELS, required: true },
    kind: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    subject: String,
    body: { type: String, required: true },
    priority: { type: String, enum: ['high', 'normal'], default: 'normal' },
    status: { type: String, enum: NOTIFICATION_STATUSES, default: 'pending' },
    attempts: { type: Number, default: 0 },
    error: String,
    providerMessageId: String,
    receiptStatus: String,
    receiptAt: Date,
    sentAt: Date,
    deliveredAt: Date,
    lastAttemptAt: Date,
    failingSince: Date,
    nextAttemptAt: Date,
    failedOver: Boolean,
    level: Number,
    impact: Number,
    smsEncoding: { type: String, enum: ['GSM-7', 'UCS-2'] },
    smsSegments: Number,
  },
  { collection: 'notifications', timestamps: true },
);
NotificationSchema.index({ idempotencyKey: 1 }, { unique: true });
NotificationSchema.index({ incident: 1, contact: 1 });
NotificationSchema.index({ status: 1, createdAt: -1 });
