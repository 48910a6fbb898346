import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Types } from 'mongoose';
import { parse as parseYaml } from 'yaml';
import type { SecretBox } from '@isp/domain';
import { newId, type Id } from '../database/common';
import type { OnProgress } from '../database/progress';
import type { TopologyFileRepository } from './topology-file.repository';
import type { TopologyFile } from '@isp/domain';
import { normaliseMac, TopologyFileError, validateTopologyFile } from '@isp/domain';

export interface LoadSummary {
  buildings: { created: number; updated: number };
  routers: { created: number; updated: number };
  devices: { created: number; updated: number };
  subscribers: { created: number; updated: number };
  contacts: { created: number; updated: number };
  /** subscribers moved to another router or renamed (the old router cleans up on its pass) */
  moved: number;
  /** Every router the file named (its own, or one its devices and subscribers hang on). */
  routerIds: string[];
}

export function parseTopologyText(text: string, fileName = 'topology.yaml'): TopologyFile {
  let data: unknown;
  try {
    data = extname(fileName).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new TopologyFileError([`${fileName}: cannot parse: ${(err as Error).message}`]);
  }
  return validateTopologyFile(data);
}

export function readTopologyFile(path: string): TopologyFile {
  return parseTopologyText(readFileSync(path, 'utf8'), path);
}

const normMac = (mac?: string) => (mac ? (normaliseMac(mac) ?? undefined) : undefined);

/**
 * Loads a validated topology into the database. Re-running with the same file updates in place
 * and never duplicates (every record is upserted by its stable key). Passwords are encrypted.
 */
export async function loadTopology(file: TopologyFile, repo: TopologyFileRepository, box: SecretBox, onProgress?: OnProgress): Promise<LoadSummary> {
  // Plans are the API's: the file names existing ones (applied like the profile, on creation).
  const planNames = [...new Set((file.subscribers ?? []).flatMap((s) => (s.plan ? [s.plan] : [])))];
  const planIds = await repo.planIdsByName(planNames);
  const unknownPlans = (file.subscribers ?? []).filter((s) => s.plan && !planIds.has(s.plan)).map((s) => `subscriber ${s.username}: plan "${s.plan}" does not exist (create it at /api/v1/plans)`);
  if (unknownPlans.length) throw new TopologyFileError(unknownPlans);

  const buildings = (file.buildings ?? []).map((b) => ({ ...b, code: b.code.trim().toUpperCase(), name: b.name.trim() }));
  // Each kind is written in bulk (upsertByKey): progress is records done of the file's total, kind by kind.
  const total = buildings.length + (file.routers ?? []).length + (file.devices ?? []).length + (file.subscribers ?? []).length + (file.contacts ?? []).length;
  let done = 0;
  const stageDone = (stage: string, records: number) => onProgress?.({ stage, done: (done += records), total });
  const summary: LoadSummary = {
    buildings: await repo.upsertBuildings(buildings),
    routers: { created: 0, updated: 0 },
    devices: { created: 0, updated: 0 },
    subscribers: { created: 0, updated: 0 },
    contacts: { created: 0, updated: 0 },
    moved: 0,
    routerIds: [],
  };
  stageDone('buildings', buildings.length);
  const allCodes = [
    ...buildings.map((b) => b.code),
    ...(file.routers ?? []).map((r) => r.building.trim().toUpperCase()),
    ...(file.contacts ?? []).flatMap((c) => (c.buildings ?? []).map((b) => b.trim().toUpperCase())),
  ];
  const buildingIds = await repo.buildingIdsByCode([...new Set(allCodes)]);
  const building = (code: string) => buildingIds.get(code.trim().toUpperCase())!;

  // Secrets are encrypted bound to their record: existing routers keep their id, new ones get theirs now.
  const knownRouters = await repo.routerIdsByName((file.routers ?? []).map((r) => r.name));
  summary.routers = await repo.upsertRouters(
    (file.routers ?? []).map((r) => {
      const _id = knownRouters.get(r.name)?._id ?? newId();
      return {
        _id,
        name: r.name,
        host: r.host,
        apiPort: r.apiPort ?? (r.tls ? 8729 : 8728), // api-ssl listens on 8729
        apiUser: r.apiUser,
        apiPassword: box.encrypt(r.apiPassword, 'router.apiPassword', _id),
        tls: r.tls ?? false,
        role: r.role ?? 'core',
        building: building(r.building),
        allowedSourceIps: r.allowedSourceIps ?? [],
        ...(r.rosVersion && { rosVersion: r.rosVersion }),
      };
    }),
  );
  stageDone('routers', (file.routers ?? []).length);
  const routerNames = [...new Set([...(file.routers ?? []).map((r) => r.name), ...(file.devices ?? []).map((d) => d.router), ...(file.subscribers ?? []).map((s) => s.router)])];
  const routers = await repo.routerIdsByName(routerNames);
  summary.routerIds = [...routers.values()].map((r) => String(r._id));
  const router = (name: string) => {
    const r = routers.get(name);
    if (!r) throw new TopologyFileError([`router "${name}" is neither in the file nor in the database`]);
    return r;
  };

  // New devices get their ids here, so each is written once with its parents (a second pass of
  // one update per device costs a write transaction each on the embedded store).
  const routerIds = [...routers.values()].map((r) => r._id);
  const existing = await repo.deviceIds(routerIds);
  const deviceKey = (routerName: string, name: string) => `${String(router(routerName)._id)}/${name}`;
  const idOf = new Map((file.devices ?? []).map((d) => [deviceKey(d.router, d.name), existing.get(deviceKey(d.router, d.name))?._id ?? new Types.ObjectId()]));
  const deviceId = (routerName: string, name: string) => idOf.get(deviceKey(routerName, name))!;
  summary.devices = await repo.upsertDevices(
    (file.devices ?? []).map((d) => ({
      _id: deviceId(d.router, d.name),
      name: d.name,
      router: router(d.router)._id,
      deviceType: d.type,
      ipAddress: d.ip,
      ...(d.mac && { macAddress: normMac(d.mac) }),
      building: d.building ? building(d.building) : router(d.router).building,
      parent: d.parent ? deviceId(d.router, d.parent) : null,
      altParents: (d.altParents ?? []).map((p) => deviceId(d.router, p)),
    })),
  );
  stageDone('devices', (file.devices ?? []).length);
  const devices = await repo.deviceIds(routerIds);
  const device = (routerName: string, name: string) => devices.get(deviceKey(routerName, name))!;

  const fromRouters = await moveSubscribers(file, repo, (name) => router(name));
  summary.moved = fromRouters.length;
  summary.routerIds = [...new Set([...summary.routerIds, ...fromRouters])];

  const knownSubscribers = await repo.subscriberIds((file.subscribers ?? []).map((s) => ({ router: router(s.router)._id, username: s.username })));
  summary.subscribers = await repo.upsertSubscribers(
    (file.subscribers ?? []).map((s) => {
      // Used only on insert: the password (set only then) is encrypted bound to it.
      const _id = knownSubscribers.get(`${String(router(s.router)._id)}/${s.username}`) ?? newId();
      const station = s.station ? device(s.router, s.station) : undefined;
      const set: Record<string, unknown> = {
        serviceType: s.serviceType ?? 'pppoe',
        station: station?._id ?? null,
        // Subscribers inherit their building from the station they hang on.
        building: (station?.building ?? router(s.router).building) as Id,
        ...(s.staticIp && { staticIp: s.staticIp }),
        ...(s.macAddress && { macAddress: normMac(s.macAddress) }),
      };
      const onInsert: Record<string, unknown> = {
        _id,
        profile: s.profile ?? 'default',
        isSuspended: s.isSuspended ?? false,
        ...(s.rateLimit && { rateLimit: s.rateLimit }),
        ...(s.plan && { planId: planIds.get(s.plan) }),
        ...(s.password !== undefined && { password: box.encrypt(s.password, 'subscriber.password', _id) }),
        desiredVersion: 1,
        appliedVersion: 0,
        syncStatus: 'pending',
      };
      return { key: { router: router(s.router)._id, username: s.username }, set, onInsert };
    }),
  );

  stageDone('subscribers', (file.subscribers ?? []).length);
  summary.contacts = await repo.upsertContacts(
    (file.contacts ?? []).map((c) => ({
      name: c.name,
      level: c.level,
      ...(c.phone && { phone: c.phone }),
      ...(c.email && { email: c.email.toLowerCase() }),
      ...(c.chatWebhook && { chatWebhook: c.chatWebhook }),
      ...(c.telegramChatId && { telegramChatId: String(c.telegramChatId) }),
      ...(c.whatsapp && { whatsapp: c.whatsapp }),
      ...(c.teamsWebhook && { teamsWebhook: c.teamsWebhook }),
      ...(c.timezone && { timezone: c.timezone.trim() }),
      buildings: (c.buildings ?? []).map(building),
      active: true,
    })),
  );
  stageDone('contacts', (file.contacts ?? []).length);
  return summary;
}

/**
 * How the file says a subscriber moved: a subscriber is known by its username across routers. A
 * file entry whose (router, username) is not in the database, while exactly one record of that
 * username (or of its `renamedFrom`) sits on a place the file no longer lists, is that record,
 * moved or renamed: it is relocated (not duplicated), and its old place is left behind for
 * provisioning to clean. Two such records: the file is ambiguous and nothing is loaded.
 * Returns the routers subscribers moved away from (they need a pass).
 */
async function moveSubscribers(file: TopologyFile, repo: TopologyFileRepository, router: (name: string) => { _id: Id; building: Id }): Promise<string[]> {
  const subs = file.subscribers ?? [];
  if (!subs.length) return [];
  const place = (r: unknown, u: string) => `${String(r)}/${u}`;
  const listed = new Set(subs.map((s) => place(router(s.router)._id, s.username)));
  const existing = await repo.subscribersByUsername(subs.flatMap((s) => [s.username, ...(s.renamedFrom ? [s.renamedFrom] : [])]));
  const present = new Set(existing.map((e) => place(e.router, e.username)));
  const problems: string[] = [];
  const moves: { before: (typeof existing)[number]; to: { router: Id; username: string; building: Id } }[] = [];
  for (const s of subs) {
    const to = router(s.router);
    if (present.has(place(to._id, s.username))) continue;
    const from = s.renamedFrom ?? s.username;
    const candidates = existing.filter((e) => e.username === from && !listed.has(place(e.router, e.username)));
    if (candidates.length > 1) problems.push(`subscriber ${s.username}: "${from}" is on several routers the file no longer lists it on; move it through the API`);
    else if (candidates.length === 1) moves.push({ before: candidates[0], to: { router: to._id, username: s.username, building: to.building } });
  }
  if (problems.length) throw new TopologyFileError(problems);
  const from: string[] = [];
  for (const m of moves) {
    // Station and building follow from the file in the upsert that comes next.
    const moved = await repo.relocateSubscriber(m.before, { router: m.to.router, username: m.to.username, station: null, building: m.to.building });
    if (!moved) throw new TopologyFileError([`subscriber ${m.to.username}: changed while loading; load the file again`]);
    from.push(String(m.before.router));
  }
  return from;
}
