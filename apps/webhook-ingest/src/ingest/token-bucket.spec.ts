import { TokenBuckets } from './token-bucket';

describe('TokenBuckets', () => {
  it('allows the burst, then the rate, per key', () => {
    let now = 0;
    const b = new TokenBuckets(2, 3, () => now);
    expect([b.take('a'), b.take('a'), b.take('a'), b.take('a')]).toEqual([true, true, true, false]);
    expect(b.take('b')).toBe(true); // keys are independent
    expect(b.retryAfterSeconds('a')).toBe(1);
    now += 500; // 2 per second: one token back
    expect([b.take('a'), b.take('a')]).toEqual([true, false]);
    now += 60_000; // never more than the burst
    expect([b.take('a'), b.take('a'), b.take('a'), b.take('a')]).toEqual([true, true, true, false]);
  });
});
