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
   */
  async recordIntentOnce(data: Omit<Notification, '_id' | 'status' | 'attempts'>): Promise<{ notification: Notification; created: boolean }> {
    const existing = await this.model.findOne({ idempotencyKey: data.idempotencyKey }).lean<Notification>().exec();
    if (existing) return { notification: existing, created: false };
    try {
      const doc = await this.model.create({ ...data, status: 'pending', attempts: 0 });
      return { notification: doc.toObject(), created: true };
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      const winner = await this.model.findOne({ idempotencyKey: data.idempotencyKey }).lean<Notification>().exec();
      if (!winner) throw err;
      return { notification: winner, created: false };
    }
  }

  /**
   * Claims a pending (or retryable failed) delivery for sending: only one worker wins. Returns
   * null if another has it or it is already sent.
   */
  claim(id: string | Id): Promise<Notification | null> {
    return this.model
      .findOneAndUpdate(
        { _id: toId(id), status: { $in: ['pending', 'failed'] } },
        { $set: { status: 'sending', lastAttemptAt: new Date() }, $inc: { attempts: 1 } },
        { returnDocument: 'after' },
      )
      .lean<Notification>()
      .exec();
  }

  /**
   * Takes over a delivery left in 'sending' by a worker that died mid-send (its job stalled and
   * came back): only when the last attempt is older than `staleBefore`, so a slow but live send
   * is never doubled.
   */
  claimStale(id: string | Id, staleBefore: Date): Promise<Notification | null> {
    return this.model
      .findOneAndUpdate(
        { _id: toId(id), status: 'sending', lastAttemptAt: { $lt: staleBefore } },
        { $set: { lastAttemptAt: new Date() }, $inc: { attempts: 1 } },
        { returnDocument: 'after' },
      )
      .lean<Notification>()
      .exec();
  }

  async markSent(id: string | Id, providerMessageId?: string): Promise<void> {
    await this.model.updateOne({ _id: toId(id) }, { $set: { status: 'sent', sentAt: new Date(), providerMessageId }, $unset: { error: 1 } }).exec();
  }

  async markFailed(id: string | Id, error: string): Promise<void> {
    await this.model.updateOne({ _id: toId(id) }, { $set: { status: 'failed', error } }).exec();
  }

  find(filter: { incident?: string | Id; contact?: string | Id; status?: Notification['status'] } = {}, limit = 100): Promise<Notification[]> {
    const q: Record<string, unknown> = {};
    if (filter.incident) q.incident = toId(filter.incident);
    if (filter.contact) q.contact = toId(filter.contact);
    if (filter.status) q.status = filter.status;
    return this.model.find(q).sort({ createdAt: -1 }).limit(limit).lean<Notification[]>().exec();
  }
}
