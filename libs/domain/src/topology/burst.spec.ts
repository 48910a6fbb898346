import { burstCheckDue, findBurst } from './burst';
import { sampleNetwork, subscribersUnder } from './topology.fixtures';

// R1 -> BH1 -> BH2 -> SEC-A and R1 -> SEC-B; 4 stations per sector, 20 subscribers per station.
const g = sampleNetwork({ stations: 4, subs: 20 });
const policy = { minNodes: 10, minFraction: 0.1 };

describe('findBurst: does a held set of DOWN facts count as a burst under one parent?', () => {
  it('a lone subscriber, or a few under a small station, keep the hold-down', () => {
    expect(findBurst(g, ['SEC-A-ST0-U0'], policy)).toBeUndefined();
    expect(findBurst(g, subscribersUnder(g, 'SEC-A-ST0').slice(0, 9), policy)).toBeUndefined();
  });

  it('enough of a station ending together is a burst under that station', () => {
    expect(findBurst(g, subscribersUnder(g, 'SEC-A-ST0').slice(0, 10), policy)).toEqual({ parent: 'SEC-A-ST0', held: 10, below: 20 });
  });

  it('spread over the stations of a sector, it is a burst under the sector (the common parent)', () => {
    const held = ['SEC-A-ST0', 'SEC-A-ST1', 'SEC-A-ST2', 'SEC-A-ST3'].flatMap((st) => subscribersUnder(g, st).slice(0, 3));
    // 12 of the 84 nodes below SEC-A; each station holds 3 only.
    expect(findBurst(g, held, policy)).toEqual({ parent: 'SEC-A', held: 12, below: 84 });
    // BH2 and BH1 hold the same 12 over more nodes: the smallest parent is named.
    expect(findBurst(g, held, policy)?.parent).toBe('SEC-A');
  });

  it('as many drops scattered thinly over a big subtree are churn, not a burst', () => {
    const big = sampleNetwork({ stations: 20, subs: 50 });
    const held = Array.from({ length: 20 }, (_, i) => `SEC-A-ST${i}-U0`);
    // 20 held under SEC-A, of 1,020 nodes: 2 %.
    expect(findBurst(big, held, policy)).toBeUndefined();
    expect(findBurst(big, held, { minNodes: 10, minFraction: 0.01 })?.parent).toBe('SEC-A');
  });

  it('subscribers directly under the router never make a burst: the router that posted them is alive', () => {
    const users = Array.from({ length: 30 }, (_, i) => ({ id: `D${i}`, username: `d${i}`, routerId: 'R1', buildingId: 'B1' }));
    const direct = sampleNetwork({ extra: { subscribers: users } });
    expect(findBurst(direct, users.map((u) => u.id), policy)).toBeUndefined();
  });

  it('held devices count below their parents; unknown ids and repeats are ignored; minNodes 0 turns it off', () => {
    const stations = ['SEC-B-ST0', 'SEC-B-ST1', 'SEC-B-ST2', 'SEC-B-ST3'];
    const held = [...stations, ...subscribersUnder(g, 'SEC-B-ST0').slice(0, 6), 'nope', 'SEC-B-ST0'];
    expect(findBurst(g, held, policy)).toEqual({ parent: 'SEC-B', held: 10, below: 84 });
    expect(findBurst(g, held, { ...policy, minNodes: 0 })).toBeUndefined();
  });
});

describe('burstCheckDue', () => {
  it('below the minimum: never; up to twice the minimum: at every size', () => {
    expect(burstCheckDue(9, 10)).toBe(false);
    for (let n = 10; n < 20; n++) expect(burstCheckDue(n, 10)).toBe(true);
    expect(burstCheckDue(50, 0)).toBe(false);
  });

  it('beyond it: at every 5% of growth, so a 5,000-node outage is checked under two hundred times, not 5,000', () => {
    const due = Array.from({ length: 5000 }, (_, i) => i + 1).filter((n) => burstCheckDue(n, 10));
    expect(due.length).toBeLessThan(200);
    // no gap wider than 5% of the size it ends at (or one)
    for (let i = 1; i < due.length; i++) expect(due[i]! - due[i - 1]!).toBeLessThanOrEqual(Math.max(1, due[i]! / 20));
  });
});
