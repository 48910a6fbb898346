import { Schema } from 'mongoose';
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_STATUSES,
  type NotificationChannel,
  type NotificationKind,
  type NotificationStatus,
} from '@isp/domain';
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
  error?: string;
  providerMessageId?: string;
  sentAt?: Date;
  lastAttemptAt?: Date;
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
    sentAt: Date,
    lastAttemptAt: Date,
  },
  { collection: 'notifications', timestamps: true },
);
NotificationSchema.index({ idempotencyKey: 1 }, { unique: true });
NotificationSchema.index({ incident: 1, contact: 1 });
NotificationSchema.index({ status: 1, createdAt: -1 });
