import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { SecretBox } from '@isp/domain';
import { issueWebhookToken } from '@isp/domain';
import { toId, type Id, type ObservedStatus } from '../database/common';
import { updateManyIn } from '../database/bulk-chunks';
import type { RouterRole, SyncStatus } from '@isp/domain';
import { MIKROTIK_ROUTER_MODEL, type AdoptionState, type MikrotikRouter, type RouterDriftReport } from './mikrotik-router.schema';
import { ROUTER_DRIFT_MODEL, type RouterDrift } from './router-drift.schema';

const NO_DRIFT = { drift: 0 } as const;

/** What tells a router silent or not (findLiveness). */
export type RouterLivenessFacts = Pick<MikrotikRouter, '_id' | 'name' | 'building' | 'status' | 'lastReconcileAt' | 'createdAt'>;

@Injectable()
export class MikrotikRouterRepository {
  constructor(
    @InjectModel(MIKROTIK_ROUTER_MODEL) private readonly model: Model<MikrotikRouter>,
    @InjectModel(ROUTER_DRIFT_MODEL) private readonly drifts: Model<RouterDrift>,
  ) {}

  // A drift report left on a record by an earlier version (up to 2,000 items) is read only by findDrift.
  async findById(id: string | Id): Promise<MikrotikRouter | null> {
    return withDefaults(await this.model.findById(toId(id), NO_DRIFT).lean<MikrotikRouter>().exec());
  }

  async findByName(name: string): Promise<MikrotikRouter | null> {
    return withDefaults(await this.model.findOne({ name }, NO_DRIFT).lean<MikrotikRouter>().exec());
  }

  async findAll(filter: { building?: string | Id; role?: RouterRole } = {}): Promise<MikrotikRouter[]> {
    return (await this.model.find(routerQuery(filter), NO_DRIFT).sort({ name: 1 }).lean<MikrotikRouter[]>().exec()).map((r) => withDefaults(r)!);
  }

  /**
   * Every router with only what tells it silent or not (diagnostics' silence check, each minute
   * over every router): no secrets, certificate or drift decoded 5,000 times a minute.
   */
  async findLiveness(): Promise<RouterLivenessFacts[]> {
    return this.model.find({}, { name: 1, building: 1, 'status.lastSeenAt': 1, lastReconcileAt: 1, createdAt: 1 }).lean<RouterLivenessFacts[]>().exec();
  }

  /** One page by name for the admin API, with the total; never carries the API password. */
  async page(filter: { building?: string | Id; role?: RouterRole }, page: { limit: number; skip: number }): Promise<{ items: MikrotikRouter[]; total: number }> {
    const q = routerQuery(filter);
    const [items, total] = await Promise.all([
      this.model.find(q, { apiPassword: 0, drift: 0 }).sort({ name: 1 }).skip(page.skip).limit(page.limit).lean<MikrotikRouter[]>().exec(),
      this.model.countDocuments(q).exec(),
    ]);
    return { items, total };
  }

  count(filter: { building?: string | Id; role?: RouterRole } = {}): Promise<number> {
    return this.model.countDocuments(routerQuery(filter)).exec();
  }

  /** Ids only: the heartbeat and reconcile schedulers fan out one job per router. */
  async findIds(filter: { role?: RouterRole } = {}): Promise<string[]> {
    const rows = await this.model.find(filter.role ? { role: filter.role } : {}, { _id: 1 }).lean<{ _id: Id }[]>().exec();
    return rows.map((r) => String(r._id));
  }

  /** What ingest caches: enough to authenticate a webhook, nothing secret but the hash. */
  findAuthView(): Promise<Pick<MikrotikRouter, '_id' | 'name' | 'webhookTokenHash' | 'allowedSourceIps'>[]> {
    return this.model.find({}, { name: 1, webhookTokenHash: 1, allowedSourceIps: 1 }).lean<MikrotikRouter[]>().exec();
  }

  async create(data: Partial<MikrotikRouter> & Pick<MikrotikRouter, 'name' | 'host' | 'apiUser' | 'apiPassword'>): Promise<MikrotikRouter> {
    const doc = await this.model.create(data);
    return doc.toObject();
  }

  /** Returns the whole record (the MongoDB-compatible server takes no projection on findAndModify). */
  update(id: string | Id, set: Partial<Omit<MikrotikRouter, '_id'>>): Promise<MikrotikRouter | null> {
    return this.model.findByIdAndUpdate(toId(id), { $set: set }, { returnDocument: 'after', runValidators: true }).lean<MikrotikRouter>().exec();
  }

  async setWebhookTokenHash(id: string | Id, hash: string): Promise<boolean> {
    const r = await this.model.updateOne({ _id: toId(id) }, { $set: { webhookTokenHash: hash, webhookTokenIssuedAt: new Date() } }).exec();
    return r.matchedCount === 1;
  }

  /**
   * Stores a newly issued token: its hash (what ingest checks) and the SecretBox-encrypted token
   * (what provisioning writes into the scripts). With `onlyIfMissing`, only a router that has no
   * stored token gets it, so replicas racing to issue one agree on a single token.
   */
  async setWebhookToken(id: string | Id, hash: string, tokenEncrypted: string, opts: { onlyIfMissing?: boolean } = {}): Promise<boolean> {
    const filter: Record<string, unknown> = { _id: toId(id) };
    if (opts.onlyIfMissing) filter.webhookTokenEncrypted = { $exists: false };
    const r = await this.model
      .updateOne(filter, { $set: { webhookTokenHash: hash, webhookTokenEncrypted: tokenEncrypted, webhookTokenIssuedAt: new Date() } })
      .exec();
    return r.matchedCount === 1;
  }

  /**
   * Issues a new webhook token for the router and stores it (hash and encrypted copy). Returns
   * the token, to be shown once, or null when nothing was stored (no such router, or with
   * `onlyIfMissing` another replica stored one first). The caller announces the change.
   */
  async issueWebhookToken(id: string | Id, box: SecretBox, opts: { onlyIfMissing?: boolean } = {}): Promise<string | null> {
    const { token, hash } = issueWebhookToken(String(id));
    return (await this.setWebhookToken(id, hash, box.encrypt(token, 'router.webhookToken', id), opts)) ? token : null;
  }

  async setStatus(id: string | Id, status: Partial<ObservedStatus>): Promise<void> {
    const set = Object.fromEntries(Object.entries(status).map(([k, v]) => [`status.${k}`, v]));
    await this.model.updateOne({ _id: toId(id) }, { $set: set }).exec();
  }

  /** setStatus for many routers at once (the heartbeat's routine "still there" stamps). */
  async setStatusMany(ids: (string | Id)[], status: Partial<ObservedStatus>): Promise<void> {
    if (!ids.length) return;
    const set = Object.fromEntries(Object.entries(status).map(([k, v]) => [`status.${k}`, v]));
    await updateManyIn(this.model, '_id', ids.map(toId), { $set: set });
  }

  async setSyncStatus(id: string | Id, syncStatus: SyncStatus, syncError?: string): Promise<void> {
    const update = syncError
      ? { $set: { syncStatus, syncError } }
      : { $set: { syncStatus, lastSyncedAt: new Date() }, $unset: { syncError: 1 } };
    await this.model.updateOne({ _id: toId(id) }, update).exec();
  }

  /**
   * The latest pass's drift report (with the router's adoption state), or null for no such router.
   * A record from before the reports had a collection of their own still carries its report until
   * its next pass moves it (setDrift).
   */
  async findDrift(id: string | Id): Promise<Pick<MikrotikRouter, '_id' | 'name' | 'adoption' | 'drift' | 'building'> | null> {
    const [r, own] = await Promise.all([
      this.model.findById(toId(id), { name: 1, adoption: 1, drift: 1, building: 1 }).lean<MikrotikRouter>().exec(),
      this.drifts.findById(toId(id)).lean<RouterDrift>().exec(),
    ]);
    return r && { ...r, adoption: adoptionOf(r), drift: own?.report ?? r.drift };
  }

  async setDrift(id: string | Id, drift: RouterDriftReport): Promise<void> {
    await this.drifts.replaceOne({ _id: toId(id) }, { _id: toId(id), report: drift }, { upsert: true }).exec();
    // A report left on the record by an earlier version goes: it would be rewritten with every write of the record.
    await this.model.updateOne({ _id: toId(id) }, { $unset: { drift: 1 } }).exec();
  }

  /**
   * The operator approves the adoption of a router found with someone else's state on it: only
   * a router awaiting it moves on (null otherwise: unknown, or nothing to approve).
   */
  async approveAdoption(id: string | Id, by: string): Promise<MikrotikRouter | null> {
    return this.model
      .findOneAndUpdate(
        { _id: toId(id), adoption: { $in: ['pending', null] } },
        { $set: { adoption: 'approved', adoptionApprovedBy: by, adoptionApprovedAt: new Date() } },
        { returnDocument: 'after' },
      )
      .lean<MikrotikRouter>()
      .exec();
  }

  /** The approved adoption ran: the router is managed from now on. */
  async markAdopted(id: string | Id): Promise<void> {
    await this.model.updateOne({ _id: toId(id), adoption: 'approved' }, { $set: { adoption: 'adopted' } }).exec();
  }

  async delete(id: string | Id): Promise<boolean> {
    const r = await this.model.deleteOne({ _id: toId(id) }).exec();
    await this.drifts.deleteOne({ _id: toId(id) }).exec();
    return r.deletedCount === 1;
  }
}

/** The schema's default role: records migrated from the legacy system have none (null matches a missing field). */
const DEFAULT_ROLE: RouterRole = 'core';

function routerQuery(filter: { building?: string | Id; role?: RouterRole }): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  if (filter.building) q.building = toId(filter.building);
  if (filter.role) q.role = filter.role === DEFAULT_ROLE ? { $in: [DEFAULT_ROLE, null] } : filter.role;
  return q;
}

/** A record without the field comes from before adoption existed: it has to be adopted. */
export function adoptionOf(r: Pick<MikrotikRouter, 'adoption'>): AdoptionState {
  return r.adoption ?? 'pending';
}

/**
 * `.lean()` skips schema defaults: a legacy record without `role` read as-is was never
 * heartbeated (the topology saw no core router). Reads apply the default here.
 */
function withDefaults(r: MikrotikRouter | null): MikrotikRouter | null {
  return r && !r.role ? { ...r, role: DEFAULT_ROLE } : r;
}
