import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { toId, type Id } from '../database/common';
import { SyncStatus } from '../node-state';
import { MIKROTIK_USER_MODEL, type MikrotikUser } from './mikrotik-user.schema';

/** Fields the admin API may change; each change bumps desiredVersion so provisioning re-syncs. */
export type DesiredStatePatch = Partial<Pick<MikrotikUser, 'isSuspended' | 'profile' | 'password' | 'staticIp' | 'rateLimit' | 'macAddress' | 'serviceType'>>;

@Injectable()
export class MikrotikUserRepository {
  constructor(@InjectModel(MIKROTIK_USER_MODEL) private readonly model: Model<MikrotikUser>) {}

  findById(id: string | Id): Promise<MikrotikUser | null> {
    return this.model.findById(toId(id)).lean<MikrotikUser>().exec();
  }

  findByRouterAndUsername(router: string | Id, username: string): Promise<MikrotikUser | null> {
    return this.model.findOne({ router: toId(router), username }).lean<MikrotikUser>().exec();
  }

  findByRouterAndMac(router: string | Id, macAddress: string): Promise<MikrotikUser | null> {
    return this.model.findOne({ router: toId(router), macAddress: macAddress.toUpperCase() }).lean<MikrotikUser>().exec();
  }

  findByRouterAndIp(router: string | Id, staticIp: string): Promise<MikrotikUser | null> {
    return this.model.findOne({ router: toId(router), staticIp }).lean<MikrotikUser>().exec();
  }

  findAll(filter: { router?: string | Id; station?: string | Id; building?: string | Id; syncStatus?: SyncStatus } = {}): Promise<MikrotikUser[]> {
    const q: Record<string, unknown> = {};
    if (filter.router) q.router = toId(filter.router);
    if (filter.station) q.station = toId(filter.station);
    if (filter.building) q.building = toId(filter.building);
    if (filter.syncStatus) q.syncStatus = filter.syncStatus;
    return this.model.find(q).sort({ username: 1 }).lean<MikrotikUser[]>().exec();
  }

  async findPendingIds(router: string | Id): Promise<string[]> {
    const rows = await this.model
      .find({ router: toId(router), syncStatus: { $ne: SyncStatus.SYNCED } }, { _id: 1 })
      .lean<{ _id: Id }[]>()
      .exec();
    return rows.map((r) => String(r._id));
  }

  async create(data: Partial<MikrotikUser> & Pick<MikrotikUser, 'username' | 'router'>): Promise<MikrotikUser> {
    const doc = await this.model.create(data);
    return doc.toObject();
  }

  /** Writes desired state and bumps desiredVersion in one atomic update. */
  writeDesiredState(id: string | Id, patch: DesiredStatePatch): Promise<MikrotikUser | null> {
    return this.model
      .findByIdAndUpdate(
        toId(id),
        { $set: { ...patch, syncStatus: SyncStatus.PENDING }, $inc: { desiredVersion: 1 } },
        { returnDocument: 'after', runValidators: true },
      )
      .lean<MikrotikUser>()
      .exec();
  }

  /** Records a successful sync only if nothing newer was asked for meanwhile. */
  async markApplied(id: string | Id, version: number): Promise<void> {
    const now = new Date();
    await this.model
      .updateOne(
        { _id: toId(id), desiredVersion: version },
        { $set: { appliedVersion: version, syncStatus: SyncStatus.SYNCED, lastSyncedAt: now }, $unset: { syncError: 1 } },
      )
      .exec();
    await this.model
      .updateOne({ _id: toId(id), desiredVersion: { $gt: version } }, { $set: { appliedVersion: version, lastSyncedAt: now } })
      .exec();
  }

  async markSyncFailed(id: string | Id, syncStatus: SyncStatus, syncError: string): Promise<void> {
    await this.model.updateOne({ _id: toId(id) }, { $set: { syncStatus, syncError } }).exec();
  }

  update(id: string | Id, set: Partial<Omit<MikrotikUser, '_id'>>): Promise<MikrotikUser | null> {
    return this.model.findByIdAndUpdate(toId(id), { $set: set }, { returnDocument: 'after', runValidators: true }).lean<MikrotikUser>().exec();
  }

  /** Keeps the denormalised building in step when a station moves building. */
  async setBuildingForStation(station: string | Id, building: Id | null): Promise<number> {
    const r = await this.model.updateMany({ station: toId(station) }, { $set: { building } }).exec();
    return r.modifiedCount;
  }

  async delete(id: string | Id): Promise<boolean> {
    const r = await this.model.deleteOne({ _id: toId(id) }).exec();
    return r.deletedCount === 1;
  }
}
