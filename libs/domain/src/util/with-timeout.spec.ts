import { withTimeout } from './with-timeout';

describe('withTimeout', () => {
  it('settles as the work does when it is in time', async () => {
    await expect(withTimeout(Promise.resolve(7), 1000)).resolves.toBe(7);
    await expect(withTimeout(Promise.reject(new Error('boom')), 1000)).rejects.toThrow('boom');
  });

  it('rejects with the default or the given error when the work is late', async () => {
    const never = new Promise<number>(() => undefined);
    await expect(withTimeout(never, 5)).rejects.toThrow('no answer within 5 ms');
    class Late extends Error {}
    await expect(withTimeout(never, 5, () => new Late('late'))).rejects.toBeInstanceOf(Late);
  });
});
