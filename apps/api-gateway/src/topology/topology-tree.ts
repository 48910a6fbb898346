import type { NodeState } from '@isp/domain';

export interface TreeDeviceInput {
  id: string;
  name: string;
  deviceType: string;
  ipAddress: string;
  router: string;
  parent: string | null;
  altParents: string[];
  state: NodeState;
  since?: Date;
}

export interface SubscriberCounts {
  total: number;
  online: number;
  down: number;
  impacted: number;
  suspended: number;
}

export interface TreeNode {
  kind: 'router' | 'device';
  id: string;
  name: string;
  type: string;
  ipAddress?: string;
  state: NodeState;
  since?: Date;
  altParents?: string[];
  subscribers?: SubscriberCounts;
  children: TreeNode[];
}

/**
 * Nests devices under their parent (or their router when they have none). A device whose parent
 * is missing from the set (deleted, or in another building) hangs under its router, so nothing
 * disappears from the picture; a cycle (which the API refuses, but legacy data may hold) is cut.
 */
export function buildTree(routers: Omit<TreeNode, 'children' | 'kind'>[], devices: TreeDeviceInput[], counts: Map<string, SubscriberCounts>): TreeNode[] {
  const nodes = new Map<string, TreeNode>();
  for (const d of devices) {
    nodes.set(d.id, {
      kind: 'device',
      id: d.id,
      name: d.name,
      type: d.deviceType,
      ipAddress: d.ipAddress,
      state: d.state,
      since: d.since,
      altParents: d.altParents.length ? d.altParents : undefined,
      subscribers: counts.get(d.id),
      children: [],
    });
  }
  const roots = new Map<string, TreeNode>(routers.map((r) => [r.id, { ...r, kind: 'router', children: [] }]));
  const orphans: TreeNode = { kind: 'router', id: 'unknown', name: '(router outside this building)', type: 'external', state: 'UNKNOWN', children: [] };
  const parentOf = new Map(devices.map((d) => [d.id, d.parent && nodes.has(d.parent) ? d.parent : null]));
  const reachesSelf = (id: string) => {
    const seen = new Set<string>();
    for (let cur = parentOf.get(id); cur; cur = parentOf.get(cur)) {
      if (cur === id || seen.has(cur)) return true;
      seen.add(cur);
    }
    return false;
  };
  for (const d of devices) {
    const node = nodes.get(d.id)!;
    const parent = parentOf.get(d.id);
    if (parent && !reachesSelf(d.id)) nodes.get(parent)!.children.push(node);
    else (roots.get(d.router) ?? orphans).children.push(node);
  }
  const sort = (n: TreeNode) => {
    n.children.sort((a, b) => a.name.localeCompare(b.name));
    n.children.forEach(sort);
  };
  const out = [...roots.values()];
  if (orphans.children.length) out.push(orphans);
  out.forEach(sort);
  return out;
}
