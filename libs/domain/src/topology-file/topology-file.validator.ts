import { isIP } from 'node:net';
import { DEVICE_TYPES, ROUTER_ROLES, SERVICE_TYPES } from '../model/network.types';
import { hasControlChars } from '../model/script-safe-name';
import { isTimeZone } from '../model/time-zone';
import type { TopologyFile } from './topology-file.types';

export class TopologyFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`Topology file rejected:\n  - ${problems.join('\n  - ')}`);
    this.name = 'TopologyFileError';
  }
}

const MAC_RE = /^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/;

/**
 * Checks every record and every reference before anything is written, so a bad file changes
 * nothing. Each problem names the record ("devices[3] (sector-1)") and the field.
 */
export function validateTopologyFile(input: unknown): TopologyFile {
  const problems: string[] = [];
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new TopologyFileError(['the file must be a mapping with buildings/routers/devices/subscribers/contacts']);
  const file = input as TopologyFile;
  const sections = ['buildings', 'routers', 'devices', 'subscribers', 'contacts'] as const;
  for (const s of sections) {
    const v = (file as Record<string, unknown>)[s];
    if (v !== undefined && !Array.isArray(v)) problems.push(`${s}: must be a list`);
  }
  for (const k of Object.keys(file)) if (!(sections as readonly string[]).includes(k)) problems.push(`unknown section "${k}"`);
  if (problems.length) throw new TopologyFileError(problems);

  const str = (v: unknown) => typeof v === 'string' && v.trim().length > 0;
  // Names that reach a router's scripts come back in its webhooks: no control characters.
  const clean = (at: string, field: string, v: unknown) => {
    if (hasControlChars(v)) problems.push(`${at}: ${field} must not contain control characters (tab, newline...)`);
  };
  const label = (section: string, i: number, key: unknown) => `${section}[${i}]${typeof key === 'string' ? ` (${key})` : ''}`;

  const buildingCodes = new Set<string>();
  (file.buildings ?? []).forEach((b, i) => {
    const at = label('buildings', i, b?.code);
    if (!str(b?.code)) problems.push(`${at}: code is required`);
    if (!str(b?.name)) problems.push(`${at}: name is required`);
    clean(at, 'name', b?.name);
    const code = String(b?.code ?? '').trim().toUpperCase();
    if (buildingCodes.has(code)) problems.push(`${at}: duplicate code "${code}"`);
    buildingCodes.add(code);
  });
  const hasBuilding = (code: unknown) => typeof code === 'string' && buildingCodes.has(code.trim().toUpperCase());

  const routers = new Set<string>();
  (file.routers ?? []).forEach((r, i) => {
    const at = label('routers', i, r?.name);
    if (!str(r?.name)) problems.push(`${at}: name is required`);
    clean(at, 'name', r?.name);
    if (routers.has(r?.name)) problems.push(`${at}: duplicate router name`);
    routers.add(r?.name);
    if (!str(r?.host)) problems.push(`${at}: host is required`);
    if (!str(r?.apiUser)) problems.push(`${at}: apiUser is required`);
    if (typeof r?.apiPassword !== 'string') problems.push(`${at}: apiPassword is required`);
    if (!hasBuilding(r?.building)) problems.push(`${at}: building "${r?.building}" is not in buildings`);
    if (r?.role !== undefined && !ROUTER_ROLES.includes(r.role)) problems.push(`${at}: role must be one of ${ROUTER_ROLES.join(', ')}`);
    if (r?.apiPort !== undefined && !(Number.isInteger(r.apiPort) && r.apiPort > 0 && r.apiPort < 65536)) problems.push(`${at}: apiPort must be a port number`);
  });

  const devicesByRouter = new Map<string, Map<string, { parent?: string; altParents?: string[] }>>();
  (file.devices ?? []).forEach((d, i) => {
    const at = label('devices', i, d?.name);
    if (!str(d?.name)) problems.push(`${at}: name is required`);
    clean(at, 'name', d?.name);
    if (!routers.has(d?.router)) problems.push(`${at}: router "${d?.router}" is not in routers`);
    if (!DEVICE_TYPES.includes(d?.type)) problems.push(`${at}: type must be one of ${DEVICE_TYPES.join(', ')}`);
    if (!(typeof d?.ip === 'string' && isIP(d.ip) === 4)) problems.push(`${at}: ip must be an IPv4 address`);
    if (d?.mac !== undefined && !MAC_RE.test(String(d.mac))) problems.push(`${at}: mac "${d.mac}" is not a MAC address`);
    if (d?.building !== undefined && !hasBuilding(d.building)) problems.push(`${at}: building "${d.building}" is not in buildings`);
    const byName = devicesByRouter.get(d?.router) ?? new Map();
    if (byName.has(d?.name)) problems.push(`${at}: duplicate device name on router "${d?.router}"`);
    byName.set(d?.name, { parent: d?.parent, altParents: d?.altParents });
    devicesByRouter.set(d?.router, byName);
  });
  // Parents must exist on the same router and the tree must have no cycle.
  for (const [router, byName] of devicesByRouter) {
    for (const [name, d] of byName) {
      for (const p of [d.parent, ...(d.altParents ?? [])].filter((x): x is string => x !== undefined)) {
        if (!byName.has(p)) problems.push(`devices (${name}): parent "${p}" is not a device of router "${router}"`);
      }
      const seen = new Set<string>([name]);
      let cur = d.parent;
      while (cur && byName.has(cur)) {
        if (seen.has(cur)) {
          problems.push(`devices (${name}): parent chain has a cycle through "${cur}"`);
          break;
        }
        seen.add(cur);
        cur = byName.get(cur)!.parent;
      }
    }
  }

  const subs = new Set<string>();
  (file.subscribers ?? []).forEach((s, i) => {
    const at = label('subscribers', i, s?.username);
    if (!str(s?.username)) problems.push(`${at}: username is required`);
    clean(at, 'username', s?.username);
    if (!routers.has(s?.router)) problems.push(`${at}: router "${s?.router}" is not in routers`);
    const key = `${s?.router}/${s?.username}`;
    if (subs.has(key)) problems.push(`${at}: duplicate username on router "${s?.router}"`);
    subs.add(key);
    if (s?.station !== undefined && !devicesByRouter.get(s.router)?.has(s.station)) problems.push(`${at}: station "${s.station}" is not a device of router "${s.router}"`);
    if (s?.serviceType !== undefined && !SERVICE_TYPES.includes(s.serviceType)) problems.push(`${at}: serviceType must be one of ${SERVICE_TYPES.join(', ')}`);
    if (s?.staticIp !== undefined && isIP(String(s.staticIp)) !== 4) problems.push(`${at}: staticIp must be an IPv4 address`);
    if (s?.macAddress !== undefined && !MAC_RE.test(String(s.macAddress))) problems.push(`${at}: macAddress "${s.macAddress}" is not a MAC address`);
    if (s?.plan !== undefined && !str(s.plan)) problems.push(`${at}: plan must be a plan's name`);
    if (s?.renamedFrom !== undefined && (!str(s.renamedFrom) || s.renamedFrom === s.username)) problems.push(`${at}: renamedFrom must be the subscriber's previous username`);
  });

  (file.contacts ?? []).forEach((c, i) => {
    const at = label('contacts', i, c?.name);
    if (!str(c?.name)) problems.push(`${at}: name is required`);
    clean(at, 'name', c?.name);
    if (![1, 2, 3].includes(c?.level)) problems.push(`${at}: level must be 1, 2 or 3`);
    for (const b of c?.buildings ?? []) if (!hasBuilding(b)) problems.push(`${at}: building "${b}" is not in buildings`);
    if (c?.whatsapp !== undefined && !/^\+[1-9][0-9]{6,14}$/.test(String(c.whatsapp))) problems.push(`${at}: whatsapp must be an E.164 number starting with +`);
    if (c?.telegramChatId !== undefined && !/^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/.test(String(c.telegramChatId))) problems.push(`${at}: telegramChatId must be a numeric chat id or an @channelusername`);
    if (c?.teamsWebhook !== undefined && !/^https?:\/\/\S+$/.test(String(c.teamsWebhook))) problems.push(`${at}: teamsWebhook must be an http(s) URL`);
    // An unknown zone would silently read as UTC and put every time in the contact's pages off by hours.
    if (c?.timezone !== undefined && !isTimeZone(c.timezone)) problems.push(`${at}: timezone "${String(c.timezone)}" is not an IANA time zone (e.g. "Africa/Nairobi")`);
  });

  if (problems.length) throw new TopologyFileError(problems);
  return file;
}
