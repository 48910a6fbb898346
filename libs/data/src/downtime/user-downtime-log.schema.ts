import { Schema } from 'mongoose';
import type { Id } from '../database/common';

export type DowntimeCause = 'self' | 'impacted';

/** One period a subscriber was down. At most one open (no endedAt) per user: enforced in code. */
export interface UserDowntimeLog {
  _id: Id;
  user: Id;
  router: Id;
  station?: Id | null;
  building?: Id | null;
  startedAt: Date;
  endedAt?: Date | null;
  durationSec?: number;
  cause: DowntimeCause;
  incident?: Id | null;
  /** "open" while running: a unique key on (user, openKey) makes a second open log impossible. */
  openKey?: string | null;
}

export const USER_DOWNTIME_LOG_MODEL = 'UserDowntimeLog';

export const UserDowntimeLogSchema = new Schema<UserDowntimeLog>(
  {
    user: { type: Schema.Types.ObjectId, ref: 'Subscriber', required: true },
    router: { type: Schema.Types.ObjectId, ref: 'MikrotikRouter', required: true },
    station: { type: Schema.Types.ObjectId, ref: 'Device', default: null },
    building: { type: Schema.Types.ObjectId, ref: 'Building', default: null },
    startedAt: { type: Date, required: true },
    endedAt: { type: Date, default: null },
    durationSec: Number,
    cause: { type: String, enum: ['self', 'impacted'], required: true },
    incident: { type: Schema.Types.ObjectId, ref: 'Incident', default: null },
    openKey: { type: String, default: null },
  },
  { collection: 'userdowntimelogs', timestamps: true },
);
// No partial indexes on FerretDB: closed logs get a unique openKey (their own id), open ones "open".
UserDowntimeLogSchema.index({ user: 1, openKey: 1 }, { unique: true });
UserDowntimeLogSchema.index({ user: 1, startedAt: -1 });
UserDowntimeLogSchema.index({ building: 1, startedAt: -1 });
UserDowntimeLogSchema.index({ incident: 1 });
// The retention sweep finds closed logs past keeping by their end.
UserDowntimeLogSchema.index({ endedAt: 1 });
