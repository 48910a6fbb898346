import { Schema } from 'mongoose';
import type { ContactLevel, OnDutyWindow } from '@isp/domain';
import type { Id } from '../database/common';

/** Someone who can be paged: Level 1 support, Level 2 technician, Level 3 network admin. */
export interface Contact {
  _id: Id;
  name: string;
  level: ContactLevel;
  phone?: string;
  email?: string;
  /** Slack-compatible incoming webhook URL. */
  chatWebhook?: string;
  /** Telegram chat id (numeric; negative for groups) or @channelusername, for the bot to write to. */
  telegramChatId?: string;
  /** WhatsApp number, E.164 ("+254711000001"). */
  whatsapp?: string;
  /** Microsoft Teams Workflows webhook URL ("Send webhook alerts to a channel"); a credential. */
  teamsWebhook?: string;
  /** IANA zone the contact reads times in; unset: the on-duty window's zone, else UTC. */
  timezone?: string;
  /** Buildings this person covers; empty means all. */
  buildings: Id[];
  /** Optional on-duty window, local "HH:MM" times and ISO weekdays (1 = Monday). */
  onDuty?: OnDutyWindow | null;
  active: boolean;
  createdAt?: Date;
  updatedAt?: Date;
}

/** The zone a contact reads times in: their own, else their on-duty window's, else UTC. */
export function contactTimeZone(c: Pick<Contact, 'timezone' | 'onDuty'>): string {
  return c.timezone || c.onDuty?.timezone || 'UTC';
}

export const CONTACT_MODEL = 'Contact';

export const ContactSchema = new Schema<Contact>(
  {
    name: { type: String, required: true, trim: true },
    level: { type: Number, enum: [1, 2, 3], required: true },
    phone: String,
    email: { type: String, lowercase: true, trim: true },
    chatWebhook: String,
    telegramChatId: String,
    whatsapp: String,
    teamsWebhook: String,
    timezone: String,
    buildings: { type: [Schema.Types.ObjectId], ref: 'Building', default: [] },
    onDuty: { type: new Schema({ from: String, to: String, days: [Number], timezone: String }, { _id: false }), default: null },
    active: { type: Boolean, default: true },
  },
  { collection: 'contacts', timestamps: true },
);
ContactSchema.index({ level: 1, active: 1 });
ContactSchema.index({ buildings: 1 });
ContactSchema.index({ name: 1 }, { unique: true });
