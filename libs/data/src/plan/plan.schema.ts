import { Schema } from 'mongoose';
import type { Id } from '../database/common';

/**
 * The speeds and the bandwidth rules of one plan. Rates are RouterOS rate tokens ("50M", "512k");
 * download is what the subscriber receives (the router's tx), upload what it sends (rx).
 */
export interface PlanRates {
  download: string;
  upload: string;
  /** burst-limit per direction (both or neither) */
  burstDownload?: string;
  burstUpload?: string;
  /** burst-threshold per direction */
  burstThresholdDownload?: string;
  burstThresholdUpload?: string;
  /** burst-time in seconds */
  burstTime?: number;
  /** limit-at (guaranteed rate) per direction */
  limitAtDownload?: string;
  limitAtUpload?: string;
  /** queue priority 1 (highest) .. 8 */
  priority?: number;
  /** firewall address list the subscriber's address is put in (PPP profile address-list, a list entry for static/DHCP) */
  addressList?: string;
}

export const PLAN_RATE_FIELDS = [
  'download',
  'upload',
  'burstDownload',
  'burstUpload',
  'burstThresholdDownload',
  'burstThresholdUpload',
  'burstTime',
  'limitAtDownload',
  'limitAtUpload',
  'priority',
  'addressList',
] as const satisfies readonly (keyof PlanRates)[];

/**
 * A bandwidth plan subscribers reference (`planId`). Its name is the PPP profile provisioning
 * keeps on every router that has PPPoE subscribers on it. `version` counts applied changes; a
 * change asked for later waits in `scheduled` until its time.
 */
export interface Plan extends PlanRates {
  _id: Id;
  name: string;
  version: number;
  scheduled?: { at: Date; changes: Partial<PlanRates> } | null;
  createdAt?: Date;
  updatedAt?: Date;
}

export const PLAN_MODEL = 'Plan';

export const PlanSchema = new Schema<Plan>(
  {
    name: { type: String, required: true, trim: true },
    download: { type: String, required: true },
    upload: { type: String, required: true },
    burstDownload: String,
    burstUpload: String,
    burstThresholdDownload: String,
    burstThresholdUpload: String,
    burstTime: Number,
    limitAtDownload: String,
    limitAtUpload: String,
    priority: Number,
    addressList: String,
    version: { type: Number, default: 1 },
    scheduled: { type: { at: Date, changes: Schema.Types.Mixed }, default: null, _id: false },
  },
  { collection: 'plans', timestamps: true },
);
PlanSchema.index({ name: 1 }, { unique: true });
