import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { toId, type Id } from '../database/common';
import { NOTIFICATION_MODEL, type Notification } from './notification.schema';

@Injectable()
export class NotificationRepository {
  constructor(@InjectModel(NOTIFICATION_MODEL) private readonly model: Model<Notification>) {}

  findById(id: string | Id): Promise<Notification | null> {
    return this.model.findById(toId(id)).lean<Notification>().exec();
  }

  /**
   * Records the intent to deliver before anything is sent. Never writes to a record that already
   * exists: a plain insert guarded by the unique idempotencyKey; `created` is false when another
   * replica or an earlier attempt recorded it, and the caller must not send then. An upsert on an existing record still touches it (Mongoose sets
   * updatedAt), and FerretDB applies updates by rewriting the whole document, so a concurrent
   * upsert can put back a stale status (a delivery marked sent reverting to 'sending').
   * `status` defaults to pending; 'skipped' files a contact nobody could reach.
   */
  async recordIntentOnce(data: Omit<Notification, '_id' | 'status' | 'attempts'> & { status?: 'pending' | 'skipped' }): Promise<{ notification: Notification; created: boolean }> {
    const existing = await this.model.findOne({ idempotencyKey: data.idempotencyKey }).lean<Notification>().exec();
    if (existing) return { notification: existing, created: false };
    try {
      const doc = await this.model.create({ status: 'pending', ...data, attempts: 0 });
      return { notification: doc.toObject(), created: true };
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      const winner = await this.model.findOne({ idempotencyKey: data.idempotencyKey }).lean<Notification>().exec();
      if (!winner) throw err;
      return { notification: winner, created: false };
    }
  }

  /**
   * Claims a pending (or retrying) delivery for sending: only one worker wins. Returns null if
   * another has it or it has reached a final status.
   */
  claim(id: string | Id): Promise<Notification | null> {
    return this.model
      .findOneAndUpdate(
        { _id: toId(id), status: { $in: ['pending', 'retrying'] } },
        { $set: { status: 'sending', lastAttemptAt: new Date() }, $inc: { attempts: 1 } },
        { returnDocument: 'after' },
      )
      .lean<Notification>()
      .exec();
  }

  /**
   * A delivery left in 'sending' by a worker that died mid-send (its last attempt older than
   * `staleBefore`) may or may not have reached the provider: it becomes 'uncertain' rather than
   * being sent again. A slow but live send is never touched.
   */
  markStaleUncertain(id: string | Id, staleBefore: Date): Promise<Notification | null> {
    return this.model
      .findOneAndUpdate(
        { _id: toId(id), status: 'sending', lastAttemptAt: { $lt: staleBefore } },
        { $set: { status: 'uncertain', error: 'the worker sending it stopped mid-send' } },
        { returnDocument: 'after' },
      )
      .lean<Notification>()
      .exec();
  }

  /** An uncertain delivery judged worth sending again (its window passed and it still matters). */
  reopenUncertain(id: string | Id): Promise<Notification | null> {
    return this.model.findOneAndUpdate({ _id: toId(id), status: 'uncertain' }, { $set: { status: 'retrying' } }, { returnDocument: 'after' }).lean<Notification>().exec();
  }

  async markSent(id: string | Id, providerMessageId?: string, delivered = false): Promise<void> {
    const now = new Date();
    await this.model
      .updateOne({ _id: toId(id) }, { $set: { status: delivered ? 'delivered' : 'sent', sentAt: now, ...(delivered && { deliveredAt: now }), providerMessageId }, $unset: { error: 1, nextAttemptAt: 1 } })
      .exec();
  }

  /**
   * The provider's receipt for a sent message. `delivered`/`failed` settle it (only a record still
   * `sent`: true for the one caller that did); without `status` the provider's word is only noted.
   */
  async recordReceipt(id: string | Id, receiptStatus: string, settle?: { status: 'delivered' | 'failed'; error?: string }): Promise<boolean> {
    const now = new Date();
    const set: Record<string, unknown> = { receiptStatus, receiptAt: now };
    if (settle?.status === 'delivered') Object.assign(set, { status: 'delivered', deliveredAt: now });
    if (settle?.status === 'failed') Object.assign(set, { status: 'failed', error: settle.error ?? receiptStatus });
    const r = await this.model.updateOne({ _id: toId(id), status: 'sent' }, { $set: set }).exec();
    return r.modifiedCount === 1;
  }

  async markFailed(id: string | Id, error: string): Promise<void> {
    await this.model.updateOne({ _id: toId(id) }, { $set: { status: 'failed', error }, $unset: { nextAttemptAt: 1 } }).exec();
  }

  async markRetrying(id: string | Id, error: string, nextAttemptAt: Date, failingSince: Date): Promise<void> {
    await this.model.updateOne({ _id: toId(id) }, { $set: { status: 'retrying', error, nextAttemptAt, failingSince } }).exec();
  }

  async markUncertain(id: string | Id, error: string, nextAttemptAt: Date): Promise<void> {
    await this.model.updateOne({ _id: toId(id) }, { $set: { status: 'uncertain', error, nextAttemptAt } }).exec();
  }

  async markSuppressed(id: string | Id, reason: string): Promise<void> {
    await this.model.updateOne({ _id: toId(id) }, { $set: { status: 'suppressed', error: reason }, $unset: { nextAttemptAt: 1 } }).exec();
  }

  /** Hands a claimed delivery back untried (it must wait for something else first). */
  async release(id: string | Id, nextAttemptAt: Date): Promise<void> {
    await this.model.updateOne({ _id: toId(id), status: 'sending' }, { $set: { status: 'retrying', nextAttemptAt }, $inc: { attempts: -1 } }).exec();
  }

  /**
   * Every page of the incident not yet handed to a provider (pending or retrying) that is not a
   * resolve becomes 'suppressed' with the reason: after a RESOLVED, nothing older may arrive.
   */
  async suppressPending(incident: string | Id, reason: string): Promise<number> {
    const r = await this.model
      .updateMany({ incident: toId(incident), status: { $in: ['pending', 'retrying'] }, kind: { $nin: ['resolved', 'alarm'] } }, { $set: { status: 'suppressed', error: reason }, $unset: { nextAttemptAt: 1 } })
      .exec();
    return r.modifiedCount;
  }

  /** Pages of the incident to this contact that a worker is handing to a provider right now (resolves excepted). */
  countSending(incident: string | Id, contact: string | Id): Promise<number> {
    return this.model.countDocuments({ incident: toId(incident), contact: toId(contact), status: 'sending', kind: { $ne: 'resolved' } }).exec();
  }

  /** Sets a once-only flag: true for the one caller that set it. */
  async setOnce(id: string | Id, flag: 'failedOver'): Promise<boolean> {
    const r = await this.model.updateOne({ _id: toId(id), [flag]: { $ne: true } }, { $set: { [flag]: true } }).exec();
    return r.modifiedCount === 1;
  }

  find(filter: { incident?: string | Id; contact?: string | Id; status?: Notification['status']; kind?: Notification['kind'] } = {}, limit = 100): Promise<Notification[]> {
    const q: Record<string, unknown> = {};
    if (filter.incident) q.incident = toId(filter.incident);
    if (filter.contact) q.contact = toId(filter.contact);
    if (filter.status) q.status = filter.status;
    if (filter.kind) q.kind = filter.kind;
    return this.model.find(q).sort({ createdAt: -1 }).limit(limit).lean<Notification[]>().exec();
  }
}
