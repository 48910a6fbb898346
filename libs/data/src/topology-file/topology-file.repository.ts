import type { AnyBulkWriteOperation } from 'mongoose';
import { buildingNameKey } from '../building/building.schema';
import type { Id } from '../database/common';
import type { DomainModels } from '../database/models';

/** Bulk upserts keyed by each record's stable key; the loader's only access to the database. */
export class TopologyFileRepository {
  constructor(private readonly m: DomainModels) {}

  private static count(r: { upsertedCount?: number; modifiedCount?: number }) {
    return { created: r.upsertedCount ?? 0, updated: r.modifiedCount ?? 0 };
  }

  async upsertBuildings(rows: { code: string; name: string; address?: string; notes?: string; geo?: { lat: number; lng: number } }[]) {
    if (!rows.length) return { created: 0, updated: 0 };
    const ops = rows.map((b) => ({
      updateOne: { filter: { code: b.code }, update: { $set: { ...b, nameKey: buildingNameKey(b.name) } }, upsert: true },
    }));
    return TopologyFileRepository.count(await this.m.building.bulkWrite(ops as never, { ordered: false }));
  }

  async buildingIdsByCode(codes: string[]): Promise<Map<string, Id>> {
    const rows = await this.m.building.find({ code: { $in: codes } }, { code: 1 }).lean<{ _id: Id; code: string }[]>().exec();
    return new Map(rows.map((r) => [r.code, r._id]));
  }

  /** `_id` is used only when the router is created (its secrets are encrypted bound to it). */
  async upsertRouters(rows: ({ _id: Id } & Record<string, unknown>)[]) {
    if (!rows.length) return { created: 0, updated: 0 };
    const ops = rows.map(({ _id, ...r }) => ({ updateOne: { filter: { name: r.name }, update: { $set: r, $setOnInsert: { _id } }, upsert: true } }));
    return TopologyFileRepository.count(await this.m.router.bulkWrite(ops as never, { ordered: false }));
  }

  async routerIdsByName(names: string[]): Promise<Map<string, { _id: Id; building: Id }>> {
    const rows = await this.m.router.find({ name: { $in: names } }, { name: 1, building: 1 }).lean<{ _id: Id; name: string; building: Id }[]>().exec();
    return new Map(rows.map((r) => [r.name, { _id: r._id, building: r.building }]));
  }

  /** Devices first without parents, then parents once every id is known. */
  async upsertDevices(rows: Record<string, unknown>[]) {
    if (!rows.length) return { created: 0, updated: 0 };
    const ops = rows.map((d) => ({ updateOne: { filter: { router: d.router, name: d.name }, update: { $set: d }, upsert: true } }));
    return TopologyFileRepository.count(await this.m.device.bulkWrite(ops as never, { ordered: false }));
  }

  async deviceIds(routerIds: Id[]): Promise<Map<string, { _id: Id; building: Id }>> {
    const rows = await this.m.device
      .find({ router: { $in: routerIds } }, { router: 1, name: 1, building: 1 })
      .lean<{ _id: Id; router: Id; name: string; building: Id }[]>()
      .exec();
    return new Map(rows.map((d) => [`${String(d.router)}/${d.name}`, { _id: d._id, building: d.building }]));
  }

  async setDeviceParents(rows: { _id: Id; parent: Id | null; altParents: Id[] }[]) {
    if (!rows.length) return;
    const ops: AnyBulkWriteOperation[] = rows.map((r) => ({ updateOne: { filter: { _id: r._id }, update: { $set: { parent: r.parent, altParents: r.altParents } } } }));
    await this.m.device.bulkWrite(ops as never, { ordered: false });
  }

  /**
   * Subscribers: `set` always applies; `desired` (desired state and password) only changes
   * desiredVersion when it really differs, so re-loading the same file does not trigger syncs.
   */
  /** Ids of the subscribers that exist among (router, username) pairs, keyed "routerId/username". */
  async subscriberIds(keys: { router: Id; username: string }[]): Promise<Map<string, Id>> {
    if (!keys.length) return new Map();
    const rows = await this.m.subscriber
      .find({ router: { $in: [...new Set(keys.map((k) => String(k.router)))] }, username: { $in: [...new Set(keys.map((k) => k.username))] } }, { router: 1, username: 1 })
      .lean<{ _id: Id; router: Id; username: string }[]>()
      .exec();
    return new Map(rows.map((s) => [`${String(s.router)}/${s.username}`, s._id]));
  }

  async upsertSubscribers(rows: { key: { router: Id; username: string }; set: Record<string, unknown>; onInsert: Record<string, unknown> }[]) {
    if (!rows.length) return { created: 0, updated: 0 };
    const ops = rows.map((s) => ({ updateOne: { filter: s.key, update: { $set: s.set, $setOnInsert: s.onInsert }, upsert: true } }));
    return TopologyFileRepository.count(await this.m.subscriber.bulkWrite(ops as never, { ordered: false }));
  }

  async upsertContacts(rows: Record<string, unknown>[]) {
    if (!rows.length) return { created: 0, updated: 0 };
    const ops = rows.map((c) => ({ updateOne: { filter: { name: c.name }, update: { $set: c }, upsert: true } }));
    return TopologyFileRepository.count(await this.m.contact.bulkWrite(ops as never, { ordered: false }));
  }
}
