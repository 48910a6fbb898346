import type { RootCauseKind } from '@isp/domain';
import type { DeviceRepository } from '../device/device.repository';
import type { MikrotikRouterRepository } from '../router/mikrotik-router.repository';
import type { SubscriberRepository } from '../subscriber/subscriber.repository';

type Kind = RootCauseKind | 'device-or-router';

/**
 * The uplinks above nodes, read from the database as TopologyGraph links them (subscriber ->
 * station or router; device -> parent or router, then its redundant uplinks; router -> building),
 * for the maintenance rules in apps that do not hold the topology in memory. A few reads per node
 * walked; what one instance read is kept, so a building's subscribers share their stations'.
 */
export class TopologyUplinks {
  private readonly parents = new Map<string, string[]>();

  constructor(private readonly repos: { devices: DeviceRepository; routers: MikrotikRouterRepository; subscribers: SubscriberRepository }) {}

  /** Reads every uplink above the node (ids are ObjectIds, unique across collections). */
  async load(kind: RootCauseKind, id: string): Promise<void> {
    const queue: { kind: Kind; id: string }[] = [{ kind, id }];
    while (queue.length) {
      const n = queue.shift()!;
      if (this.parents.has(n.id)) continue;
      const ups = await this.read(n.kind, n.id);
      this.parents.set(n.id, ups.map((u) => u.id));
      queue.push(...ups);
    }
  }

  /** The uplinks of a loaded node, primary first (none for a node not loaded). */
  readonly parentsOf = (id: string): string[] => this.parents.get(id) ?? [];

  private async read(kind: Kind, id: string): Promise<{ kind: Kind; id: string }[]> {
    if (kind === 'building') return [];
    if (kind === 'subscriber') {
      const s = await this.repos.subscribers.findById(id);
      if (!s) return [];
      return [s.station ? { kind: 'device', id: String(s.station) } : { kind: 'router', id: String(s.router) }];
    }
    if (kind === 'device' || kind === 'device-or-router') {
      const d = await this.repos.devices.findById(id);
      if (d) {
        const primary = d.parent ? String(d.parent) : String(d.router);
        const alts = (d.altParents ?? []).map(String).filter((p) => p !== primary && p !== id);
        // A parent may be a device or the router itself.
        return [primary, ...alts].map((p) => ({ kind: 'device-or-router' as const, id: p }));
      }
      if (kind === 'device') return [];
    }
    const r = await this.repos.routers.findById(id);
    return r?.building ? [{ kind: 'building', id: String(r.building) }] : [];
  }
}
