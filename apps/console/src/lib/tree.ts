import type { NodeState, TreeNode } from '../api/types';

export interface TreeRow {
  node: TreeNode;
  depth: number;
  /** ids from the root down to this node, itself included (the Live Check path). */
  path: string[];
}

/** The tree in display order (depth first), each row knowing its depth, for an indented list. */
export function flattenTree(roots: TreeNode[]): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (node: TreeNode, depth: number, path: string[]) => {
    const here = [...path, node.id];
    rows.push({ node, depth, path: here });
    for (const child of node.children) walk(child, depth + 1, here);
  };
  for (const r of roots) walk(r, 0, []);
  return rows;
}

/**
 * A node-state message from the feed applied to the tree: a new tree where only the nodes on the
 * way to the changed one are new objects (React re-renders just those). Unknown ids change nothing
 * and return the same tree.
 */
export function applyNodeState(roots: TreeNode[], id: string, state: NodeState, at?: string): TreeNode[] {
  let changed = false;
  const visit = (n: TreeNode): TreeNode => {
    if (n.id === id) {
      if (n.state === state) return n;
      changed = true;
      return { ...n, state, since: at ?? n.since };
    }
    let kids = n.children;
    const next = n.children.map(visit);
    if (next.some((c, i) => c !== n.children[i])) kids = next;
    return kids === n.children ? n : { ...n, children: kids };
  };
  const out = roots.map(visit);
  return changed ? out : roots;
}

/** How many nodes of the tree are in each state (the building's headline). */
export function countStates(roots: TreeNode[]): Partial<Record<NodeState, number>> {
  const out: Partial<Record<NodeState, number>> = {};
  for (const { node } of flattenTree(roots)) out[node.state] = (out[node.state] ?? 0) + 1;
  return out;
}
