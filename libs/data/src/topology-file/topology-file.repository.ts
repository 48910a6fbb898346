import { buildingNameKey } from '../building/building.schema';
import type { Id } from '../database/common';
import type { DomainModels } from '../database/models';
import { SubscriberRepository, type Relocation } from '../subscriber/subscriber.repository';
import type { Subscriber } from '../subscriber/subscriber.schema';
import { upsertByKey } from './keyed-upsert';

/**
 * Upserts keyed by each record's stable key (upsertByKey: writes only what is new or changed);
 * the loader's only access to the database. Every bulk write goes out in chunks: one command per
 * device or subscriber list would hang the embedded store at an ISP's size (bulk-chunks.ts).
 */
export class TopologyFileRepository {
  constructor(private readonly m: DomainModels) {}

  async upsertBuildings(rows: { code: string; name: string; address?: string; notes?: string; geo?: { lat: number; lng: number } }[]) {
    if (!rows.length) return { created: 0, updated: 0 };
    const keyed = rows.map((b) => ({ key: { code: b.code }, set: { ...b, nameKey: buildingNameKey(b.name) } }));
    return upsertByKey(this.m.building, keyed, { code: { $in: rows.map((b) => b.code) } });
  }

  async buildingIdsByCode(codes: string[]): Promise<Map<string, Id>> {
    const rows = await this.m.building.find({ code: { $in: codes } }, { code: 1 }).lean<{ _id: Id; code: string }[]>().exec();
    return new Map(rows.map((r) => [r.code, r._id]));
  }

  /** `_id` is used only when the router is created (its secrets are encrypted bound to it). */
  async upsertRouters(rows: ({ _id: Id } & Record<string, unknown>)[]) {
    if (!rows.length) return { created: 0, updated: 0 };
    return upsertByKey(this.m.router, rows.map(({ _id, ...r }) => ({ key: { name: r.name }, set: r, onInsert: { _id } })), { name: { $in: rows.map((r) => r.name) } });
  }

  async routerIdsByName(names: string[]): Promise<Map<string, { _id: Id; building: Id }>> {
    const rows = await this.m.router.find({ name: { $in: names } }, { name: 1, building: 1 }).lean<{ _id: Id; name: string; building: Id }[]>().exec();
    return new Map(rows.map((r) => [r.name, { _id: r._id, building: r.building }]));
  }

  /** Devices with their parents; `_id` (chosen by the loader) applies only to new ones. */
  async upsertDevices(rows: ({ _id: Id } & Record<string, unknown>)[]) {
    if (!rows.length) return { created: 0, updated: 0 };
    const keyed = rows.map(({ _id, ...d }) => ({ key: { router: d.router, name: d.name }, set: d, onInsert: { _id } }));
    return upsertByKey(this.m.device, keyed, { router: { $in: distinct(rows.map((d) => d.router)) } });
  }

  async deviceIds(routerIds: Id[]): Promise<Map<string, { _id: Id; building: Id }>> {
    const rows = await this.m.device
      .find({ router: { $in: routerIds } }, { router: 1, name: 1, building: 1 })
      .lean<{ _id: Id; router: Id; name: string; building: Id }[]>()
      .exec();
    return new Map(rows.map((d) => [`${String(d.router)}/${d.name}`, { _id: d._id, building: d.building }]));
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

  async planIdsByName(names: string[]): Promise<Map<string, Id>> {
    if (!names.length) return new Map();
    const rows = await this.m.plan.find({ name: { $in: [...new Set(names)] } }, { name: 1 }).lean<{ _id: Id; name: string }[]>().exec();
    return new Map(rows.map((p) => [p.name, p._id]));
  }

  /** Subscribers with any of these usernames, on any router (what a move in the file may refer to). */
  subscribersByUsername(usernames: string[]): Promise<Subscriber[]> {
    if (!usernames.length) return Promise.resolve([]);
    return this.m.subscriber.find({ username: { $in: [...new Set(usernames)] } }, { password: 0 }).lean<Subscriber[]>().exec();
  }

  /** A move or rename, as the API does it: the old place is left behind for provisioning to clean. */
  relocateSubscriber(before: Subscriber, to: Relocation): Promise<Subscriber | null> {
    return new SubscriberRepository(this.m.subscriber).relocate(before, to);
  }

  async upsertSubscribers(rows: { key: { router: Id; username: string }; set: Record<string, unknown>; onInsert: Record<string, unknown> }[]) {
    if (!rows.length) return { created: 0, updated: 0 };
    return upsertByKey(this.m.subscriber, rows, { router: { $in: distinct(rows.map((s) => s.key.router)) } });
  }

  async upsertContacts(rows: Record<string, unknown>[]) {
    if (!rows.length) return { created: 0, updated: 0 };
    return upsertByKey(this.m.contact, rows.map((c) => ({ key: { name: c.name }, set: c })), { name: { $in: rows.map((c) => c.name) } });
  }
}

/** Distinct ids (by value) for an `$in`. */
function distinct(ids: unknown[]): unknown[] {
  return [...new Map(ids.map((id) => [String(id), id])).values()];
}
