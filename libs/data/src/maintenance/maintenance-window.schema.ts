import { Schema } from 'mongoose';
import { MAINTENANCE_RECURRENCES, MAINTENANCE_TARGET_KINDS, type MaintenanceRecurrence, type MaintenanceTargetKind } from '@isp/domain';
import type { Id } from '../database/common';

/**
 * A maintenance window on one node (building, router, device or subscriber): nobody is paged for
 * the node or anything below it while it runs (libs/domain maintenance-window). `endedAt` is set
 * when it is ended early; the window is kept (and listed) as the record of what was planned.
 */
export interface MaintenanceWindow {
  _id: Id;
  target: { kind: MaintenanceTargetKind; id: Id; name: string };
  /** The building the target belongs to (scope checks; null for a router or device without one). */
  building: Id | null;
  startsAt: Date;
  endsAt: Date;
  recurrence: MaintenanceRecurrence;
  reason: string;
  createdBy: string;
  endedAt?: Date | null;
  endedBy?: string | null;
  createdAt?: Date;
  updatedAt?: Date;
}

export const MAINTENANCE_WINDOW_MODEL = 'MaintenanceWindow';

export const MaintenanceWindowSchema = new Schema<MaintenanceWindow>(
  {
    target: {
      type: new Schema({ kind: { type: String, enum: MAINTENANCE_TARGET_KINDS, required: true }, id: { type: Schema.Types.ObjectId, required: true }, name: String }, { _id: false }),
      required: true,
    },
    building: { type: Schema.Types.ObjectId, ref: 'Building', default: null },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    recurrence: { type: String, enum: MAINTENANCE_RECURRENCES, default: 'none' },
    reason: { type: String, required: true },
    createdBy: { type: String, required: true },
    endedAt: { type: Date, default: null },
    endedBy: { type: String, default: null },
  },
  { collection: 'maintenancewindows', timestamps: true },
);
MaintenanceWindowSchema.index({ endsAt: 1 });
MaintenanceWindowSchema.index({ 'target.id': 1 });
