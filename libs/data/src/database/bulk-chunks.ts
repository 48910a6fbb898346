import type { Model } from 'mongoose';

/**
 * Every write that carries a list (a bulkWrite, an insertMany, an updateMany over `$in: [...]`)
 * goes through here, split into commands of at most the bulk limit.
 *
 * Why: the embedded store (FerretDB 1.24 on SQLite) never answers an `update` command carrying
 * 100 or more update statements on existing documents, ordered or not, and then answers nothing
 * else either (99 statements take about 150 ms). An `updateMany` over a long `$in` list does
 * answer, but each modified document costs it a scan of the collection, so one command over a
 * thousand ids runs for tens of seconds, past any sensible socket timeout. Short commands keep
 * each one bounded; the total work is the same. A real MongoDB does not need this and loses
 * little: a few more round trips per thousand documents.
 */
export const DEFAULT_BULK_LIMIT = 50;
/** Above this the embedded store hangs (see above): the limit is validated below it. */
export const MAX_BULK_LIMIT = 99;

/**
 * Ids per `$in` update (one statement, so the hang above does not apply). Larger than the bulk
 * limit because each command also costs the store one scan of the collection: 1,000 ids that
 * change nothing take 0.3 s in one command and 3.9 s in chunks of 50. Still short enough to stay
 * well inside the socket timeout.
 */
export const DEFAULT_IN_LIST_LIMIT = 1000;

let limit = DEFAULT_BULK_LIMIT;
let inListLimit = DEFAULT_IN_LIST_LIMIT;

/** Sets the process-wide limit (from the app's or the CLI's validated config, MONGO_BULK_LIMIT). */
export function setBulkLimit(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_BULK_LIMIT) throw new Error(`bulk limit must be an integer from 1 to ${MAX_BULK_LIMIT}, got ${n}`);
  limit = n;
}

export function bulkLimit(): number {
  return limit;
}

/** Sets the process-wide number of ids per `$in` update (MONGO_IN_LIST_LIMIT). */
export function setInListLimit(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`in-list limit must be a positive integer, got ${n}`);
  inListLimit = n;
}

/** `items` in consecutive slices of at most `size` (the bulk limit by default). */
export function chunked<T>(items: readonly T[], size = limit): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface BulkCounts {
  inserted: number;
  matched: number;
  modified: number;
  upserted: number;
}

/**
 * A bulkWrite in commands of at most the limit, counts summed. Unordered by default: like one
 * unordered bulkWrite, every chunk is sent; the first failure is rethrown once all have been tried.
 */
export async function bulkWriteInChunks<T>(model: Model<T>, ops: readonly Record<string, unknown>[], opts: { ordered?: boolean } = {}): Promise<BulkCounts> {
  const ordered = opts.ordered ?? false;
  const sum: BulkCounts = { inserted: 0, matched: 0, modified: 0, upserted: 0 };
  let failure: unknown;
  for (const chunk of chunked(ops)) {
    try {
      const r = await model.bulkWrite(chunk as never, { ordered });
      sum.inserted += r.insertedCount ?? 0;
      sum.matched += r.matchedCount ?? 0;
      sum.modified += r.modifiedCount ?? 0;
      sum.upserted += r.upsertedCount ?? 0;
    } catch (err) {
      if (ordered) throw err;
      failure ??= err;
    }
  }
  if (failure) throw failure;
  return sum;
}

/**
 * `updateMany({ ...filter, [field]: { $in: values } }, update)` in commands of at most the in-list
 * limit values each. Returns the number of documents modified.
 */
export async function updateManyIn<T>(model: Model<T>, field: string, values: readonly unknown[], update: Record<string, unknown>, filter: Record<string, unknown> = {}): Promise<number> {
  let modified = 0;
  for (const chunk of chunked(values, inListLimit)) {
    const r = await model.updateMany({ ...filter, [field]: { $in: chunk } } as never, update as never).exec();
    modified += r.modifiedCount;
  }
  return modified;
}

/**
 * An unordered insertMany in commands of at most the limit. With `ignoreDuplicates`, documents
 * rejected by a unique index (E11000) are skipped and counted; any other error is rethrown.
 */
export async function insertManyInChunks<T>(model: Model<T>, docs: readonly Record<string, unknown>[], opts: { ignoreDuplicates?: boolean } = {}): Promise<{ inserted: number; duplicates: number }> {
  let inserted = 0;
  let duplicates = 0;
  for (const chunk of chunked(docs)) {
    try {
      await model.insertMany(chunk, { ordered: false });
      inserted += chunk.length;
    } catch (err) {
      const e = err as { code?: number; insertedDocs?: unknown[]; writeErrors?: { code?: number; err?: { code?: number } }[] };
      const codes = (e.writeErrors ?? []).map((w) => w.code ?? w.err?.code);
      const onlyDuplicates = codes.length ? codes.every((c) => c === 11000) : e.code === 11000;
      if (!opts.ignoreDuplicates || !onlyDuplicates) throw err;
      const rejected = codes.length || 1;
      inserted += e.insertedDocs?.length ?? chunk.length - rejected;
      duplicates += rejected;
    }
  }
  return { inserted, duplicates };
}
