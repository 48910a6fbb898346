import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { MaintenanceWindowLike } from '@isp/domain';
import { toId, type Id } from '../database/common';
import { MAINTENANCE_WINDOW_MODEL, type MaintenanceWindow } from './maintenance-window.schema';

/** A stored window in the shape the domain's rules take. */
export function windowRules(w: MaintenanceWindow): MaintenanceWindowLike {
  return { id: String(w._id), targetId: String(w.target.id), startsAt: w.startsAt, endsAt: w.endsAt, recurrence: w.recurrence, endedAt: w.endedAt ?? null };
}

@Injectable()
export class MaintenanceWindowRepository {
  constructor(@InjectModel(MAINTENANCE_WINDOW_MODEL) private readonly model: Model<MaintenanceWindow>) {}

  findById(id: string | Id): Promise<MaintenanceWindow | null> {
    return this.model.findById(toId(id)).lean<MaintenanceWindow>().exec();
  }

  /**
   * Windows that may be running or still to come at `at`: weekly ones not ended, and one-off
   * ones not over. The caller applies the exact rules (occurrenceAt); this only bounds the read.
   */
  findCurrent(at = new Date(), filter: { buildings?: Id[] } = {}): Promise<MaintenanceWindow[]> {
    return this.model
      .find({
        $and: [
          { $or: [{ endedAt: null }, { endedAt: { $gt: at } }] },
          { $or: [{ recurrence: 'weekly' }, { endsAt: { $gt: at } }] },
          ...(filter.buildings ? [{ building: { $in: filter.buildings } }] : []),
        ],
      })
      .sort({ startsAt: 1 })
      .lean<MaintenanceWindow[]>()
      .exec();
  }

  /** Windows with an occurrence that may overlap [from, to) (the exact rules: occurrencesBetween). */
  findOverlapping(from: Date, to: Date): Promise<MaintenanceWindow[]> {
    return this.model
      .find({
        startsAt: { $lt: to },
        $and: [{ $or: [{ endedAt: null }, { endedAt: { $gt: from } }] }, { $or: [{ recurrence: 'weekly' }, { endsAt: { $gt: from } }] }],
      })
      .lean<MaintenanceWindow[]>()
      .exec();
  }

  /** Newest first, for the full list (past windows included). */
  find(filter: { buildings?: Id[] } = {}, limit = 200): Promise<MaintenanceWindow[]> {
    return this.model
      .find(filter.buildings ? { building: { $in: filter.buildings } } : {})
      .sort({ startsAt: -1 })
      .limit(limit)
      .lean<MaintenanceWindow[]>()
      .exec();
  }

  async create(data: Omit<MaintenanceWindow, '_id' | 'createdAt' | 'updatedAt'>): Promise<MaintenanceWindow> {
    const doc = await this.model.create(data);
    return doc.toObject();
  }

  update(id: string | Id, set: Partial<Omit<MaintenanceWindow, '_id'>>): Promise<MaintenanceWindow | null> {
    return this.model.findByIdAndUpdate(toId(id), { $set: set }, { returnDocument: 'after', runValidators: true }).lean<MaintenanceWindow>().exec();
  }

  /** Ends a window that is not ended yet; null when it already was. */
  end(id: string | Id, by: string, at = new Date()): Promise<MaintenanceWindow | null> {
    return this.model.findOneAndUpdate({ _id: toId(id), endedAt: null }, { $set: { endedAt: at, endedBy: by } }, { returnDocument: 'after' }).lean<MaintenanceWindow>().exec();
  }

  async delete(id: string | Id): Promise<boolean> {
    const r = await this.model.deleteOne({ _id: toId(id) }).exec();
    return r.deletedCount === 1;
  }
}
