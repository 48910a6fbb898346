import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { insertManyInChunks, updateManyIn } from '../database/bulk-chunks';
import { toId, type Id } from '../database/common';
import { USER_DOWNTIME_LOG_MODEL, type DowntimeCause, type UserDowntimeLog } from './user-downtime-log.schema';

const OPEN = 'open';

@Injectable()
export class UserDowntimeLogRepository {
  constructor(@InjectModel(USER_DOWNTIME_LOG_MODEL) private readonly model: Model<UserDowntimeLog>) {}

  findOpen(user: string | Id): Promise<UserDowntimeLog | null> {
    return this.model.findOne({ user: toId(user), openKey: OPEN }).lean<UserDowntimeLog>().exec();
  }

  /**
   * Opens a log unless one is open already (idempotent under replicas and retries: the unique
   * (user, openKey) index turns a racing second insert into a no-op). Returns the open log.
   * A plain insert, never an upsert: FerretDB rewrites a matched document whole, so an upsert
   * racing with close() could bring a closed log back to life.
   */
  async open(data: { user: Id; router: Id; station?: Id | null; building?: Id | null; startedAt: Date; cause: DowntimeCause; incident?: Id | null }): Promise<UserDowntimeLog> {
    const existing = await this.findOpen(data.user);
    if (existing) return existing;
    try {
      const doc = await this.model.create({ ...data, openKey: OPEN, endedAt: null });
      return doc.toObject();
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      const raced = await this.findOpen(data.user);
      if (!raced) throw err;
      return raced;
    }
  }

  /** Re-labels an open log when the walk finds it was caused by an upstream outage. */
  async attachIncident(users: Id[], incident: Id): Promise<number> {
    if (!users.length) return 0;
    return updateManyIn(this.model, 'user', users, { $set: { cause: 'impacted', incident } }, { openKey: OPEN, incident: { $ne: incident } });
  }

  /** Closes the open log, if any. Returns the closed log. */
  async close(user: string | Id, endedAt: Date): Promise<UserDowntimeLog | null> {
    const open = await this.findOpen(user);
    if (!open) return null;
    // Never before it started: the times may come from a router's clock, a little off ours.
    endedAt = new Date(Math.max(endedAt.getTime(), new Date(open.startedAt).getTime()));
    const durationSec = Math.round((endedAt.getTime() - new Date(open.startedAt).getTime()) / 1000);
    return this.model
      .findOneAndUpdate(
        { _id: open._id, openKey: OPEN },
        { $set: { endedAt, durationSec, openKey: String(open._id) } },
        { returnDocument: 'after' },
      )
      .lean<UserDowntimeLog>()
      .exec();
  }

  find(filter: { user?: string | Id; building?: string | Id; incident?: string | Id; from?: Date; to?: Date }, limit = 100, skip = 0): Promise<UserDowntimeLog[]> {
    return this.model.find(this.query(filter)).sort({ startedAt: -1 }).skip(skip).limit(limit).lean<UserDowntimeLog[]>().exec();
  }

  /** Logs overlapping [from, to): for availability figures. */
  findOverlapping(filter: { user?: string | Id; building?: string | Id }, from: Date, to: Date): Promise<UserDowntimeLog[]> {
    const q = this.query(filter);
    q.startedAt = { $lt: to };
    q.$or = [{ endedAt: null }, { endedAt: { $gt: from } }];
    return this.model.find(q).lean<UserDowntimeLog[]>().exec();
  }

  private query(filter: { user?: string | Id; building?: string | Id; incident?: string | Id; from?: Date; to?: Date }): Record<string, unknown> {
    const q: Record<string, unknown> = {};
    if (filter.user) q.user = toId(filter.user);
    if (filter.building) q.building = toId(filter.building);
    if (filter.incident) q.incident = toId(filter.incident);
    if (filter.from || filter.to) q.startedAt = { ...(filter.from && { $gte: filter.from }), ...(filter.to && { $lt: filter.to }) };
    return q;
  }

  /**
   * Opens logs for many users at once (an outage behind a sector): one insert, users that
   * already have an open log keep it (the unique (user, openKey) index rejects the duplicate),
   * then every open log among them is labelled with the incident.
   */
  async openMany(users: { user: Id; router: Id; station?: Id | null; building?: Id | null }[], startedAt: Date, cause: DowntimeCause, incident: Id | null): Promise<number> {
    if (!users.length) return 0;
    const docs = users.map((u) => ({ ...u, startedAt, cause, incident, openKey: OPEN, endedAt: null }));
    const { inserted, duplicates } = await insertManyInChunks(this.model, docs, { ignoreDuplicates: true });
    // Only users whose log was open already need relabelling.
    if (duplicates && incident) await this.attachIncident(users.map((u) => u.user), incident);
    return inserted;
  }

  /**
   * Closes every open log labelled with a resolved incident: one read and one updateMany per
   * distinct start time (the logs an outage opened share it) instead of a find and a
   * findOneAndUpdate per subscriber, which on FerretDB scan the whole collection each. Closed logs
   * get the openKey `closed:<incident>`: unique per user because a user has one open log and an
   * incident resolves once. Returns the closed logs' users.
   */
  async closeForIncident(incident: string | Id, endedAt: Date): Promise<Id[]> {
    const inc = toId(incident);
    const open = await this.model.find({ incident: inc, openKey: OPEN }, { _id: 1, user: 1, startedAt: 1 }).lean<Pick<UserDowntimeLog, '_id' | 'user' | 'startedAt'>[]>().exec();
    const byStart = new Map<number, Id[]>();
    for (const l of open) {
      const t = new Date(l.startedAt).getTime();
      byStart.set(t, [...(byStart.get(t) ?? []), l._id]);
    }
    for (const [startedAt, ids] of byStart) {
      const durationSec = Math.max(0, Math.round((endedAt.getTime() - startedAt) / 1000));
      await updateManyIn(this.model, '_id', ids, { $set: { endedAt, durationSec, openKey: `closed:${String(inc)}` } }, { openKey: OPEN });
    }
    return open.map((l) => l.user);
  }

  /** Open logs labelled with an incident (to close them when it resolves). */
  findOpenForIncident(incident: string | Id): Promise<UserDowntimeLog[]> {
    return this.model.find({ incident: toId(incident), openKey: OPEN }).lean<UserDowntimeLog[]>().exec();
  }
}
