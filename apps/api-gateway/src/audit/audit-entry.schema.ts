import { Schema, Types } from 'mongoose';

export type AuditOutcome = 'success' | 'failure';

/** Who made a change: the account, as it was when it acted. */
export interface AuditActor {
  id: string;
  /** The account's name, else its e-mail. */
  name: string;
  email: string;
  role: string;
}

/**
 * One change attempted through the API. Append-only: written once by the audit interceptor,
 * never updated; only the retention sweep deletes entries, once older than their retention.
 */
export interface AuditEntry {
  _id: Types.ObjectId;
  at: Date;
  actor: AuditActor;
  /** Client address, as Fastify reads it through TRUSTED_PROXIES. */
  clientIp: string;
  requestId?: string;
  method: string;
  /** Route pattern (`/api/v1/subscribers/:id/suspend`), never the raw URL (it may carry a ticket). */
  route: string;
  /** Controller handler (`suspend`, `update`...). */
  action: string;
  objectType: string;
  objectId?: string | null;
  status: number;
  outcome: AuditOutcome;
  /** Why it failed (the API's error message). */
  error?: string;
  /** Dotted paths of the fields the write changed. */
  changed: string[];
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** The request body, secrets masked. */
  request?: unknown;
}

export const AUDIT_ENTRY_MODEL = 'AuditEntry';

export const AuditEntrySchema = new Schema<AuditEntry>(
  {
    at: { type: Date, required: true },
    actor: {
      type: new Schema<AuditActor>({ id: { type: String, required: true }, name: String, email: String, role: String }, { _id: false }),
      required: true,
    },
    clientIp: String,
    requestId: String,
    method: { type: String, required: true },
    route: { type: String, required: true },
    action: String,
    objectType: { type: String, required: true },
    objectId: { type: String, default: null },
    status: { type: Number, required: true },
    outcome: { type: String, enum: ['success', 'failure'], required: true },
    error: String,
    changed: { type: [String], default: [] },
    before: { type: Schema.Types.Mixed, default: null },
    after: { type: Schema.Types.Mixed, default: null },
    request: { type: Schema.Types.Mixed, default: null },
  },
  // Empty objects in before/after/request are kept as sent (`minimize: false`).
  { collection: 'auditentries', minimize: false, versionKey: false },
);
AuditEntrySchema.index({ at: -1, _id: -1 });
AuditEntrySchema.index({ 'actor.id': 1, at: -1 });
AuditEntrySchema.index({ objectType: 1, objectId: 1, at: -1 });
