import type { Model } from 'mongoose';
import { bulkWriteInChunks, insertManyInChunks } from '../database/bulk-chunks';
import type { Id } from '../database/common';

export interface KeyedRow {
  /** The record's stable key (code, name, router + name...). */
  key: Record<string, unknown>;
  /** Always applied. */
  set: Record<string, unknown>;
  /** Only when the record is created. */
  onInsert?: Record<string, unknown>;
}

/** Values compared as the database returns them: ids and dates by their JSON form. */
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const keyOf = (key: Record<string, unknown>, fields: string[]) => fields.map((f) => String(key[f])).join('\u0000');

/**
 * Upserts by stable key as one read, inserts of the new records and updates by _id of only the
 * records whose values differ. Why not one upsert per row: on the embedded store (FerretDB on
 * SQLite) an upsert filtered by anything but _id scans the whole collection, so 1,200
 * subscribers cost minutes; a re-load of an unchanged file now writes nothing. `scope` narrows
 * the read to the documents the keys can match (e.g. the routers the file names).
 */
export async function upsertByKey<T>(model: Model<T>, rows: KeyedRow[], scope: Record<string, unknown>): Promise<{ created: number; updated: number }> {
  if (!rows.length) return { created: 0, updated: 0 };
  const fields = Object.keys(rows[0].key);
  const setFields = [...new Set(rows.flatMap((r) => Object.keys(r.set)))];
  const projection = Object.fromEntries([...fields, ...setFields].map((f) => [f, 1]));
  const existing = await model.find(scope as never, projection).lean<Record<string, unknown>[]>().exec();
  const byKey = new Map(existing.map((d) => [keyOf(d, fields), d]));

  const fresh: KeyedRow[] = [];
  const changed: { _id: Id; set: Record<string, unknown> }[] = [];
  for (const r of rows) {
    const doc = byKey.get(keyOf(r.key, fields));
    if (!doc) fresh.push(r);
    else if (Object.entries(r.set).some(([k, v]) => !same(doc[k], v))) changed.push({ _id: doc._id as Id, set: r.set });
  }

  let created = 0;
  let updated = 0;
  if (fresh.length) {
    const docs = fresh.map((r) => ({ ...r.onInsert, ...r.set, ...r.key }));
    const { inserted, duplicates } = await insertManyInChunks(model, docs, { ignoreDuplicates: true });
    created += inserted;
    // Another loader created some of them meanwhile: upsert those by key (they now exist).
    if (duplicates) {
      const raced = await bulkWriteInChunks(model, fresh.map((r) => ({ updateOne: { filter: r.key, update: { $set: r.set, ...(r.onInsert && { $setOnInsert: r.onInsert }) }, upsert: true } })));
      created += raced.upserted;
      updated += raced.modified;
    }
  }
  if (changed.length) {
    updated += (await bulkWriteInChunks(model, changed.map((c) => ({ updateOne: { filter: { _id: c._id }, update: { $set: c.set } } })))).modified;
  }
  return { created, updated };
}
