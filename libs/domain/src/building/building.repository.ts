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
