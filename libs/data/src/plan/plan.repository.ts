import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { toId, type Id } from '../database/common';
import { PLAN_MODEL, type Plan, type PlanRates } from './plan.schema';

@Injectable()
export class PlanRepository {
  constructor(@InjectModel(PLAN_MODEL) private readonly model: Model<Plan>) {}

  findById(id: string | Id): Promise<Plan | null> {
    return this.model.findById(toId(id)).lean<Plan>().exec();
  }

  findByName(name: string): Promise<Plan | null> {
    return this.model.findOne({ name }).lean<Plan>().exec();
  }

  findAll(): Promise<Plan[]> {
    return this.model.find().sort({ name: 1 }).lean<Plan[]>().exec();
  }

  findByIds(ids: (string | Id)[]): Promise<Plan[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.model.find({ _id: { $in: ids.map(toId) } }).lean<Plan[]>().exec();
  }

  async create(data: Partial<Plan> & Pick<Plan, 'name' | 'download' | 'upload'>): Promise<Plan> {
    const doc = await this.model.create(data);
    return doc.toObject();
  }

  /**
   * Applies rate changes now: the plan's version goes up, so every subscriber's sync sees a new
   * plan. Fields set to null are cleared. A waiting scheduled change is dropped only when asked.
   */
  applyChanges(id: string | Id, changes: Partial<Record<keyof PlanRates, unknown>>, opts: { dropScheduled?: boolean; ifScheduledAt?: Date } = {}): Promise<Plan | null> {
    const $set: Record<string, unknown> = {};
    const $unset: Record<string, 1> = {};
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) $unset[k] = 1;
      else if (v !== undefined) $set[k] = v;
    }
    if (opts.dropScheduled) $set.scheduled = null;
    // ifScheduledAt: only the change still waiting for that time (not one replaced meanwhile).
    const filter = { _id: toId(id), ...(opts.ifScheduledAt && { 'scheduled.at': opts.ifScheduledAt }) };
    return this.model
      .findOneAndUpdate(filter, { $set, ...(Object.keys($unset).length && { $unset }), $inc: { version: 1 } }, { returnDocument: 'after', runValidators: true })
      .lean<Plan>()
      .exec();
  }

  /** Stores a change for later (replacing any change already waiting). */
  schedule(id: string | Id, at: Date, changes: Partial<Record<keyof PlanRates, unknown>>): Promise<Plan | null> {
    return this.model.findByIdAndUpdate(toId(id), { $set: { scheduled: { at, changes } } }, { returnDocument: 'after' }).lean<Plan>().exec();
  }

  /** Renames the plan (its PPP profile follows on the next sync of its subscribers). */
  rename(id: string | Id, name: string): Promise<Plan | null> {
    return this.model.findByIdAndUpdate(toId(id), { $set: { name }, $inc: { version: 1 } }, { returnDocument: 'after', runValidators: true }).lean<Plan>().exec();
  }

  async delete(id: string | Id): Promise<boolean> {
    const r = await this.model.deleteOne({ _id: toId(id) }).exec();
    return r.deletedCount === 1;
  }
}
