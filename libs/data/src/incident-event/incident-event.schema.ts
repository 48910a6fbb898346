import { Schema } from 'mongoose';
import type { Id } from '../database/common';

/**
 * What happened to an incident, one record per happening, written where it happens: diagnostics
 * (opened, grown, shrunk, merged, absorbed, resolved), the notifier (escalated) and the gateway
 * (acknowledged, unacknowledged, assigned, resolved by a person). Append-only: never updated.
 * Pages sent are not here: the notifications collection already records each one exactly.
 */
export const INCIDENT_EVENT_TYPES = ['opened', 'grown', 'shrunk', 'merged', 'absorbed', 'acknowledged', 'unacknowledged', 'assigned', 'escalated', 'resolved'] as const;
export type IncidentEventType = (typeof INCIDENT_EVENT_TYPES)[number];

export interface IncidentEvent {
  _id: Id;
  incident: Id;
  type: IncidentEventType;
  at: Date;
  /** Who did it: a user's email, `contact:<name>` for an acknowledge link; absent for the system. */
  by?: string;
  note?: string;
  /** assigned: the assignee's email (absent: unassigned). */
  assignee?: string;
  /** escalated: the level reached; opened/grown/shrunk: the incident's level then. */
  level?: number;
  /** merged: the incident that carries on; absorbed: the incident swallowed. */
  other?: Id;
  impact?: { devices: number; stations: number; subscribers: number };
  /** Dedupes a retried write (a job run twice writes one event). */
  key: string;
  createdAt?: Date;
}

export const INCIDENT_EVENT_MODEL = 'IncidentEvent';

export const IncidentEventSchema = new Schema<IncidentEvent>(
  {
    incident: { type: Schema.Types.ObjectId, ref: 'Incident', required: true },
    type: { type: String, enum: INCIDENT_EVENT_TYPES, required: true },
    at: { type: Date, required: true },
    by: String,
    note: String,
    assignee: String,
    level: Number,
    other: { type: Schema.Types.ObjectId, ref: 'Incident' },
    impact: { type: { devices: Number, stations: Number, subscribers: Number }, _id: false },
    key: { type: String, required: true },
  },
  { collection: 'incident_events', timestamps: { createdAt: true, updatedAt: false } },
);
IncidentEventSchema.index({ key: 1 }, { unique: true });
IncidentEventSchema.index({ incident: 1, at: 1 });
