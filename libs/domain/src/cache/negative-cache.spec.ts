import { NegativeCache } from './negative-cache';

describe('NegativeCache', () => {
  it('remembers a key until it expires', () => {
    let now = 1000;
    const cache = new NegativeCache(500, 10, () => now);
    cache.add('a');
    expect(cache.has('a')).toBe(true);
    expect(cache.has('b')).toBe(false);
    now += 499;
    expect(cache.has('a')).toBe(true);
    now += 1;
    expect(cache.has('a')).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('stays within its bound, dropping the oldest key first', () => {
    const cache = new NegativeCache(60_000, 3);
    for (const k of ['a', 'b', 'c', 'd']) cache.add(k);
    expect(cache.size).toBe(3);
    expect(['a', 'b', 'c', 'd'].map((k) => cache.has(k))).toEqual([false, true, true, true]);
    cache.add('b'); // re-adding refreshes: b is now the newest
    cache.add('e');
    expect(['b', 'c', 'd', 'e'].map((k) => cache.has(k))).toEqual([true, false, true, true]);
  });
});
