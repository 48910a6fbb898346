import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { toId, type Id } from '../database/common';
import { CONTACT_MODEL, type Contact } from './contact.schema';

@Injectable()
export class ContactRepository {
  constructor(@InjectModel(CONTACT_MODEL) private readonly model: Model<Contact>) {}

  findById(id: string | Id): Promise<Contact | null> {
    return this.model.findById(toId(id)).lean<Contact>().exec();
  }

  findByIds(ids: Array<string | Id>): Promise<Contact[]> {
    return this.model.find({ _id: { $in: ids.map((i) => toId(i)) } }).lean<Contact[]>().exec();
  }

  findActive(level?: 1 | 2 | 3): Promise<Contact[]> {
    return this.model.find({ active: true, ...(level && { level }) }).sort({ name: 1 }).lean<Contact[]>().exec();
  }

  findAll(): Promise<Contact[]> {
    return this.model.find().sort({ level: -1, name: 1 }).lean<Contact[]>().exec();
  }

  async create(data: Partial<Contact> & Pick<Contact, 'name' | 'level'>): Promise<Contact> {
    const doc = await this.model.create(data);
    return doc.toObject();
  }

  /** Upsert by name (the key used in topology files). */
  upsertByName(data: Partial<Contact> & Pick<Contact, 'name' | 'level'>): Promise<Contact | null> {
    return this.model.findOneAndUpdate({ name: data.name }, { $set: data }, { upsert: true, returnDocument: 'after', runValidators: true }).lean<Contact>().exec();
  }

  update(id: string | Id, set: Partial<Omit<Contact, '_id'>>): Promise<Contact | null> {
    return this.model.findByIdAndUpdate(toId(id), { $set: set }, { returnDocument: 'after', runValidators: true }).lean<Contact>().exec();
  }

  async delete(id: string | Id): Promise<boolean> {
    const r = await this.model.deleteOne({ _id: toId(id) }).exec();
    return r.deletedCount === 1;
  }
}
