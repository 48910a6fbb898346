import { Schema } from 'mongoose';
import { SERVICE_TYPES, type ServiceType } from '@isp/domain';
import type { Id } from '../database/common';
import { NODE_STATES, NodeState, SYNC_STATUSES, SyncStatus } from '@isp/domain';


/** A subscriber. Desired state is written by the API; observed state by diagnostics. */
export interface Subscriber {
  _id: Id;
  username: string;
  /** AES-256-GCM (SecretBox). */
  password?: string;
  serviceType: ServiceType;
  staticIp?: string;
  /** Caller-id / MAC lock, upper case colon form. */
  macAddress?: string;
  router: Id;
  station?: Id | null;
  /** Derived from the station, denormalised for queries; kept in step by the repository. */
  building?: Id | null;

  // desired state
  profile: string;
  isSuspended: boolean;
  /** "upload/download" e.g. "10M/50M"; empty means the profile's own limit (or the plan's). */
  rateLimit?: string;
  /** The bandwidth plan: its name is the PPP profile, its rates the static/DHCP queue. */
  planId?: Id | null;
  /**
   * Where this subscriber used to be (before a move or a rename): provisioning removes what is
   * ours under that name on that router and ends its session, then drops the entry. Kept in the
   * database so a removal on an unreachable router is never lost.
   */
  leftBehind?: LeftBehind[];
  desiredVersion: number;

  // sync bookkeeping
  appliedVersion: number;
  syncStatus: SyncStatus;
  syncError?: string;
  lastSyncedAt?: Date;

  // observed state
  state: NodeState;
  stateSince?: Date;
  isOnline: boolean;
  lastOnlineAt?: Date;
  lastOfflineAt?: Date;
  currentAddress?: string;
  callerId?: string;
  /** Short disconnections that healed within the hold-down (not outages). */
  churnCount: number;
  /** Flapping (diagnostics' flap detection) since then; absent when stable. */
  flappingSince?: Date | null;

  location?: string;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface LeftBehind {
  router: Id;
  username: string;
  since: Date;
}

export const SUBSCRIBER_MODEL = 'Subscriber';

export const SubscriberSchema = new Schema<Subscriber>(
  {
    username: { type: String, required: true, trim: true },
    password: String,
    serviceType: { type: String, enum: SERVICE_TYPES, default: 'pppoe' },
    staticIp: String,
    macAddress: { type: String, uppercase: true, trim: true },
    router: { type: Schema.Types.ObjectId, ref: 'MikrotikRouter', required: true },
    station: { type: Schema.Types.ObjectId, ref: 'Device', default: null },
    building: { type: Schema.Types.ObjectId, ref: 'Building', default: null },
    profile: { type: String, default: 'default' },
    isSuspended: { type: Boolean, default: false },
    rateLimit: String,
    planId: { type: Schema.Types.ObjectId, ref: 'Plan', default: null },
    leftBehind: { type: [{ router: { type: Schema.Types.ObjectId, required: true }, username: { type: String, required: true }, since: Date, _id: false }], default: undefined },
    desiredVersion: { type: Number, default: 1 },
    appliedVersion: { type: Number, default: 0 },
    syncStatus: { type: String, enum: SYNC_STATUSES, default: SyncStatus.PENDING },
    syncError: String,
    lastSyncedAt: Date,
    state: { type: String, enum: NODE_STATES, default: NodeState.UNKNOWN },
    stateSince: Date,
    isOnline: { type: Boolean, default: false },
    lastOnlineAt: Date,
    lastOfflineAt: Date,
    currentAddress: String,
    callerId: String,
    churnCount: { type: Number, default: 0 },
    flappingSince: Date,
    location: String,
  },
  // The legacy system's collection name, kept so its data needs no copy.
  { collection: 'mikrotikusers', timestamps: true },
);
SubscriberSchema.index({ router: 1, username: 1 }, { unique: true });
SubscriberSchema.index({ station: 1 });
SubscriberSchema.index({ building: 1 });
SubscriberSchema.index({ router: 1, syncStatus: 1 });
SubscriberSchema.index({ router: 1, macAddress: 1 });
SubscriberSchema.index({ router: 1, staticIp: 1 });
SubscriberSchema.index({ planId: 1 });
SubscriberSchema.index({ 'leftBehind.router': 1 });
