import { parentProblem, type ParentFacts } from './parent-rules';

const dev = (id: string, over: Partial<ParentFacts> = {}): ParentFacts => ({ id, router: 'r1', building: 'b1', deviceType: 'sector', parent: null, altParents: [], ...over });

describe('parentProblem', () => {
  // a <- b <- c (c's parent is b, b's parent is a)
  const tree: Record<string, string[]> = { a: [], b: ['a'], c: ['b'] };
  const up = async (id: string) => tree[id] ?? [];

  it('accepts a parent on the same router and building', async () => {
    expect(await parentProblem(dev('d'), dev('c'), up)).toBeNull();
  });

  it('refuses the device itself', async () => {
    expect(await parentProblem(dev('a'), dev('a'), up)).toMatch(/own parent/);
  });

  it('refuses a descendant (cycle)', async () => {
    expect(await parentProblem(dev('a'), dev('c'), up)).toMatch(/cycle/);
  });

  it('refuses a parent on another router', async () => {
    expect(await parentProblem(dev('d'), dev('c', { router: 'r2' }), up)).toMatch(/another router/);
  });

  it('refuses a parent in another building unless it is a backhaul', async () => {
    expect(await parentProblem(dev('d'), dev('c', { building: 'b2' }), up)).toMatch(/another building/);
    expect(await parentProblem(dev('d'), dev('c', { building: 'b2', deviceType: 'backhaul' }), up)).toBeNull();
  });

  it('finds cycles through alternate uplinks', async () => {
    const alt: Record<string, string[]> = { a: [], b: ['a'], c: ['x', 'b'], x: [] };
    expect(await parentProblem(dev('b'), dev('c'), async (id) => alt[id] ?? [])).toMatch(/cycle/);
  });
});
