import { Schema } from 'mongoose';
import { DEVICE_TYPES, type DeviceType } from '@isp/domain';
import { observedStatusSchema, type Id, type ObservedStatus } from '../database/common';


/** An AP, backhaul, station/CPE or switch, probed with /ping from its router. */
export interface Device {
  _id: Id;
  name: string;
  deviceType: DeviceType;
  ipAddress: string;
  macAddress?: string;
  router: Id;
  /** Upstream device; empty means the router itself is the parent. */
  parent?: Id | null;
  /** Extra uplinks (redundant paths): the device is IMPACTED only when all of them are down. */
  altParents: Id[];
  building: Id;
  status: ObservedStatus;
  /** Short subscriber disconnections below this device that healed within the hold-down. */
  churnCount?: number;
  location?: string;
  createdAt?: Date;
  updatedAt?: Date;
}

export const DEVICE_MODEL = 'Device';

export const DeviceSchema = new Schema<Device>(
  {
    name: { type: String, required: true, trim: true },
    deviceType: { type: String, enum: DEVICE_TYPES, required: true },
    ipAddress: { type: String, required: true, trim: true },
    macAddress: { type: String, trim: true, uppercase: true },
    router: { type: Schema.Types.ObjectId, ref: 'MikrotikRouter', required: true },
    parent: { type: Schema.Types.ObjectId, ref: 'Device', default: null },
    altParents: { type: [Schema.Types.ObjectId], ref: 'Device', default: [] },
    building: { type: Schema.Types.ObjectId, ref: 'Building' },
    status: { type: observedStatusSchema, default: () => ({}) },
    churnCount: { type: Number, default: 0 },
    location: String,
  },
  { collection: 'devices', timestamps: true },
);
DeviceSchema.index({ router: 1, name: 1 }, { unique: true });
DeviceSchema.index({ router: 1, ipAddress: 1 });
DeviceSchema.index({ parent: 1 });
DeviceSchema.index({ building: 1 });
DeviceSchema.index({ 'status.state': 1 });
