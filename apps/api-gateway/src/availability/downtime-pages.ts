import type { UserDowntimeLog } from '@isp/data';
import type { Model, Types } from 'mongoose';

/** Logs read per round trip when summing downtime. */
export const DOWNTIME_PAGE_SIZE = 500;

export type DowntimeLogFields = Pick<UserDowntimeLog, '_id' | 'user' | 'startedAt' | 'endedAt' | 'cause' | 'incident'>;

/**
 * The logs overlapping [from, to), page by page, sorted by user then start (keyset on user,
 * start, id): no query asks for more than a page, so a building's 400 days never sit in memory
 * at once, whoever asks; the sums (DowntimeTally, SlaTally) hold one user's intervals at a time.
 * Only the fields the sums need are read. Availability figures and SLA reports both read
 * through here (the model, not UserDowntimeLogRepository, which has no such paging).
 */
export async function* overlappingLogPages(
  logs: Model<UserDowntimeLog>,
  filter: { user?: Types.ObjectId; building?: Types.ObjectId; router?: Types.ObjectId },
  from: Date,
  to: Date,
  pageSize = DOWNTIME_PAGE_SIZE,
): AsyncGenerator<DowntimeLogFields[]> {
  const overlapping = { ...filter, startedAt: { $lt: to }, $or: [{ endedAt: null }, { endedAt: { $gt: from } }] };
  let after: DowntimeLogFields | undefined;
  for (;;) {
    const query = after
      ? {
          $and: [
            overlapping,
            { $or: [{ user: { $gt: after.user } }, { user: after.user, startedAt: { $gt: after.startedAt } }, { user: after.user, startedAt: after.startedAt, _id: { $gt: after._id } }] },
          ],
        }
      : overlapping;
    const page = await logs
      .find(query, { user: 1, startedAt: 1, endedAt: 1, cause: 1, incident: 1 })
      .sort({ user: 1, startedAt: 1, _id: 1 })
      .limit(pageSize)
      .batchSize(pageSize)
      .lean<DowntimeLogFields[]>()
      .exec();
    if (page.length) yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1];
  }
}
