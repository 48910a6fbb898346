import { EnqueueBatcher } from './enqueue-batcher';

describe('EnqueueBatcher', () => {
  it('sends what arrives together as one batch and settles each caller with it', async () => {
    const batches: number[][] = [];
    const b = new EnqueueBatcher<number>(async (items) => batches.push(items), 5, 100);
    await Promise.all([b.add(1), b.add(2), b.add(3)]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('without a window, a batch is what arrived in one event-loop turn', async () => {
    const batches: number[][] = [];
    const b = new EnqueueBatcher<number>(async (items) => batches.push(items), 0, 100);
    await Promise.all([b.add(1), b.add(2)]);
    await b.add(3);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('flushes at the size limit without waiting (a limit of 1 is no batching)', async () => {
    const batches: number[][] = [];
    const b = new EnqueueBatcher<number>(async (items) => batches.push(items), 10_000, 2);
    await Promise.all([b.add(1), b.add(2)]);
    expect(batches).toEqual([[1, 2]]);
    const single = new EnqueueBatcher<number>(async (items) => batches.push(items), 0, 1);
    await Promise.all([single.add(3), single.add(4)]);
    expect(batches).toEqual([[1, 2], [3], [4]]);
  });

  it('rejects every caller of a failed batch (no one hears "stored")', async () => {
    const b = new EnqueueBatcher<number>(() => Promise.reject(new Error('redis down')), 1, 100);
    const results = await Promise.allSettled([b.add(1), b.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
