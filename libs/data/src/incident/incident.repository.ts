import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { toId, type Id } from '../database/common';
import { openIncidentKey, type IncidentChange, type IncidentLevel, type IncidentState } from '@isp/domain';
import { INCIDENT_MODEL, type Incident, type IncidentMaintenance, type RootCause } from './incident.schema';

export interface IncidentFilter {
  building?: string | Id;
  level?: IncidentLevel;
  state?: IncidentState | IncidentState[];
  /** Opened at or after. */
  openedFrom?: Date;
  /** Opened before. */
  openedBefore?: Date;
}

@Injectable()
export class IncidentRepository {
  constructor(@InjectModel(INCIDENT_MODEL) private readonly model: Model<Incident>) {}

  findById(id: string | Id): Promise<Incident | null> {
    return this.model.findById(toId(id)).lean<Incident>().exec();
  }

  findOpenFor(rootCause: Pick<RootCause, 'kind' | 'id'>): Promise<Incident | null> {
    return this.model.findOne({ dedupeKey: openIncidentKey(rootCause.kind, rootCause.id) }).lean<Incident>().exec();
  }

  findOpen(): Promise<Incident[]> {
    return this.model.find({ state: { $in: ['open', 'acknowledged'] } }).lean<Incident[]>().exec();
  }

  /** Open (or acknowledged) incidents per level, for the metrics gauge. */
  async countOpenByLevel(): Promise<Map<number, number>> {
    const rows = await this.model.aggregate<{ _id: number; n: number }>([{ $match: { state: { $in: ['open', 'acknowledged'] } } }, { $group: { _id: '$level', n: { $sum: 1 } } }]).exec();
    return new Map(rows.map((r) => [r._id, r.n]));
  }

  /**
   * Opens the incident for a root cause, or returns the one already open: the unique dedupeKey
   * makes this safe when several diagnostics replicas race. `created` tells who won.
   */
  async openOrGet(data: Omit<Incident, '_id' | 'dedupeKey' | 'state' | 'revision'>): Promise<{ incident: Incident; created: boolean }> {
    const dedupeKey = openIncidentKey(data.rootCause.kind, data.rootCause.id);
    try {
      const doc = await this.model.create({ ...data, dedupeKey, state: 'open', revision: 1, escalatedLevel: data.level });
      return { incident: doc.toObject(), created: true };
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      const existing = await this.model.findOne({ dedupeKey }).lean<Incident>().exec();
      if (!existing) throw err;
      return { incident: existing, created: false };
    }
  }

  /** Applies a change and bumps the revision; returns null if the incident is no longer open. */
  updateOpen(id: string | Id, set: Partial<Omit<Incident, '_id' | 'revision'>>): Promise<Incident | null> {
    return this.model
      .findOneAndUpdate({ _id: toId(id), state: { $in: ['open', 'acknowledged'] } }, { $set: set, $inc: { revision: 1 } }, { returnDocument: 'after' })
      .lean<Incident>()
      .exec();
  }

  /** The pending change was handed off (queued); a newer pending change is left in place. */
  async clearPendingChange(id: string | Id, change: IncidentChange): Promise<void> {
    await this.model.updateOne({ _id: toId(id), pendingChange: change }, { $set: { pendingChange: null } }).exec();
  }

  /**
   * Raises the escalated level of a still-unacknowledged incident, once: returns null when it
   * has been acknowledged, resolved, or already escalated that far (another replica did it).
   */
  escalate(id: string | Id, toLevel: IncidentLevel): Promise<Incident | null> {
    return this.model
      .findOneAndUpdate(
        { _id: toId(id), state: 'open', $or: [{ escalatedLevel: { $lt: toLevel } }, { escalatedLevel: { $exists: false } }, { escalatedLevel: null }] },
        { $set: { escalatedLevel: toLevel }, $inc: { revision: 1 } },
        { returnDocument: 'after' },
      )
      .lean<Incident>()
      .exec();
  }

  /**
   * Resolves once: frees the dedupe key so a later failure of the same node opens a new incident.
   * Never before it opened (`at` may be a router's clock, a little behind ours). A flapping
   * incident stays open until its flapping ends (`evenIfFlapping`).
   */
  async resolve(id: string | Id, at = new Date(), opts: { evenIfFlapping?: boolean } = {}): Promise<Incident | null> {
    // Records from before flap detection have no flappingSince at all: both spellings of "not flapping".
    const open = { _id: toId(id), state: { $in: ['open', 'acknowledged'] as IncidentState[] }, ...(!opts.evenIfFlapping && { $or: [{ flappingSince: null }, { flappingSince: { $exists: false } }] }) };
    const current = await this.model.findOne(open, { openedAt: 1 }).lean<Pick<Incident, 'openedAt'>>().exec();
    if (!current) return null;
    const resolvedAt = new Date(Math.max(at.getTime(), new Date(current.openedAt).getTime()));
    return this.model
      .findOneAndUpdate(open, { $set: { state: 'resolved', resolvedAt, dedupeKey: String(id) }, $inc: { revision: 1 } }, { returnDocument: 'after' })
      .lean<Incident>()
      .exec();
  }

  /**
   * Closes an incident a wider outage swallowed: no longer open (its dedupe key freed), marked
   * `mergedInto` the incident that carries on. Not a recovery: callers send no RESOLVED for it.
   */
  merge(id: string | Id, into: string | Id, at = new Date()): Promise<Incident | null> {
    return this.model
      .findOneAndUpdate(
        { _id: toId(id), state: { $in: ['open', 'acknowledged'] } },
        { $set: { state: 'resolved', resolvedAt: at, dedupeKey: String(id), mergedInto: toId(into) }, $inc: { revision: 1 } },
        { returnDocument: 'after' },
      )
      .lean<Incident>()
      .exec();
  }

  /** Marks an open incident as held back by maintenance (not a notified change: no revision bump). */
  async markMaintenance(id: string | Id, maintenance: IncidentMaintenance): Promise<void> {
    await this.model.updateOne({ _id: toId(id), state: { $in: ['open', 'acknowledged'] } }, { $set: { maintenance } }).exec();
  }

  /** Open incidents held back by maintenance (the windows' end jobs look at them again). */
  findOpenInMaintenance(): Promise<Incident[]> {
    return this.model.find({ state: { $in: ['open', 'acknowledged'] }, maintenance: { $ne: null } }).lean<Incident[]>().exec();
  }

  /**
   * Takes an open incident out of maintenance, once: the caller that gets it back pages it; a
   * replica that lost the race gets null.
   */
  leaveMaintenance(id: string | Id): Promise<Incident | null> {
    return this.model
      .findOneAndUpdate({ _id: toId(id), state: { $in: ['open', 'acknowledged'] }, maintenance: { $ne: null } }, { $set: { maintenance: null } }, { returnDocument: 'after' })
      .lean<Incident>()
      .exec();
  }

  /** Incidents by id (states of the ones that labelled nodes). */
  findByIds(ids: (string | Id)[]): Promise<Incident[]> {
    return this.model.find({ _id: { $in: ids.map(toId) } }).lean<Incident[]>().exec();
  }

  acknowledge(id: string | Id, by: string, at = new Date(), note?: string): Promise<Incident | null> {
    return this.model
      .findOneAndUpdate({ _id: toId(id), state: 'open' }, { $set: { state: 'acknowledged', acknowledgedAt: at, acknowledgedBy: by, ...(note && { acknowledgeNote: note }) } }, { returnDocument: 'after' })
      .lean<Incident>()
      .exec();
  }

  /**
   * Back to open: the acknowledgement is cleared and the escalation round raised (escalation
   * restarts from now). Null when the incident is not acknowledged.
   */
  unacknowledge(id: string | Id): Promise<Incident | null> {
    return this.model
      .findOneAndUpdate(
        { _id: toId(id), state: 'acknowledged' },
        { $set: { state: 'open' }, $unset: { acknowledgedAt: 1, acknowledgedBy: 1, acknowledgeNote: 1 }, $inc: { revision: 1, escalationRound: 1 } },
        { returnDocument: 'after' },
      )
      .lean<Incident>()
      .exec();
  }

  /** Sets (or, with null, clears) who works on a not yet resolved incident; null when it is resolved. */
  assign(id: string | Id, to: string | null, at = new Date()): Promise<Incident | null> {
    return this.model
      .findOneAndUpdate({ _id: toId(id), state: { $in: ['open', 'acknowledged'] } }, { $set: { assignedTo: to, assignedAt: to ? at : null } }, { returnDocument: 'after' })
      .lean<Incident>()
      .exec();
  }

  find(filter: IncidentFilter, limit = 50, skip = 0): Promise<Incident[]> {
    return this.model.find(this.query(filter)).sort({ openedAt: -1 }).skip(skip).limit(limit).lean<Incident[]>().exec();
  }

  /** One page, newest first, with the total. */
  async page(filter: IncidentFilter, page: { limit: number; skip: number }): Promise<{ items: Incident[]; total: number }> {
    const [items, total] = await Promise.all([this.find(filter, page.limit, page.skip), this.count(filter)]);
    return { items, total };
  }

  count(filter: IncidentFilter): Promise<number> {
    return this.model.countDocuments(this.query(filter)).exec();
  }

  private query(filter: IncidentFilter): Record<string, unknown> {
    const q: Record<string, unknown> = {};
    if (filter.building) q.building = toId(filter.building);
    if (filter.level) q.level = filter.level;
    if (filter.state) q.state = Array.isArray(filter.state) ? { $in: filter.state } : filter.state;
    if (filter.openedFrom || filter.openedBefore) q.openedAt = { ...(filter.openedFrom && { $gte: filter.openedFrom }), ...(filter.openedBefore && { $lt: filter.openedBefore }) };
    return q;
  }
}
