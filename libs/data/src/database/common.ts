import { Schema, Types } from 'mongoose';
import { NODE_STATES, NodeState } from '@isp/domain';

export type Id = Types.ObjectId;

/** What the system observed about a node: state, since when, when last checked or seen. */
export interface ObservedStatus {
  state: NodeState;
  since?: Date;
  lastCheckAt?: Date;
  lastSeenAt?: Date;
  /** Incident that made this node DOWN (root) or IMPACTED. */
  incident?: Id;
  /** Flapping (diagnostics' flap detection) since then; absent when stable. */
  flappingSince?: Date | null;
}

export const observedStatusSchema = new Schema<ObservedStatus>(
  {
    state: { type: String, enum: NODE_STATES, default: NodeState.UNKNOWN },
    since: Date,
    lastCheckAt: Date,
    lastSeenAt: Date,
    incident: { type: Schema.Types.ObjectId, ref: 'Incident' },
    flappingSince: Date,
  },
  { _id: false },
);

export function toId(id: string | Id): Id {
  return typeof id === 'string' ? new Types.ObjectId(id) : id;
}

/** A fresh id, for a record whose secrets must be encrypted (bound to its id) before it is inserted. */
export function newId(): Id {
  return new Types.ObjectId();
}

export function isObjectId(id: unknown): id is string {
  return typeof id === 'string' && /^[a-f0-9]{24}$/i.test(id);
}
