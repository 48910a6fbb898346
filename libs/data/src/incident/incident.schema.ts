import { Schema } from 'mongoose';
import { INCIDENT_STATES, type IncidentLevel, type IncidentState, type RootCauseKind } from '@isp/domain';
import type { Id } from '../database/common';
import { NODE_STATES, NodeState } from '@isp/domain';
import type { IncidentChange } from '@isp/domain';


export interface RootCause {
  kind: RootCauseKind;
  id: Id;
  name: string;
  /** router role or device type ("core", "sector", "station"...), or "subscriber" */
  type: string;
}

/** One hop the walk probed: what it saw and how long it took. */
export interface EvidenceHop {
  kind: 'router' | 'device' | 'subscriber';
  id: Id;
  name: string;
  state: NodeState;
  rttMs?: number;
  detail?: string;
  at: Date;
}

export interface Incident {
  _id: Id;
  rootCause: RootCause;
  building?: Id | null;
  buildingName?: string;
  level: IncidentLevel;
  state: IncidentState;
  openedAt: Date;
  acknowledgedAt?: Date;
  acknowledgedBy?: string;
  /** What the person acknowledging said (e.g. "crew on the way, ETA 40 min"). */
  acknowledgeNote?: string;
  /** The person (a user's email) working on it; assigning does not acknowledge. */
  assignedTo?: string | null;
  assignedAt?: Date | null;
  /**
   * Raised by each un-acknowledge: escalation checks scheduled before it are stale (their job ids
   * carry the round), so escalation restarts from the un-acknowledge as if never acknowledged.
   */
  escalationRound?: number;
  resolvedAt?: Date;
  /** Infrastructure devices (sectors, backhauls, switches) and routers taken down with the root; stations are not among them. */
  impactedDevices: number;
  /** Customer stations (CPEs) taken down with the root. */
  impactedStations?: number;
  impactedSubscribers: number;
  path: EvidenceHop[];
  /** "open:<kind>:<id>" while open; the incident id once resolved (unique without partial indexes). */
  dedupeKey: string;
  /** Bumped on every notified change; part of notification job ids. */
  revision: number;
  /** Level the incident has been escalated to (starts at `level`). */
  escalatedLevel?: number;
  /**
   * A change diagnostics wrote but has not yet handed to the notifier: set in the same update
   * as the change, cleared once the job is queued. A replica that dies in between leaves it
   * here, and the next diagnosis of the same outage hands it off.
   */
  pendingChange?: IncidentChange | null;
  /** Set when a wider outage swallowed it: closed without a recovery (no RESOLVED page), see that incident. */
  mergedInto?: Id | null;
  /**
   * Its root cause is flapping (diagnostics' flap detection) since then: one incident for the
   * whole flapping period, nobody paged per flap, resolved only when the flapping ends.
   */
  flappingSince?: Date | null;
  /**
   * Its root cause is inside a maintenance window (set by the notifier when it held a page back):
   * nobody is paged while it lasts; when the windows end with the incident still open, the page
   * goes out and this is cleared. Kept on an incident resolved inside the window.
   */
  maintenance?: IncidentMaintenance | null;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface IncidentMaintenance {
  since: Date;
  windowIds: Id[];
  /** When the covering windows end at the earliest, as known when it was set. */
  until?: Date | null;
}

export const INCIDENT_MODEL = 'Incident';


const evidenceHopSchema = new Schema<EvidenceHop>(
  {
    kind: { type: String, enum: ['router', 'device', 'subscriber'], required: true },
    id: { type: Schema.Types.ObjectId, required: true },
    name: String,
    state: { type: String, enum: NODE_STATES, required: true },
    rttMs: Number,
    detail: String,
    at: { type: Date, default: () => new Date() },
  },
  { _id: false },
);

const rootCauseSchema = new Schema<RootCause>(
  {
    kind: { type: String, enum: ['building', 'router', 'device', 'subscriber'], required: true },
    id: { type: Schema.Types.ObjectId, required: true },
    name: String,
    type: { type: String },
  },
  { _id: false },
);

export const IncidentSchema = new Schema<Incident>(
  {
    rootCause: { type: rootCauseSchema, required: true },
    building: { type: Schema.Types.ObjectId, ref: 'Building', default: null },
    buildingName: String,
    level: { type: Number, enum: [1, 2, 3], required: true },
    state: { type: String, enum: INCIDENT_STATES, default: 'open' },
    openedAt: { type: Date, required: true },
    acknowledgedAt: Date,
    acknowledgedBy: String,
    acknowledgeNote: String,
    assignedTo: { type: String, default: null },
    assignedAt: { type: Date, default: null },
    escalationRound: Number,
    resolvedAt: Date,
    impactedDevices: { type: Number, default: 0 },
    impactedStations: { type: Number, default: 0 },
    impactedSubscribers: { type: Number, default: 0 },
    path: { type: [evidenceHopSchema], default: [] },
    dedupeKey: { type: String, required: true },
    revision: { type: Number, default: 1 },
    escalatedLevel: Number,
    pendingChange: { type: String, default: null },
    mergedInto: { type: Schema.Types.ObjectId, ref: 'Incident', default: null },
    flappingSince: { type: Date, default: null },
    maintenance: {
      type: new Schema<IncidentMaintenance>({ since: Date, windowIds: [Schema.Types.ObjectId], until: Date }, { _id: false }),
      default: null,
    },
  },
  { collection: 'incidents', timestamps: true },
);
IncidentSchema.index({ dedupeKey: 1 }, { unique: true });
IncidentSchema.index({ state: 1, level: 1, openedAt: -1 });
IncidentSchema.index({ building: 1, openedAt: -1 });
IncidentSchema.index({ 'rootCause.id': 1 });
// The retention sweep finds resolved incidents past keeping.
IncidentSchema.index({ state: 1, resolvedAt: 1 });
