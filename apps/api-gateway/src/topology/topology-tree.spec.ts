import { buildTree, type TreeDeviceInput } from './topology-tree';

const dev = (id: string, parent: string | null, router = 'r1'): TreeDeviceInput => ({ id, name: id, deviceType: 'sector', ipAddress: '10.0.0.1', router, parent, altParents: [], state: 'UP' });

describe('buildTree', () => {
  const routers = [{ id: 'r1', name: 'core', type: 'core', state: 'UP' as const }];

  it('nests devices under parents and routers', () => {
    const tree = buildTree(routers, [dev('a', null), dev('b', 'a'), dev('c', 'b')], new Map([['c', { total: 3, online: 2, down: 1, impacted: 0, suspended: 0 }]]));
    expect(tree).toHaveLength(1);
    expect(tree[0].children[0].id).toBe('a');
    expect(tree[0].children[0].children[0].children[0].subscribers?.total).toBe(3);
  });

  it('hangs devices with a missing parent under their router and cuts cycles', () => {
    const tree = buildTree(routers, [dev('a', 'gone'), dev('x', 'y'), dev('y', 'x')], new Map());
    expect(tree[0].children.map((n) => n.id).sort()).toEqual(['a', 'x', 'y']);
  });

  it('keeps devices of a router outside the building', () => {
    const tree = buildTree(routers, [dev('a', null, 'r2')], new Map());
    expect(tree[1].id).toBe('unknown');
  });
});
