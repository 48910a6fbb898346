import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { escapeRegex } from '../building/building.repository';
import { toId, type Id } from '../database/common';
import { updateManyIn } from '../database/bulk-chunks';
import { SyncStatus, type NodeState } from '@isp/domain';
import { SUBSCRIBER_MODEL, type Subscriber } from './subscriber.schema';

/** Fields the admin API may change; each change bumps desiredVersion so provisioning re-syncs. */
export type DesiredStatePatch = Partial<Pick<Subscriber, 'isSuspended' | 'profile' | 'password' | 'staticIp' | 'rateLimit' | 'macAddress' | 'serviceType' | 'planId'>>;

/** Where a subscriber goes in a move or rename (station and building follow the new router). */
export interface Relocation {
  router: Id;
  username: string;
  station: Id | null;
  building: Id | null;
}

/** What the admin API lists subscribers by; `usernamePrefix` matches literally. */
export interface SubscriberListFilter {
  router?: string | Id;
  station?: string | Id;
  building?: string | Id;
  syncStatus?: SyncStatus;
  isOnline?: boolean;
  isSuspended?: boolean;
  usernamePrefix?: string;
  /**
   * One lookup box, read by the API: a subscriber matches when any given part does (username
   * prefix, MAC as configured or as the session's caller-id, static or current address).
   */
  lookup?: { usernamePrefix?: string; mac?: string; address?: string };
}

const STATUS_FIELDS = { username: 1, isOnline: 1, state: 1, stateSince: 1, lastOnlineAt: 1, lastOfflineAt: 1, currentAddress: 1, callerId: 1, isSuspended: 1, syncStatus: 1, flappingSince: 1 } as const;

const PLACEMENT_FIELDS = { username: 1, router: 1, station: 1, building: 1, macAddress: 1, staticIp: 1, currentAddress: 1 } as const;
export type SubscriberPlacement = Pick<Subscriber, '_id' | 'username' | 'router' | 'station' | 'building' | 'macAddress' | 'staticIp' | 'currentAddress'>;
const PRESENCE_FIELDS = { username: 1, serviceType: 1, macAddress: 1, isOnline: 1, state: 1, stateSince: 1, isSuspended: 1, currentAddress: 1, callerId: 1 } as const;
export type SubscriberPresence = Pick<Subscriber, '_id' | keyof typeof PRESENCE_FIELDS>;

/** The live-state fields of a subscriber (what the status endpoint shows). */
export type SubscriberStatus = Pick<Subscriber, '_id' | keyof typeof STATUS_FIELDS>;

/** Per-subscriber facts a topology view counts by station. */
export type SubscriberStationState = Pick<Subscriber, '_id' | 'station' | 'isOnline' | 'state' | 'isSuspended'>;

@Injectable()
export class SubscriberRepository {
  constructor(@InjectModel(SUBSCRIBER_MODEL) private readonly model: Model<Subscriber>) {}

  findById(id: string | Id): Promise<Subscriber | null> {
    return this.model.findById(toId(id)).lean<Subscriber>().exec();
  }

  findByRouterAndUsername(router: string | Id, username: string): Promise<Subscriber | null> {
    return this.model.findOne({ router: toId(router), username }).lean<Subscriber>().exec();
  }

  /** Every subscriber with this username, on any router (legacy payloads name users only). */
  findByUsername(username: string): Promise<Subscriber[]> {
    return this.model.find({ username }).limit(2).lean<Subscriber[]>().exec();
  }

  findByRouterAndMac(router: string | Id, macAddress: string): Promise<Subscriber | null> {
    return this.model.findOne({ router: toId(router), macAddress: macAddress.toUpperCase() }).lean<Subscriber>().exec();
  }

  findByRouterAndIp(router: string | Id, staticIp: string): Promise<Subscriber | null> {
    return this.model.findOne({ router: toId(router), staticIp }).lean<Subscriber>().exec();
  }

  findAll(filter: { router?: string | Id; station?: string | Id; building?: string | Id; syncStatus?: SyncStatus } = {}): Promise<Subscriber[]> {
    const q: Record<string, unknown> = {};
    if (filter.router) q.router = toId(filter.router);
    if (filter.station) q.station = toId(filter.station);
    if (filter.building) q.building = toId(filter.building);
    if (filter.syncStatus) q.syncStatus = filter.syncStatus;
    return this.model.find(q).sort({ username: 1 }).lean<Subscriber[]>().exec();
  }

  /**
   * Every subscriber's place in the topology, and nothing else (diagnostics' graph): on each
   * topology change the whole network is read, so no other field and no sort.
   */
  findPlacements(filter: { router?: string | Id } = {}): Promise<SubscriberPlacement[]> {
    return this.model.find(filter.router ? { router: toId(filter.router) } : {}, PLACEMENT_FIELDS).lean<SubscriberPlacement[]>().exec();
  }

  /** Subscribers online now per building id (null: no building), for the metrics gauge. */
  async countOnlineByBuilding(): Promise<Map<string | null, number>> {
    const rows = await this.model.aggregate<{ _id: Id | null; n: number }>([{ $match: { isOnline: true } }, { $group: { _id: '$building', n: { $sum: 1 } } }]).exec();
    return new Map(rows.map((r) => [r._id ? String(r._id) : null, r.n]));
  }

  /** One page by username for the admin API, with the total; never carries the password. */
  async page(filter: SubscriberListFilter, page: { limit: number; skip: number }): Promise<{ items: Subscriber[]; total: number }> {
    const q = userListQuery(filter);
    const [items, total] = await Promise.all([
      this.model.find(q, { password: 0 }).sort({ username: 1 }).skip(page.skip).limit(page.limit).lean<Subscriber[]>().exec(),
      this.model.countDocuments(q).exec(),
    ]);
    return { items, total };
  }

  count(filter: SubscriberListFilter = {}): Promise<number> {
    return this.model.countDocuments(userListQuery(filter)).exec();
  }

  findStatus(id: string | Id): Promise<SubscriberStatus | null> {
    return this.model.findById(toId(id), STATUS_FIELDS).lean<SubscriberStatus>().exec();
  }

  /** Station and live state of every subscriber in a building, nothing else (topology counts). */
  findStationStates(building: string | Id): Promise<SubscriberStationState[]> {
    return this.model.find({ building: toId(building) }, { station: 1, isOnline: 1, state: 1, isSuspended: 1 }).lean<SubscriberStationState[]>().exec();
  }

  /** A router moved building: its subscribers that sat in the old building move with it. */
  async moveRouterBuilding(router: string | Id, from: Id | null | undefined, to: string | Id): Promise<number> {
    const r = await this.model.updateMany({ router: toId(router), building: from }, { $set: { building: toId(to) } }).exec();
    return r.modifiedCount;
  }

  async findPendingIds(router: string | Id): Promise<string[]> {
    const rows = await this.model
      .find({ router: toId(router), syncStatus: { $ne: SyncStatus.SYNCED } }, { _id: 1 })
      .lean<{ _id: Id }[]>()
      .exec();
    return rows.map((r) => String(r._id));
  }

  async create(data: Partial<Subscriber> & Pick<Subscriber, 'username' | 'router'>): Promise<Subscriber> {
    const doc = await this.model.create(data);
    return doc.toObject();
  }

  /** Writes desired state and bumps desiredVersion in one atomic update. */
  writeDesiredState(id: string | Id, patch: DesiredStatePatch): Promise<Subscriber | null> {
    return this.model
      .findByIdAndUpdate(
        toId(id),
        { $set: { ...patch, syncStatus: SyncStatus.PENDING }, $inc: { desiredVersion: 1 } },
        { returnDocument: 'after', runValidators: true },
      )
      .lean<Subscriber>()
      .exec();
  }

  /**
   * A move (another router) or rename, as desired state: the old (router, username) is added to
   * `leftBehind` for provisioning to clean up, and an entry for the destination is dropped (moving
   * back undoes it). Conditional on the version read by the caller: null when the subscriber
   * changed meanwhile (the caller answers a conflict, nothing is half-written).
   */
  relocate(before: Subscriber, to: Relocation): Promise<Subscriber | null> {
    const same = (a: Id, b: Id) => String(a) === String(b);
    const leftBehind = [
      ...(before.leftBehind ?? []).filter((e) => !(same(e.router, to.router) && e.username === to.username) && !(same(e.router, before.router) && e.username === before.username)),
      { router: before.router, username: before.username, since: new Date() },
    ];
    return this.model
      .findOneAndUpdate(
        { _id: before._id, desiredVersion: before.desiredVersion },
        { $set: { router: to.router, username: to.username, station: to.station, building: to.building, leftBehind, syncStatus: SyncStatus.PENDING }, $inc: { desiredVersion: 1 } },
        { returnDocument: 'after', runValidators: true },
      )
      .lean<Subscriber>()
      .exec();
  }

  /** A router no longer holds anything of ours under these old names: forget them. */
  async clearLeftBehind(id: string | Id, router: string | Id, usernames: string[]): Promise<void> {
    if (!usernames.length) return;
    const u = await this.model.findById(toId(id), { leftBehind: 1, desiredVersion: 1 }).lean<Pick<Subscriber, 'leftBehind' | 'desiredVersion'>>().exec();
    const keep = (u?.leftBehind ?? []).filter((e) => !(String(e.router) === String(router) && usernames.includes(e.username)));
    if (keep.length === (u?.leftBehind ?? []).length) return;
    // Only if no move happened meanwhile (each bumps desiredVersion): otherwise the next sync clears it.
    await this.model.updateOne({ _id: toId(id), desiredVersion: u!.desiredVersion }, keep.length ? { $set: { leftBehind: keep } } : { $unset: { leftBehind: 1 } }).exec();
  }

  /**
   * The subscribers of these routers and those with something left behind on them, in one query
   * (router passes read their routers together: on the embedded store any filter but `_id` scans
   * the whole collection, so one read for fifty routers costs what one read for one router does).
   */
  findOfRouters(routers: (string | Id)[]): Promise<Subscriber[]> {
    if (!routers.length) return Promise.resolve([]);
    const ids = routers.map(toId);
    return this.model.find({ $or: [{ router: { $in: ids } }, { 'leftBehind.router': { $in: ids } }] }).lean<Subscriber[]>().exec();
  }

  async countByPlan(planId: string | Id): Promise<number> {
    return this.model.countDocuments({ planId: toId(planId) }).exec();
  }

  /**
   * A plan changed: every subscriber on it has a new desired state (pending until its router has
   * the plan's rates). Returns their ids, for one sync job each.
   */
  async markPlanChanged(planId: string | Id): Promise<string[]> {
    const rows = await this.model.find({ planId: toId(planId) }, { _id: 1 }).lean<{ _id: Id }[]>().exec();
    if (!rows.length) return [];
    await updateManyIn(this.model, '_id', rows.map((r) => r._id), { $set: { syncStatus: SyncStatus.PENDING }, $inc: { desiredVersion: 1 } });
    return rows.map((r) => String(r._id));
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

  /**
   * markApplied for many subscribers at once (a router-wide sync or reconcile): one pair of
   * updateMany per distinct version instead of two updates per subscriber.
   */
  async markAppliedMany(entries: { id: string | Id; version: number }[]): Promise<void> {
    const byVersion = new Map<number, Id[]>();
    for (const e of entries) byVersion.set(e.version, [...(byVersion.get(e.version) ?? []), toId(e.id)]);
    const now = new Date();
    for (const [version, ids] of byVersion) {
      await updateManyIn(this.model, '_id', ids, { $set: { appliedVersion: version, syncStatus: SyncStatus.SYNCED, lastSyncedAt: now }, $unset: { syncError: 1 } }, { desiredVersion: version });
      await updateManyIn(this.model, '_id', ids, { $set: { appliedVersion: version, lastSyncedAt: now } }, { desiredVersion: { $gt: version } });
    }
  }

  /**
   * Takes values found on the router into the database (adoption, or a manual edit under the
   * `adopt` policy) without asking for a sync: the router holds them already. Only if nothing
   * newer was asked for since the pass read the subscriber; false otherwise.
   */
  async adoptFromRouter(id: string | Id, version: number | undefined, set: Partial<Pick<Subscriber, 'profile' | 'staticIp' | 'macAddress' | 'isSuspended'>>): Promise<boolean> {
    // null matches a record from the old system that never had a version
    const r = await this.model.updateOne({ _id: toId(id), desiredVersion: version ?? null }, { $set: set }).exec();
    return r.modifiedCount === 1;
  }

  async markSyncFailed(id: string | Id, syncStatus: SyncStatus, syncError: string): Promise<void> {
    await this.model.updateOne({ _id: toId(id) }, { $set: { syncStatus, syncError } }).exec();
  }

  update(id: string | Id, set: Partial<Omit<Subscriber, '_id'>>): Promise<Subscriber | null> {
    return this.model.findByIdAndUpdate(toId(id), { $set: set }, { returnDocument: 'after', runValidators: true }).lean<Subscriber>().exec();
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

  /**
   * Observed state for many subscribers at once (diagnostics). Only those not already in `state`
   * change, so `stateSince` keeps the start of the current state. Returns how many changed.
   */
  async setObservedState(ids: (string | Id)[], state: NodeState, since: Date, extra: Partial<Pick<Subscriber, 'isOnline' | 'lastOnlineAt' | 'lastOfflineAt'>> = {}): Promise<number> {
    if (!ids.length) return 0;
    return updateManyIn(this.model, '_id', ids.map(toId), { $set: { state, stateSince: since, ...extra } }, { state: { $ne: state } });
  }

  /** Flapping since then, or stable again (null): diagnostics' flap detection. */
  async setFlapping(id: string | Id, since: Date | null): Promise<void> {
    await this.model.updateOne({ _id: toId(id) }, since ? { $set: { flappingSince: since } } : { $unset: { flappingSince: 1 } }).exec();
  }

  /**
   * What the router pass and the heartbeat compare with the router's sessions (libs/domain
   * presenceEvents): the session fields of a router's subscribers, nothing else.
   */
  findPresence(router: string | Id): Promise<SubscriberPresence[]> {
    return this.model.find({ router: toId(router) }, PRESENCE_FIELDS).lean<SubscriberPresence[]>().exec();
  }

  /** The session's facts as the router reported them (on-up, a bound lease, or a reconcile pass). */
  async setSession(id: string | Id, session: Partial<Pick<Subscriber, 'currentAddress' | 'callerId'>>): Promise<void> {
    const set = Object.fromEntries(Object.entries(session).filter(([, v]) => v !== undefined && v !== ''));
    if (!Object.keys(set).length) return;
    await this.model.updateOne({ _id: toId(id) }, { $set: set }).exec();
  }

  /**
   * Ids of the suspended subscribers of these routers (diagnostics keeps them out of outages and
   * downtime). Asked by router, not by a list of ids: an outage's thousands of ids in one `$in`
   * are slow on FerretDB, while a router's suspended subscribers are few.
   */
  async findSuspendedIds(routers: (string | Id)[]): Promise<Set<string>> {
    if (!routers.length) return new Set();
    const rows = await this.model.find({ router: { $in: routers.map(toId) }, isSuspended: true }, { _id: 1 }).lean<{ _id: Id }[]>().exec();
    return new Set(rows.map((r) => String(r._id)));
  }

  /** A short disconnection that healed within the hold-down (diagnostics). */
  async incrementChurn(id: string | Id): Promise<void> {
    await this.model.updateOne({ _id: toId(id) }, { $inc: { churnCount: 1 } }).exec();
  }
}

function userListQuery(filter: SubscriberListFilter): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  if (filter.building) q.building = toId(filter.building);
  if (filter.router) q.router = toId(filter.router);
  if (filter.station) q.station = toId(filter.station);
  if (filter.syncStatus) q.syncStatus = filter.syncStatus;
  if (filter.isOnline !== undefined) q.isOnline = filter.isOnline;
  if (filter.isSuspended !== undefined) q.isSuspended = filter.isSuspended;
  if (filter.usernamePrefix) q.username = { $regex: `^${escapeRegex(filter.usernamePrefix)}` };
  if (filter.lookup) {
    const { usernamePrefix, mac, address } = filter.lookup;
    const any: Record<string, unknown>[] = [];
    if (usernamePrefix) any.push({ username: { $regex: `^${escapeRegex(usernamePrefix)}` } });
    if (mac) any.push({ macAddress: mac }, { callerId: mac });
    if (address) any.push({ staticIp: address }, { currentAddress: address });
    // An empty lookup matches nothing rather than everything.
    q.$or = any.length ? any : [{ _id: null }];
  }
  return q;
}
