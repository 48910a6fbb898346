import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { toId, type Id } from '../database/common';
import { BUILDING_MODEL, buildingNameKey, type Building } from './building.schema';

@Injectable()
export class BuildingRepository {
  constructor(@InjectModel(BUILDING_MODEL) private readonly model: Model<Building>) {}

  findById(id: string | Id): Promise<Building | null> {
    return this.model.findById(toId(id)).lean<Building>().exec();
  }

  findByName(name: string): Promise<Building | null> {
    return this.model.findOne({ nameKey: buildingNameKey(name) }).lean<Building>().exec();
  }

  findByCode(code: string): Promise<Building | null> {
    return this.model.findOne({ code: code.trim().toUpperCase() }).lean<Building>().exec();
  }

  findAll(): Promise<Building[]> {
    return this.model.find().sort({ name: 1 }).lean<Building[]>().exec();
  }

  findByIds(ids: (string | Id)[]): Promise<Building[]> {
    return this.model.find({ _id: { $in: ids.map(toId) } }).lean<Building[]>().exec();
  }

  /** One page by name, optionally only those whose name contains `search` (any case), with the total. */
  async page(filter: { search?: string }, page: { limit: number; skip: number }): Promise<{ items: Building[]; total: number }> {
    const q = filter.search ? { nameKey: { $regex: escapeRegex(filter.search.trim().toLowerCase()) } } : {};
    const [items, total] = await Promise.all([
      this.model.find(q).sort({ name: 1 }).skip(page.skip).limit(page.limit).lean<Building[]>().exec(),
      this.model.countDocuments(q).exec(),
    ]);
    return { items, total };
  }

  async create(data: Omit<Building, '_id' | 'nameKey'>): Promise<Building> {
    const doc = await this.model.create({ ...data, nameKey: buildingNameKey(data.name) });
    return doc.toObject();
  }

  /** Upsert by code (the stable short id used in topology files). */
  async upsertByCode(data: Omit<Building, '_id' | 'nameKey'>): Promise<{ building: Building; created: boolean }> {
    const code = data.code.trim().toUpperCase();
    const existing = await this.model.findOne({ code }).lean<Building>().exec();
    const set = { ...data, code, nameKey: buildingNameKey(data.name) };
    const building = await this.model
      .findOneAndUpdate({ code }, { $set: set }, { upsert: true, returnDocument: 'after', runValidators: true })
      .lean<Building>()
      .exec();
    return { building: building!, created: !existing };
  }

  async update(id: string | Id, set: Partial<Omit<Building, '_id'>>): Promise<Building | null> {
    const patch = set.name ? { ...set, nameKey: buildingNameKey(set.name) } : set;
    return this.model.findByIdAndUpdate(toId(id), { $set: patch }, { returnDocument: 'after', runValidators: true }).lean<Building>().exec();
  }

  async delete(id: string | Id): Promise<boolean> {
    const r = await this.model.deleteOne({ _id: toId(id) }).exec();
    return r.deletedCount === 1;
  }
}

/** Makes user text safe to embed in a $regex (it matches literally). */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
