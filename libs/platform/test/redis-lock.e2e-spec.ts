import { Redis } from 'ioredis';
import { tryLock, tryLockMany, unlock, unlockMany } from '../src/module/redis-lock';
import { testQueuePrefix, testRedisUrl } from '../../../test/support';

describe('redis-lock (a real Redis)', () => {
  let redis: Redis;
  const prefix = testQueuePrefix('lock');
  const key = (n: string) => `${prefix}:lock:${n}`;

  beforeAll(() => {
    redis = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('tryLockMany takes the free keys in one round trip and leaves a held one to its holder', async () => {
    const held = await tryLock(redis, key('b'), 10_000);
    expect(held).toBeDefined();
    const tokens = await tryLockMany(redis, [key('a'), key('b'), key('c')], 10_000);
    expect(tokens[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(tokens[1]).toBeUndefined();
    expect(tokens[2]).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(tokens).size).toBe(3);
    expect(await redis.pttl(key('a'))).toBeGreaterThan(9_000);
    expect(await redis.get(key('b'))).toBe(held);

    // Released only where the token is still the holder's: a's, not b's (another holder's), and
    // c's after it changed hands is not touched either.
    await redis.set(key('c'), 'someone-else');
    await unlockMany(redis, [
      { key: key('a'), token: tokens[0]! },
      { key: key('b'), token: 'not-the-holder' },
      { key: key('c'), token: tokens[2]! },
    ]);
    expect(await redis.exists(key('a'))).toBe(0);
    expect(await redis.get(key('b'))).toBe(held);
    expect(await redis.get(key('c'))).toBe('someone-else');
    await unlock(redis, key('b'), held!);
    expect(await redis.exists(key('b'))).toBe(0);
  });

  it('nothing to take or release: an empty answer, no error', async () => {
    expect(await tryLockMany(redis, [], 1000)).toEqual([]);
    await expect(unlockMany(redis, [])).resolves.toBeUndefined();
  });
});
