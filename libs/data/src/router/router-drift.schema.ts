import { Schema } from 'mongoose';
import type { Id } from '../database/common';
import type { RouterDriftReport } from './mikrotik-router.schema';

/**
 * The latest pass's drift report of one router, in a collection of its own keyed by the router's
 * id. On the router record, a first install's 2,000-item report made every write of the record
 * (heartbeat stamps, sync status, the pass's own) rewrite it whole on the embedded store, which
 * rewrites whole documents: fifty routers' passes at once then held its write lock for longer
 * than its busy timeout (docs/decisions.md).
 */
export interface RouterDrift {
  _id: Id;
  report: RouterDriftReport;
}

export const ROUTER_DRIFT_MODEL = 'RouterDrift';

export const RouterDriftSchema = new Schema<RouterDrift>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    report: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'router_drift_reports', versionKey: false },
);
