import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { toId, type Id, type ObservedStatus } from '../database/common';
import type { NodeState } from '../node-state';
import { DEVICE_MODEL, type Device } from './device.schema';

@Injectable()
export class DeviceRepository {
  constructor(@InjectModel(DEVICE_MODEL) private readonly model: Model<Device>) {}

  findById(id: string | Id): Promise<Device | null> {
    return this.model.findById(toId(id)).lean<Device>().exec();
  }

  findByIds(ids: (string | Id)[]): Promise<Device[]> {
    return this.model.find({ _id: { $in: ids.map(toId) } }).lean<Device[]>().exec();
  }

  findAll(filter: { router?: string | Id; building?: string | Id; parent?: string | Id | null } = {}): Promise<Device[]> {
    const q: Record<string, unknown> = {};
    if (filter.router) q.router = toId(filter.router);
    if (filter.building) q.building = toId(filter.building);
    if (filter.parent !== undefined) q.parent = filter.parent === null ? null : toId(filter.parent);
    return this.model.find(q).sort({ name: 1 }).lean<Device[]>().exec();
  }

  findByRouterAndIp(router: string | Id, ipAddress: string): Promise<Device | null> {
    return this.model.findOne({ router: toId(router), ipAddress }).lean<Device>().exec();
  }

  findByRouterAndName(router: string | Id, name: string): Promise<Device | null> {
    return this.model.findOne({ router: toId(router), name }).lean<Device>().exec();
  }

  async create(data: Partial<Device> & Pick<Device, 'name' | 'deviceType' | 'ipAddress' | 'router'>): Promise<Device> {
    const doc = await this.model.create(data);
    return doc.toObject();
  }

  update(id: string | Id, set: Partial<Omit<Device, '_id'>>): Promise<Device | null> {
    return this.model.findByIdAndUpdate(toId(id), { $set: set }, { returnDocument: 'after', runValidators: true }).lean<Device>().exec();
  }

  async setStatus(ids: (string | Id)[], status: Partial<ObservedStatus>): Promise<number> {
    if (!ids.length) return 0;
    const set = Object.fromEntries(Object.entries(status).map(([k, v]) => [`status.${k}`, v]));
    const r = await this.model.updateMany({ _id: { $in: ids.map(toId) } }, { $set: set }).exec();
    return r.modifiedCount;
  }

  async delete(id: string | Id): Promise<boolean> {
    const r = await this.model.deleteOne({ _id: toId(id) }).exec();
    return r.deletedCount === 1;
  }

  /**
   * Sets the observed state of many devices (diagnostics): `since` changes only for those not
   * already in that state; `incident` is set (or cleared with null) on all of them.
   */
  async markState(ids: (string | Id)[], state: NodeState, since: Date, incident: Id | null): Promise<number> {
    if (!ids.length) return 0;
    const q = { _id: { $in: ids.map(toId) } };
    const r = await this.model.updateMany({ ...q, 'status.state': { $ne: state } }, { $set: { 'status.state': state, 'status.since': since } }).exec();
    await this.model.updateMany(q, incident ? { $set: { 'status.incident': incident, 'status.lastCheckAt': since } } : { $unset: { 'status.incident': 1 }, $set: { 'status.lastCheckAt': since } }).exec();
    return r.modifiedCount;
  }

  /** A subscriber below this device (its sector) had a short disconnection (diagnostics). */
  async incrementChurn(id: string | Id): Promise<void> {
    await this.model.updateOne({ _id: toId(id) }, { $inc: { churnCount: 1 } }).exec();
  }
}
