import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { toId, type Id, type ObservedStatus } from '../database/common';
import { updateManyIn } from '../database/bulk-chunks';
import type { DeviceType, NodeState } from '@isp/domain';
import { DEVICE_MODEL, type Device } from './device.schema';

/** What the admin API lists devices by. */
export interface DeviceListFilter {
  router?: string | Id;
  building?: string | Id;
  parent?: string | Id;
  deviceType?: DeviceType;
  state?: NodeState;
}

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

  /** One page by name, with the total. */
  async page(filter: DeviceListFilter, page: { limit: number; skip: number }): Promise<{ items: Device[]; total: number }> {
    const q = deviceQuery(filter);
    const [items, total] = await Promise.all([
      this.model.find(q).sort({ name: 1 }).skip(page.skip).limit(page.limit).lean<Device[]>().exec(),
      this.model.countDocuments(q).exec(),
    ]);
    return { items, total };
  }

  count(filter: DeviceListFilter = {}): Promise<number> {
    return this.model.countDocuments(deviceQuery(filter)).exec();
  }

  /** Devices hanging below this one, as main or alternative uplink. */
  countChildren(id: string | Id): Promise<number> {
    return this.model.countDocuments({ $or: [{ parent: toId(id) }, { altParents: toId(id) }] }).exec();
  }

  /** A router moved building: its devices that sat in the old building move with it. */
  async moveRouterBuilding(router: string | Id, from: Id | null | undefined, to: string | Id): Promise<number> {
    const r = await this.model.updateMany({ router: toId(router), building: from }, { $set: { building: toId(to) } }).exec();
    return r.modifiedCount;
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
    return updateManyIn(this.model, '_id', ids.map(toId), { $set: set });
  }

  async delete(id: string | Id): Promise<boolean> {
    const r = await this.model.deleteOne({ _id: toId(id) }).exec();
    return r.deletedCount === 1;
  }

  /**
   * Sets the observed state of many devices (diagnostics): `since` changes only for those not
   * already in that state; `incident` is set (or cleared with null) on all of them.
   */
  /** Flapping since then, or stable again (null): diagnostics' flap detection. */
  async setFlapping(id: string | Id, since: Date | null): Promise<void> {
    await this.model.updateOne({ _id: toId(id) }, since ? { $set: { 'status.flappingSince': since } } : { $unset: { 'status.flappingSince': 1 } }).exec();
  }

  async markState(ids: (string | Id)[], state: NodeState, since: Date, incident: Id | null): Promise<number> {
    if (!ids.length) return 0;
    // Two updates over disjoint sets, the ones already in `state` first, so each document is
    // written once: on FerretDB (SQLite) every modified document costs a scan of the collection.
    const all = ids.map(toId);
    const label = incident ? { $set: { 'status.incident': incident, 'status.lastCheckAt': since } } : { $unset: { 'status.incident': 1 }, $set: { 'status.lastCheckAt': since } };
    await updateManyIn(this.model, '_id', all, label, { 'status.state': state });
    const changed = { 'status.state': state, 'status.since': since, 'status.lastCheckAt': since, ...(incident && { 'status.incident': incident }) };
    return updateManyIn(this.model, '_id', all, incident ? { $set: changed } : { $set: changed, $unset: { 'status.incident': 1 } }, { 'status.state': { $ne: state } });
  }

  /** Devices in an observed state (diagnostics: the ones still IMPACTED after their incident resolved). */
  findInState(state: NodeState): Promise<Device[]> {
    return this.model.find({ 'status.state': state }).lean<Device[]>().exec();
  }

  /** A subscriber below this device (its sector) had a short disconnection (diagnostics). */
  async incrementChurn(id: string | Id): Promise<void> {
    await this.model.updateOne({ _id: toId(id) }, { $inc: { churnCount: 1 } }).exec();
  }
}

function deviceQuery(filter: DeviceListFilter): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  if (filter.building) q.building = toId(filter.building);
  if (filter.router) q.router = toId(filter.router);
  if (filter.parent) q.parent = toId(filter.parent);
  if (filter.deviceType) q.deviceType = filter.deviceType;
  if (filter.state) q['status.state'] = filter.state;
  return q;
}
