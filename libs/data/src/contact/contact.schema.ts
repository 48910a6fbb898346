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
  /** Buildings this person covers; empty means all. */
  buildings: Id[];
  /** Optional on-duty window, local "HH:MM" times and ISO weekdays (1 = Monday). */
  onDuty?: OnDutyWindow | null;
  active: boolean;
  createdAt?: Date;
  updatedAt?: Date;
}

export const CONTACT_MODEL = 'Contact';

export const ContactSchema = new Schema<Contact>(
  {
    name: { type: String, required: true, trim: true },
    level: { type: Number, enum: [1, 2, 3], required: true },
    phone: String,
    email: { type: String, lowercase: true, trim: true },
    chatWebhook: String,
    buildings: { type: [Schema.Types.ObjectId], ref: 'Building', default: [] },
    onDuty: { type: new Schema({ from: String, to: String, days: [Number], timezone: String }, { _id: false }), default: null },
    active: { type: Boolean, default: true },
  },
  { collection: 'contacts', timestamps: true },
);
ContactSchema.index({ level: 1, active: 1 });
ContactSchema.index({ buildings: 1 });
ContactSchema.index({ name: 1 }, { unique: true });
