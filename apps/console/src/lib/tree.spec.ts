import type { TreeNode } from '../api/types';
import { applyNodeState, countStates, flattenTree } from './tree';

const node = (id: string, state: TreeNode['state'], children: TreeNode[] = [], kind: TreeNode['kind'] = 'device'): TreeNode => ({ kind, id, name: id, type: 'x', state, children });

const tree = (): TreeNode[] => [node('core', 'UP', [node('sector-a', 'UP', [node('station-a1', 'UP')]), node('sector-b', 'DOWN', [node('station-b1', 'IMPACTED')])], 'router')];

describe('topology tree', () => {
  it('flattens depth first with depths and root-to-node paths', () => {
    const rows = flattenTree(tree());
    expect(rows.map((r) => `${'-'.repeat(r.depth)}${r.node.id}`)).toEqual(['core', '-sector-a', '--station-a1', '-sector-b', '--station-b1']);
    expect(rows[4].path).toEqual(['core', 'sector-b', 'station-b1']);
    expect(flattenTree([])).toEqual([]);
  });

  it('applies a node-state change, copying only the nodes on the way to it', () => {
    const before = tree();
    const after = applyNodeState(before, 'sector-b', 'UP', '2026-12-02T12:00:00Z');
    expect(after).not.toBe(before);
    expect(after[0].children[1]).toMatchObject({ id: 'sector-b', state: 'UP', since: '2026-12-02T12:00:00Z' });
    expect(after[0].children[0]).toBe(before[0].children[0]);
    expect(after[0].children[1].children[0]).toBe(before[0].children[1].children[0]);
    expect(before[0].children[1].state).toBe('DOWN');
  });

  it('returns the same tree for an unknown id or an unchanged state', () => {
    const before = tree();
    expect(applyNodeState(before, 'nope', 'DOWN')).toBe(before);
    expect(applyNodeState(before, 'sector-b', 'DOWN')).toBe(before);
  });

  it('counts nodes per state', () => {
    expect(countStates(tree())).toEqual({ UP: 3, DOWN: 1, IMPACTED: 1 });
  });
});
