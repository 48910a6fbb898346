import { Schema } from 'mongoose';
import { ROUTER_ROLES, type RouterRole } from '@isp/domain';
import { observedStatusSchema, type Id, type ObservedStatus } from '../database/common';
import { SYNC_STATUSES, SyncStatus } from '@isp/domain';


/**
 * Whether provisioning may write to the router. `onboarded`: created by this system (the schema
 * default), managed from its first pass. `pending`: found in the database from before (a record
 * without the field reads as pending): its passes only read and report until an operator
 * approves; `approved`: the next pass adopts; `adopted`: managed since.
 */
export const ADOPTION_STATES = ['pending', 'approved', 'adopted', 'onboarded'] as const;
export type AdoptionState = (typeof ADOPTION_STATES)[number];

/** One difference a router pass found, and what it did about it (GET /routers/:id/drift). */
export interface DriftItem {
  menu: string;
  /** the row: secret/queue name, list/address, rule key... */
  entry: string;
  subscriber?: string;
  field: string;
  /** what the router holds (absent: the row is missing; secrets are never shown) */
  router?: string;
  /** what the database asks for (absent: the row is not wanted) */
  database?: string;
  /** apply: our pending change; revert: a manual edit undone; adopt: the router's value taken into the database; report: left as it is; add/remove/kick */
  action: 'apply' | 'revert' | 'adopt' | 'report' | 'add' | 'remove' | 'kick';
  why: string;
}

/** The latest router pass's drift report (one per router, in router_drift_reports: router-drift.schema.ts). */
export interface RouterDriftReport {
  at: Date;
  /** adoption: read-only first pass; adopt: the approved adoption; reconcile: any later pass */
  mode: 'adoption' | 'adopt' | 'reconcile';
  /** false: nothing was written (awaiting approval) */
  applied: boolean;
  deployment: string;
  writes: number;
  kicked: number;
  items: DriftItem[];
  /** items beyond the stored limit */
  truncated: number;
}

export interface MikrotikRouter {
  _id: Id;
  name: string;
  host: string;
  apiPort: number;
  apiUser: string;
  /** AES-256-GCM (SecretBox); never returned by the API, never logged. */
  apiPassword: string;
  tls: boolean;
  /**
   * The router's own api-ssl certificate (PEM), for the usual self-signed one: pinned, it is the
   * only certificate trusted for this router. Public, not a secret.
   */
  tlsCertificate?: string | null;
  /** RouterOS major.minor as reported, e.g. "7.18"; picks the snitch-script dialect. */
  /** RouterOS version: typed at creation as a hint, then what the router itself reports on every pass. */
  rosVersion?: string;
  /** When the router last reported its version (unset: `rosVersion` is only a typed hint). */
  rosVersionObservedAt?: Date;
  boardName?: string;
  architecture?: string;
  /** Netwatch entries the last router pass left on the router (one per device). */
  netwatchEntries?: number;
  /** The snitch-script dialect the last pass wrote and verified (v6, v7-form, v7-json). */
  scriptDialect?: string;
  /** The last pass that read every snitch script of the router and left them as they should be. */
  scriptsVerifiedAt?: Date;
  /** Snitch entries that pass found missing on a router verified before (it rewrote them); coverage report. */
  scriptsMissing?: string[];
  /** Script fields that pass could not make ours (another deployment's); coverage report. */
  scriptConflicts?: string[];
  /** PPP profiles and DHCP servers ("profile x") whose scripts that pass verified: the next one tells a loss from an install. */
  scriptHooks?: string[];
  building: Id;
  role: RouterRole;
  /** sha256 of the webhook token's secret part (see crypto/webhook-token). */
  webhookTokenHash?: string;
  webhookTokenIssuedAt?: Date;
  /**
   * The token itself, SecretBox-encrypted: provisioning needs it to write the snitch scripts
   * (the hash cannot give it back). Written together with the hash whenever a token is issued.
   */
  webhookTokenEncrypted?: string;
  allowedSourceIps: string[];
  status: ObservedStatus;
  syncStatus: SyncStatus;
  syncError?: string;
  lastSyncedAt?: Date;
  lastReconcileAt?: Date;
  /** See ADOPTION_STATES; missing on records from before: pending. */
  adoption?: AdoptionState;
  adoptionApprovedBy?: string;
  adoptionApprovedAt?: Date;
  /** Where reports were kept before router_drift_reports; removed by the router's next pass. */
  drift?: RouterDriftReport;
  /** Legacy free-text location, kept only until the migration has run. */
  location?: string;
  createdAt?: Date;
  updatedAt?: Date;
}

export const MIKROTIK_ROUTER_MODEL = 'MikrotikRouter';

export const MikrotikRouterSchema = new Schema<MikrotikRouter>(
  {
    name: { type: String, required: true, trim: true },
    host: { type: String, required: true, trim: true },
    apiPort: { type: Number, default: 8728 },
    apiUser: { type: String, required: true },
    apiPassword: { type: String, required: true },
    tls: { type: Boolean, default: false },
    tlsCertificate: { type: String, default: null },
    rosVersion: String,
    rosVersionObservedAt: Date,
    boardName: String,
    architecture: String,
    netwatchEntries: Number,
    scriptDialect: String,
    scriptsVerifiedAt: Date,
    scriptsMissing: { type: [String], default: undefined },
    scriptConflicts: { type: [String], default: undefined },
    scriptHooks: { type: [String], default: undefined },
    building: { type: Schema.Types.ObjectId, ref: 'Building' },
    role: { type: String, enum: ROUTER_ROLES, default: 'core' },
    webhookTokenHash: String,
    webhookTokenIssuedAt: Date,
    webhookTokenEncrypted: String,
    allowedSourceIps: { type: [String], default: [] },
    status: { type: observedStatusSchema, default: () => ({}) },
    syncStatus: { type: String, enum: SYNC_STATUSES, default: SyncStatus.PENDING },
    syncError: String,
    lastSyncedAt: Date,
    lastReconcileAt: Date,
    // Created here: onboarded. Documents inserted by the old system have no value: pending.
    adoption: { type: String, enum: ADOPTION_STATES, default: 'onboarded' },
    adoptionApprovedBy: String,
    adoptionApprovedAt: Date,
    drift: { type: Schema.Types.Mixed },
    location: String,
  },
  { collection: 'mikrotikrouters', timestamps: true },
);
MikrotikRouterSchema.index({ name: 1 }, { unique: true });
MikrotikRouterSchema.index({ building: 1 });
MikrotikRouterSchema.index({ role: 1 });
