import type { DeviceSpec, SimDeviceType } from './topology';

/**
 * The devices behind a router (backhauls, sectors, stations) as a tree by parent IP: who answers
 * a ping, with what latency and loss. The router's own address answers while the router is up.
 */

export interface SimDevice {
  name: string;
  type: SimDeviceType;
  ip: string;
  parentIp?: string;
  altParentIps?: string[];
  mac?: string;
  up: boolean;
  latencyMs: number;
  lossPercent: number;
}

export class NetworkModel {
  private readonly devices = new Map<string, SimDevice>();
  /** false while the router is down or rebooting: nothing is forwarded, nothing answers */
  forwarding = true;
  /** the router's own address answers (false while it is switched off by a fault) */
  routerUp = true;

  constructor(private readonly routerHost: string) {}

  addDevice(d: DeviceSpec): void {
    this.devices.set(d.ip, { name: d.name, type: d.type, ip: d.ip, parentIp: d.parentIp, ...(d.altParentIps?.length && { altParentIps: [...d.altParentIps] }), mac: d.mac, up: d.up ?? true, latencyMs: d.latencyMs ?? 1, lossPercent: d.lossPercent ?? 0 });
  }

  /** A host answers if it and every device above it, up to the router, are up (over any of its uplinks). */
  /**
   * Addresses that are not devices but hang off one: a PPP session's address behind its station
   * (Live Check pings a subscriber there). The lookup says which device it is reached through
   * (none: straight off the router), or undefined for an address nobody holds.
   */
  private hosts?: (ip: string) => { via?: string } | undefined;

  attachHosts(lookup: (ip: string) => { via?: string } | undefined): void {
    this.hosts = lookup;
  }

  isReachable(ip: string): boolean {
    if (ip === this.routerHost || ip === '127.0.0.1') return this.routerUp && this.forwarding;
    if (!this.forwarding) return false;
    if (!this.devices.has(ip)) {
      const host = this.hosts?.(ip);
      if (host) return !host.via || this.reachable(host.via, new Set());
    }
    return this.reachable(ip, new Set());
  }

  private reachable(ip: string, seen: Set<string>): boolean {
    const d = this.devices.get(ip);
    if (!d || !d.up || seen.has(d.ip)) return false; // unknown address, a missing parent, or a loop
    if (!d.parentIp) return true;
    const next = new Set(seen).add(d.ip);
    return [d.parentIp, ...(d.altParentIps ?? [])].some((p) => this.reachable(p, next));
  }

  /** Throws for an unknown device (a test addressing the wrong IP should fail loudly). */
  device(ip: string): SimDevice {
    const d = this.devices.get(ip);
    if (!d) throw new Error(`no device ${ip}`);
    return d;
  }

  setLatency(ip: string, ms: number): void {
    const d = this.devices.get(ip);
    if (d) d.latencyMs = ms;
  }

  setLoss(ip: string, percent: number): void {
    const d = this.devices.get(ip);
    if (d) d.lossPercent = percent;
  }

  list(): SimDevice[] {
    return [...this.devices.values()].map((d) => ({ ...d }));
  }

  /** Round trip: twice the one-way latencies of the devices on the path. */
  latencyAlongPath(ip: string): number {
    const path = this.pathTo(ip);
    return path.length ? path.reduce((s, d) => s + d.latencyMs, 0) * 2 : 0.05;
  }

  lossAlongPath(ip: string): number {
    const keep = this.pathTo(ip).reduce((k, d) => k * (1 - d.lossPercent / 100), 1);
    return (1 - keep) * 100;
  }

  private pathTo(ip: string): SimDevice[] {
    const out: SimDevice[] = [];
    let d = this.devices.get(ip) ?? (this.hosts?.(ip)?.via ? this.devices.get(this.hosts(ip)!.via!) : undefined);
    while (d && out.length < 64) {
      out.push(d);
      d = d.parentIp ? this.devices.get(d.parentIp) : undefined;
    }
    return out;
  }
}
