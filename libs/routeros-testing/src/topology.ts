import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { issueWebhookToken } from '@isp/domain';

/** What a simulated router holds: the devices it probes and the subscribers behind them. */
export type SimDeviceType = 'sector' | 'backhaul' | 'station' | 'switch' | 'other';

export interface DeviceSpec {
  name: string;
  type: SimDeviceType;
  ip: string;
  /** the parent device's ip; absent when the router itself is the parent */
  parentIp?: string;
  /** redundant uplinks' ips: the device answers while any of its uplinks' paths is up */
  altParentIps?: string[];
  mac?: string;
  /** one-way hop latency added by this device (default 1 ms) */
  latencyMs?: number;
  lossPercent?: number;
  up?: boolean;
}

export interface SubscriberSpec {
  username: string;
  password: string;
  /** the station (Device ip) the subscriber hangs on */
  stationIp?: string;
  mac?: string;
  /** remote-address of the PPP secret */
  address?: string;
  profile?: string;
  /** start with an active PPP session (default true when the station is reachable) */
  online?: boolean;
}

export interface RouterSpec {
  /** 24 hex chars, the shape of a MongoDB ObjectId, so webhook tokens have the domain format */
  id: string;
  name: string;
  building?: { name: string; code: string };
  version?: string;
  user?: string;
  password?: string;
  port?: number;
  /** webhook token the demo registers for this router (generated when absent) */
  token?: string;
  devices?: DeviceSpec[];
  subscribers?: SubscriberSpec[];
}

export interface TopologySpec {
  routers: RouterSpec[];
}

export interface GenerateTopologyOptions {
  routers: number;
  version?: string;
  backhaulsPerRouter?: number;
  sectorsPerRouter?: number;
  stationsPerSector?: number;
  subscribersPerStation?: number;
}

export function routerObjectId(index: number): string {
  return `65${'0'.repeat(14)}${index.toString(16).padStart(8, '0')}`;
}

/** Buildings with one core router each: router -> backhauls -> sectors -> stations -> subscribers. */
export function generateTopology(o: GenerateTopologyOptions): TopologySpec {
  const backhauls = o.backhaulsPerRouter ?? 1;
  const sectors = o.sectorsPerRouter ?? 2;
  const stations = o.stationsPerSector ?? 2;
  const subs = o.subscribersPerStation ?? 2;
  const routers: RouterSpec[] = [];
  for (let r = 0; r < o.routers; r++) {
    const id = routerObjectId(r + 1);
    const devices: DeviceSpec[] = [];
    const subscribers: SubscriberSpec[] = [];
    const code = `B${r + 1}`;
    for (let b = 0; b < backhauls; b++) devices.push({ name: `${code}-BH${b + 1}`, type: 'backhaul', ip: `10.${r}.0.${b + 1}` });
    let n = 0;
    for (let s = 0; s < sectors; s++) {
      const sectorIp = `10.${r}.1.${s + 1}`;
      devices.push({ name: `${code}-SEC${s + 1}`, type: 'sector', ip: sectorIp, parentIp: backhauls ? `10.${r}.0.${(s % backhauls) + 1}` : undefined });
      for (let t = 0; t < stations; t++) {
        const stationIp = `10.${r}.${10 + s}.${t + 1}`;
        devices.push({ name: `${code}-SEC${s + 1}-ST${t + 1}`, type: 'station', ip: stationIp, parentIp: sectorIp });
        for (let u = 0; u < subs; u++) {
          n++;
          subscribers.push({
            username: `${code.toLowerCase()}-s${s + 1}t${t + 1}-${u + 1}`,
            password: `pw-${r}-${n}`,
            stationIp,
            mac: mac(r, n),
            address: `100.64.${r}.${n}`,
          });
        }
      }
    }
    routers.push({
      id,
      name: `${code}-CORE`,
      building: { name: `Building ${r + 1}`, code },
      version: o.version,
      token: issueWebhookToken(id).token,
      devices,
      subscribers,
    });
  }
  return { routers };
}

function mac(r: number, n: number): string {
  const b = [0x02, 0x15, r & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  return b.map((x) => x.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

/** A topology file: JSON or YAML with the TopologySpec shape. */
export function loadTopologyFile(path: string): TopologySpec {
  const text = readFileSync(path, 'utf8');
  const spec = (path.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as TopologySpec;
  if (!spec || !Array.isArray(spec.routers)) throw new Error(`${path}: expected { routers: [...] }`);
  spec.routers.forEach((r, i) => {
    r.id ??= routerObjectId(i + 1);
    r.name ??= `router-${i + 1}`;
    r.token ??= issueWebhookToken(r.id).token;
  });
  return spec;
}
