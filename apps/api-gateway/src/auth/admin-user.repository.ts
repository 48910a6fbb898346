import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { toId, type Id } from '@isp/data';
import type { Model } from 'mongoose';
import { ADMIN_USER_MODEL, type AdminUser } from './admin-user.schema';

@Injectable()
export class AdminUserRepository {
  constructor(@InjectModel(ADMIN_USER_MODEL) private readonly model: Model<AdminUser>) {}

  findById(id: string | Id): Promise<AdminUser | null> {
    return this.model.findById(toId(id)).lean<AdminUser>().exec();
  }

  findByEmail(email: string): Promise<AdminUser | null> {
    return this.model.findOne({ email: email.trim().toLowerCase() }).lean<AdminUser>().exec();
  }

  async anyAdmin(): Promise<boolean> {
    return (await this.model.countDocuments({ role: 'admin', active: true }).exec()) > 0;
  }

  async list(limit: number, skip: number): Promise<{ items: AdminUser[]; total: number }> {
    const [items, total] = await Promise.all([
      this.model.find().sort({ email: 1 }).skip(skip).limit(limit).lean<AdminUser[]>().exec(),
      this.model.countDocuments().exec(),
    ]);
    return { items, total };
  }

  async create(data: Omit<AdminUser, '_id' | 'active' | 'buildings'> & Partial<Pick<AdminUser, 'active' | 'buildings'>>): Promise<AdminUser> {
    const doc = await this.model.create(data);
    return doc.toObject();
  }

  /** Creates the user unless the e-mail exists (first-admin seeding by several replicas at once). */
  async createIfAbsent(data: Omit<AdminUser, '_id' | 'active' | 'buildings'>): Promise<boolean> {
    const r = await this.model
      .updateOne({ email: data.email.toLowerCase() }, { $setOnInsert: { ...data, email: data.email.toLowerCase(), active: true, buildings: [] } }, { upsert: true })
      .exec()
      .catch((err: { code?: number }) => {
        if (err.code === 11000) return { upsertedCount: 0 };
        throw err;
      });
    return r.upsertedCount === 1;
  }

  /** `endSessions` also raises the session version, so every token issued before stops working. */
  update(id: string | Id, set: Partial<Omit<AdminUser, '_id' | 'sessionVersion'>>, endSessions = false): Promise<AdminUser | null> {
    const change = endSessions ? { $set: set, $inc: { sessionVersion: 1 } } : { $set: set };
    return this.model.findByIdAndUpdate(toId(id), change, { returnDocument: 'after', runValidators: true }).lean<AdminUser>().exec();
  }

  async touchLogin(id: Id): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { lastLoginAt: new Date() } }).exec();
  }

  async delete(id: string | Id): Promise<boolean> {
    const r = await this.model.deleteOne({ _id: toId(id) }).exec();
    return r.deletedCount === 1;
  }
}
