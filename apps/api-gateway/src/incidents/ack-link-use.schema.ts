import { Schema } from 'mongoose';

/**
 * One acknowledge link that has been used: its random id is the primary key, so recording a use
 * is one insert that only the first of two concurrent clicks wins (single use, every replica).
 */
export interface AckLinkUse {
  _id: string;
  incident: string;
  contact: string;
  usedAt: Date;
  /** The link's own expiry: after it the record proves nothing more and may be swept. */
  expiresAt: Date;
}

export const ACK_LINK_USE_MODEL = 'AckLinkUse';

export const AckLinkUseSchema = new Schema<AckLinkUse>(
  {
    _id: { type: String, required: true },
    incident: { type: String, required: true },
    contact: { type: String, required: true },
    usedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'ack_link_uses', versionKey: false },
);
AckLinkUseSchema.index({ expiresAt: 1 });
