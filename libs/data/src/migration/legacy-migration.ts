import type { Collection, Document, ObjectId } from 'mongodb';
import { buildingNameKey } from '../building/building.schema';
import { progressEvery, type OnProgress } from '../database/progress';
import { cleanLocation, codeFor, locationKey, type RouterRole } from '@isp/domain';

export interface MigrationCollections {
  buildings: Collection<Document>;
  routers: Collection<Document>;
  devices: Collection<Document>;
  users: Collection<Document>;
}

export interface MigrationReport {
  dryRun: boolean;
  buildingsToCreate: { name: string; code: string; variants: string[] }[];
  buildingsReused: string[];
  routersMapped: number;
  devicesMapped: number;
  subscribersMapped: number;
  /** Records that could not be given a building; their `location` (if any) is kept. */
  unmapped: { collection: string; id: string; name: string; location: string; reason: string }[];
}

type Doc = Document & { _id: ObjectId };

/**
 * From the old shape (free-text `location` on routers and devices, subscribers linked to a router
 * and a station) to Buildings and references. Works on the raw collections because legacy
 * documents need not satisfy today's schemas. It never deletes a document, drops `location`
 * only where a building was set, and a second run changes nothing.
 */
export async function migrateLegacyLocations(c: MigrationCollections, opts: { dryRun: boolean; onProgress?: OnProgress }): Promise<MigrationReport> {
  const report: MigrationReport = { dryRun: opts.dryRun, buildingsToCreate: [], buildingsReused: [], routersMapped: 0, devicesMapped: 0, subscribersMapped: 0, unmapped: [] };

  const routers = (await c.routers.find({}).toArray()) as Doc[];
  const devices = (await c.devices.find({}).toArray()) as Doc[];

  // 1. Distinct places, case/space-insensitive; the most frequent spelling names the building
  //    (ties: the first seen, routers before devices).
  const variants = new Map<string, Map<string, number>>();
  for (const d of [...routers, ...devices]) {
    const key = locationKey(d.location);
    if (!key) continue;
    const spelled = cleanLocation(d.location);
    const counts = variants.get(key) ?? new Map<string, number>();
    counts.set(spelled, (counts.get(spelled) ?? 0) + 1);
    variants.set(key, counts);
  }

  const existing = (await c.buildings.find({}).toArray()) as Doc[];
  const byKey = new Map<string, ObjectId>(existing.map((b) => [String(b.nameKey ?? buildingNameKey(String(b.name))), b._id]));
  const codes = new Set<string>(existing.map((b) => String(b.code)));
  const planned = new Map<string, ObjectId | null>();
  for (const [key, counts] of [...variants].sort(([a], [b]) => a.localeCompare(b))) {
    if (byKey.has(key)) {
      report.buildingsReused.push(key);
      planned.set(key, byKey.get(key)!);
      continue;
    }
    // Map keeps insertion order and sort is stable: equal counts keep first-seen order.
    const name = [...counts].sort((a, b) => b[1] - a[1])[0][0];
    const code = codeFor(name, codes);
    report.buildingsToCreate.push({ name, code, variants: [...counts.keys()] });
    if (opts.dryRun) {
      planned.set(key, null);
    } else {
      const now = new Date();
      const r = await c.buildings.findOneAndUpdate(
        { nameKey: key },
        { $setOnInsert: { name, nameKey: key, code, createdAt: now, updatedAt: now } },
        { upsert: true, returnDocument: 'after' },
      );
      planned.set(key, r!._id as ObjectId);
    }
  }

  // 2. Routers and devices: a building from their own location; devices without one inherit their router's.
  const routerBuilding = new Map<string, ObjectId | null | undefined>();
  const assign = async (coll: Collection<Document>, collName: string, doc: Doc, fallback?: ObjectId | null) => {
    const key = locationKey(doc.location);
    let target: ObjectId | null | undefined = key ? planned.get(key) : undefined;
    let reason = '';
    if (target === undefined && doc.building) target = doc.building as ObjectId;
    if (target === undefined && fallback !== undefined) target = fallback;
    if (target === undefined) reason = key ? 'unknown place' : 'empty location and nothing to inherit from';
    if (target === undefined) {
      report.unmapped.push({ collection: collName, id: String(doc._id), name: String(doc.name ?? doc.username ?? ''), location: String(doc.location ?? ''), reason });
      return undefined;
    }
    const alreadyDone = !('location' in doc) && doc.building && target && String(doc.building) === String(target);
    if (!opts.dryRun && !alreadyDone && target) {
      await coll.updateOne({ _id: doc._id }, { $set: { building: target }, $unset: { location: '' } });
    }
    return { target, changed: !alreadyDone };
  };

  const routerDone = progressEvery('routers', routers.length, opts.onProgress);
  for (const [i, r] of routers.entries()) {
    const res = await assign(c.routers, 'mikrotikrouters', r);
    routerDone(i + 1);
    routerBuilding.set(String(r._id), res?.target);
    if (res?.changed) report.routersMapped++;
  }
  const deviceBuilding = new Map<string, ObjectId | null | undefined>();
  const deviceDone = progressEvery('devices', devices.length, opts.onProgress);
  for (const [i, d] of devices.entries()) {
    const res = await assign(c.devices, 'devices', d, d.router ? routerBuilding.get(String(d.router)) : undefined);
    deviceDone(i + 1);
    deviceBuilding.set(String(d._id), res?.target);
    if (res?.changed) report.devicesMapped++;
  }

  // 3. Subscribers: building from their station (falling back to their router), location dropped.
  const users = (await c.users.find({}).toArray()) as Doc[];
  const userDone = progressEvery('subscribers', users.length, opts.onProgress);
  for (const [i, u] of users.entries()) {
    if (i) userDone(i);
    let target = u.station ? deviceBuilding.get(String(u.station)) : undefined;
    if (target === undefined && u.router) target = routerBuilding.get(String(u.router));
    if (target === undefined) {
      report.unmapped.push({ collection: 'mikrotikusers', id: String(u._id), name: String(u.username ?? ''), location: String(u.location ?? ''), reason: 'no station or router with a building' });
      continue;
    }
    // null: a dry run's planned building, not created yet.
    const done = target !== null && !('location' in u) && u.building && String(u.building) === String(target);
    if (done) continue;
    report.subscribersMapped++;
    if (!opts.dryRun && target) await c.users.updateOne({ _id: u._id }, { $set: { building: target }, $unset: { location: '' } });
  }
  userDone(users.length);
  return report;
}

export function formatMigrationReport(r: MigrationReport): string {
  const lines = [
    r.dryRun ? 'DRY RUN: nothing was written.' : 'Migration applied.',
    `Buildings to create: ${r.buildingsToCreate.length}`,
    ...r.buildingsToCreate.map((b) => `  + ${b.code}  ${b.name}  (from: ${b.variants.map((v) => JSON.stringify(v)).join(', ')})`),
    `Buildings reused: ${r.buildingsReused.length}`,
    `Routers mapped: ${r.routersMapped}`,
    `Devices mapped: ${r.devicesMapped}`,
    `Subscribers mapped: ${r.subscribersMapped}`,
    `Could not map: ${r.unmapped.length}`,
    ...r.unmapped.map((u) => `  ! ${u.collection} ${u.id} ${u.name ? `"${u.name}" ` : ''}location=${JSON.stringify(u.location)}: ${u.reason}`),
  ];
  return lines.join('\n');
}

/**
 * Routers of the old system have no `role`. Heartbeats and outage logic read it, and reads of
 * raw or lean records do not apply schema defaults, so the migration writes it: `core` unless the
 * operator says otherwise (`--default-role=edge`). Returns how many routers get (or would get) it.
 */
export async function assignLegacyRoles(routers: MigrationCollections['routers'], role: RouterRole, opts: { dryRun: boolean }): Promise<number> {
  const missing = { $or: [{ role: { $exists: false } }, { role: null }, { role: '' }] };
  if (opts.dryRun) return routers.countDocuments(missing);
  return (await routers.updateMany(missing, { $set: { role } })).modifiedCount;
}
