import type { IncidentLevel } from '../model/incident.types';
import type { TopologyGraph, TopologyNode } from './topology-graph';

/** What a probe (or a fact) says about a node. UNKNOWN: the owning router could not be asked. */
export type ProbeState = 'UP' | 'DOWN' | 'UNKNOWN';

/**
 * Who hears about a root cause: 3 core router or building, 2 sector/backhaul (and other
 * infrastructure such as switches and edge routers), 1 station or subscriber.
 */
export function incidentLevel(node: Pick<TopologyNode, 'kind' | 'type'>): IncidentLevel {
  if (node.kind === 'building') return 3;
  if (node.kind === 'router') return node.type === 'core' ? 3 : 2;
  if (node.kind === 'subscriber') return 1;
  return node.type === 'station' ? 1 : 2;
}

/**
 * Everything a DOWN root takes with it. A node below is IMPACTED only when every uplink it has
 * is the root, IMPACTED, or known DOWN: a device with a redundant path that still works stays
 * out (fixpoint, because an uplink may itself sit inside the subtree).
 */
export function impactedBy(graph: TopologyGraph, root: string, knownDown: ReadonlySet<string> = new Set()): string[] {
  const below = graph.descendants(root);
  const impacted = new Set<string>();
  const gone = (p: string) => p === root || impacted.has(p) || knownDown.has(p);
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of below) {
      if (impacted.has(id)) continue;
      if (graph.get(id)!.parents.every(gone)) {
        impacted.add(id);
        changed = true;
      }
    }
  }
  return below.filter((id) => impacted.has(id));
}

export interface RootCauseChoice {
  root: string;
  /** Routers of the building counted as the outage (when the root is the building). */
  routers: string[];
}

/**
 * A core router that stopped answering is the root cause, unless every core router of its
 * building is down: then the building is (one Level 3 incident for the site, not one per router).
 * A building with a single core router keeps the router as root, which names the box to fix.
 */
export function rootForRouterFailure(graph: TopologyGraph, routerId: string, downRouters: ReadonlySet<string>): RootCauseChoice {
  const router = graph.get(routerId);
  const buildingId = router?.parents[0];
  if (!router || !buildingId) return { root: routerId, routers: [routerId] };
  const cores = graph.routersOf(buildingId, 'core');
  if (cores.length >= 2 && cores.every((c) => c === routerId || downRouters.has(c))) return { root: buildingId, routers: cores };
  return { root: routerId, routers: [routerId] };
}

/** Subscribers, devices and routers among a set of node ids; `stations` (customer CPEs) are counted among devices too. */
export function countByKind(graph: TopologyGraph, ids: Iterable<string>): { devices: number; subscribers: number; routers: number; stations: number } {
  let devices = 0;
  let subscribers = 0;
  let routers = 0;
  let stations = 0;
  for (const id of ids) {
    const n = graph.get(id);
    if (n?.kind === 'device') {
      devices++;
      if (n.type === 'station') stations++;
    } else if (n?.kind === 'subscriber') subscribers++;
    else if (n?.kind === 'router') routers++;
  }
  return { devices, subscribers, routers, stations };
}

/**
 * The nodes a node's recovery proves up: itself and every node that all its paths to the top pass
 * through (its dominators). Over primary parents alone, a station back over a redundant uplink
 * would "prove" the failed primary backhaul up and resolve its incident; here a node with two
 * uplinks proves neither of them, only what both paths share above.
 */
export function provenUpBy(graph: TopologyGraph, id: string): Set<string> {
  const memo = new Map<string, Set<string>>();
  const dom = (n: string, seen: ReadonlySet<string>): Set<string> => {
    const cached = memo.get(n);
    if (cached) return cached;
    const parents = (graph.get(n)?.parents ?? []).filter((p) => !seen.has(p));
    const next = new Set([...seen, n]);
    let shared: Set<string> | undefined;
    for (const p of parents) {
      const d = dom(p, next);
      shared = shared ? new Set([...shared].filter((x) => d.has(x))) : new Set(d);
    }
    const out = new Set([n, ...(shared ?? [])]);
    memo.set(n, out);
    return out;
  };
  return dom(id, new Set());
}

/** Incident type of an uplink down while every node below it keeps another path: "redundancy lost". */
export const REDUNDANCY_LOST = 'redundancy-lost';

/**
 * A DOWN root that others hang on, none of them cut off (each still has a working uplink): the
 * network lost its redundancy, not its service. Level 2, normal priority, 0 impacted; an outage
 * only once all uplinks of something below have failed.
 */
export function isRedundancyLost(graph: TopologyGraph, root: string, impacted: readonly string[]): boolean {
  const n = graph.get(root);
  return !!n && n.kind !== 'subscriber' && n.kind !== 'building' && n.children.length > 0 && impacted.length === 0;
}

/**
 * Nodes cut off only because several uplinks are down at once appear in the impacted set of each
 * of those roots. Each is counted once, for the root that turned it into an outage: a root with
 * no incident open yet (the uplink that failed last), else the first finding. The others keep what
 * they cut off alone (an uplink already reported as "redundancy lost" stays that).
 */
export function shareJointOutage<F extends { root: string; impacted: string[] }>(findings: readonly F[], openRoots: ReadonlySet<string>): F[] {
  const order = [...findings].sort((a, b) => Number(openRoots.has(a.root)) - Number(openRoots.has(b.root)));
  const taken = new Set<string>();
  const kept = new Map<F, string[]>();
  for (const f of order) {
    kept.set(f, f.impacted.filter((id) => !taken.has(id)));
    for (const id of f.impacted) taken.add(id);
  }
  return findings.map((f) => ({ ...f, impacted: kept.get(f)! }));
}

/** Every node above `id` over any uplink, primary or alternate. */
function allAbove(graph: TopologyGraph, id: string): Set<string> {
  const out = new Set<string>();
  const todo = [...(graph.get(id)?.parents ?? [])];
  while (todo.length) {
    const p = todo.pop()!;
    if (out.has(p)) continue;
    out.add(p);
    todo.push(...(graph.get(p)?.parents ?? []));
  }
  return out;
}

/**
 * The same rule across batches: a node cut off by `root` together with another uplink whose
 * outage is already open (found by an earlier batch) is counted for that outage, not again for
 * `root`. Without it a late DOWN behind both (a session comparison read before the outage marked
 * it) walks to the primary and grows its "redundancy lost" notice into a second outage for the
 * same subscribers. Outages nested with `root` (above it or below it on any path) are one
 * outage's parts, not joint ones: they take nothing away.
 */
export function withoutJointlyOwned(graph: TopologyGraph, root: string, impacted: readonly string[], openOutageRoots: ReadonlySet<string>): string[] {
  const aboveRoot = allAbove(graph, root);
  const joint = [...openOutageRoots].filter((o) => o !== root && !aboveRoot.has(o) && !allAbove(graph, o).has(root));
  if (!joint.length) return [...impacted];
  return impacted.filter((id) => {
    const above = allAbove(graph, id);
    return !joint.some((o) => above.has(o));
  });
}
