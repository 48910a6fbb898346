/**
 * The network as a graph, in memory: building -> core/edge routers -> devices (by parent, plus
 * redundant uplinks) -> stations -> subscribers. Pure data and queries; diagnostics builds it
 * from MongoDB and rebuilds it when the topology changes. Node ids are the documents' ObjectId
 * strings (unique across collections), so one map holds every kind.
 */
export type TopologyNodeKind = 'building' | 'router' | 'device' | 'subscriber';

export interface TopologyNode {
  id: string;
  kind: TopologyNodeKind;
  name: string;
  /** router role, device type, or "building"/"subscriber" */
  type: string;
  buildingId?: string;
  /** The router that probes this node (devices), that owns it (subscribers), or itself (routers). */
  routerId?: string;
  /** Address the owning router pings (devices; subscribers with a static or current address). */
  address?: string;
  /** Primary parent first, then redundant uplinks. Empty for buildings (and orphans). */
  parents: string[];
  children: string[];
}

export interface TopologyInput {
  buildings: { id: string; name: string }[];
  routers: { id: string; name: string; role: string; buildingId?: string | null }[];
  devices: { id: string; name: string; deviceType: string; ipAddress: string; routerId: string; parentId?: string | null; altParentIds?: string[]; buildingId?: string | null }[];
  subscribers: { id: string; username: string; routerId: string; stationId?: string | null; buildingId?: string | null; macAddress?: string | null; staticIp?: string | null; currentAddress?: string | null }[];
}

export class TopologyGraph {
  readonly nodes = new Map<string, TopologyNode>();
  private readonly byUsername = new Map<string, string>();
  private readonly byMac = new Map<string, string>();
  private readonly bySubscriberIp = new Map<string, string>();
  private readonly byDeviceIp = new Map<string, string>();
  private readonly belowCounts = new Map<string, number>();
  private readonly subscribersByRouter = new Map<string, number>();

  static build(input: TopologyInput): TopologyGraph {
    const g = new TopologyGraph();
    for (const b of input.buildings) g.add({ id: b.id, kind: 'building', name: b.name, type: 'building', buildingId: b.id, parents: [], children: [] });
    for (const r of input.routers) {
      g.add({ id: r.id, kind: 'router', name: r.name, type: r.role, buildingId: r.buildingId ?? undefined, routerId: r.id, parents: r.buildingId ? [r.buildingId] : [], children: [] });
    }
    for (const d of input.devices) {
      const primary = d.parentId ?? d.routerId;
      const parents = [primary, ...(d.altParentIds ?? []).filter((p) => p !== primary)];
      g.add({ id: d.id, kind: 'device', name: d.name, type: d.deviceType, buildingId: d.buildingId ?? undefined, routerId: d.routerId, address: d.ipAddress, parents, children: [] });
      g.byDeviceIp.set(`${d.routerId}|${d.ipAddress}`, d.id);
    }
    for (const s of input.subscribers) {
      const address = s.staticIp ?? s.currentAddress ?? undefined;
      g.add({ id: s.id, kind: 'subscriber', name: s.username, type: 'subscriber', buildingId: s.buildingId ?? undefined, routerId: s.routerId, address, parents: [s.stationId ?? s.routerId], children: [] });
      g.byUsername.set(`${s.routerId}|${s.username}`, s.id);
      g.subscribersByRouter.set(s.routerId, (g.subscribersByRouter.get(s.routerId) ?? 0) + 1);
      if (s.macAddress) g.byMac.set(`${s.routerId}|${s.macAddress.toUpperCase()}`, s.id);
      if (s.staticIp) g.bySubscriberIp.set(`${s.routerId}|${s.staticIp}`, s.id);
    }
    // Links last, and only to parents that exist: a dangling reference must not break the walk.
    for (const n of g.nodes.values()) {
      n.parents = n.parents.filter((p) => g.nodes.has(p) && p !== n.id);
      for (const p of n.parents) g.nodes.get(p)!.children.push(n.id);
    }
    return g;
  }

  private add(n: TopologyNode): void {
    this.nodes.set(n.id, n);
  }

  get(id: string): TopologyNode | undefined {
    return this.nodes.get(id);
  }

  get size(): number {
    return this.nodes.size;
  }

  /** How many subscribers the router serves (PPP and DHCP alike). */
  subscriberCount(routerId: string): number {
    return this.subscribersByRouter.get(routerId) ?? 0;
  }

  subscriberByUsername(routerId: string, username: string): string | undefined {
    return this.byUsername.get(`${routerId}|${username}`);
  }
  subscriberByMac(routerId: string, mac: string): string | undefined {
    return this.byMac.get(`${routerId}|${mac.toUpperCase()}`);
  }
  subscriberByIp(routerId: string, ip: string): string | undefined {
    return this.bySubscriberIp.get(`${routerId}|${ip}`);
  }
  deviceByIp(routerId: string, ip: string): string | undefined {
    return this.byDeviceIp.get(`${routerId}|${ip}`);
  }

  primaryParent(id: string): string | undefined {
    return this.nodes.get(id)?.parents[0];
  }

  /** Primary-parent chain from the node up to the top, nearest first (the node excluded). */
  ancestors(id: string): string[] {
    const out: string[] = [];
    const seen = new Set<string>([id]);
    for (let p = this.primaryParent(id); p && !seen.has(p); p = this.primaryParent(p)) {
      out.push(p);
      seen.add(p);
    }
    return out;
  }

  /** Top-down chain from the top to the node, inclusive. */
  pathFromTop(id: string): string[] {
    return [...this.ancestors(id).reverse(), id];
  }

  isAncestor(ancestor: string, of: string): boolean {
    return this.ancestors(of).includes(ancestor);
  }

  /** Every node below, through any uplink (primary or redundant). */
  descendants(id: string): string[] {
    const out: string[] = [];
    const seen = new Set<string>([id]);
    const stack = [...(this.nodes.get(id)?.children ?? [])];
    while (stack.length) {
      const c = stack.pop()!;
      if (seen.has(c)) continue;
      seen.add(c);
      out.push(c);
      stack.push(...this.nodes.get(c)!.children);
    }
    return out;
  }

  /** How many nodes are below (descendants' count), remembered: the graph does not change once built. */
  countBelow(id: string): number {
    let n = this.belowCounts.get(id);
    if (n === undefined) this.belowCounts.set(id, (n = this.descendants(id).length));
    return n;
  }

  /** Lowest common ancestor on primary chains (a node counts as its own ancestor). */
  lowestCommonAncestor(ids: string[]): string | undefined {
    if (!ids.length) return undefined;
    let common = this.pathFromTop(ids[0]);
    for (const id of ids.slice(1)) {
      const path = this.pathFromTop(id);
      let i = 0;
      while (i < common.length && i < path.length && common[i] === path[i]) i++;
      common = common.slice(0, i);
      if (!common.length) return undefined;
    }
    return common[common.length - 1];
  }

  /** Routers of a building with a given role. */
  routersOf(buildingId: string, role?: string): string[] {
    return (this.nodes.get(buildingId)?.children ?? []).filter((c) => {
      const n = this.nodes.get(c)!;
      return n.kind === 'router' && (!role || n.type === role);
    });
  }

  /** Every router, whatever its role (the heartbeat checks them all). */
  routerIds(): string[] {
    return [...this.nodes.values()].filter((n) => n.kind === 'router').map((n) => n.id);
  }

  coreRouters(): string[] {
    return [...this.nodes.values()].filter((n) => n.kind === 'router' && n.type === 'core').map((n) => n.id);
  }
}
