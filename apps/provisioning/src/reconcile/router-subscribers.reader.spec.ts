import { Types } from 'mongoose';
import type { Subscriber, SubscriberRepository } from '@isp/data';
import { GATHER_MAX_MS, GATHER_MS, RouterSubscribersReader } from './router-subscribers.reader';

/** An in-memory stand-in for the one repository call the reader makes; each query can be held open. */
class Store {
  rows: Subscriber[] = [];
  queries: string[][] = [];
  private release: (() => void)[] = [];
  hold = false;

  findOfRouters(routers: string[]): Promise<Subscriber[]> {
    this.queries.push(routers.map(String).sort());
    // What the store holds when the query starts.
    const answer = this.rows.filter((u) => routers.includes(String(u.router)) || (u.leftBehind ?? []).some((e) => routers.includes(String(e.router))));
    if (!this.hold) return Promise.resolve(answer);
    return new Promise((resolve) => this.release.push(() => resolve(answer)));
  }

  releaseAll(): void {
    for (const r of this.release.splice(0)) r();
  }
}

const sub = (username: string, router: string, leftOn?: string) =>
  ({ _id: new Types.ObjectId(), username, router: new Types.ObjectId(router), leftBehind: leftOn ? [{ router: new Types.ObjectId(leftOn), username: `old-${username}`, since: new Date() }] : undefined }) as unknown as Subscriber;

const until = async (cond: () => boolean) => {
  for (const deadline = Date.now() + 5000; !cond(); ) {
    if (Date.now() > deadline) throw new Error('condition not met in 5 s');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('RouterSubscribersReader', () => {
  const [a, b, c] = [new Types.ObjectId(), new Types.ObjectId(), new Types.ObjectId()].map(String);
  let store: Store;
  let reader: RouterSubscribersReader;

  beforeEach(() => {
    store = new Store();
    store.rows = [sub('zed', a), sub('amy', a), sub('bob', b, a), sub('cat', c)];
    reader = new RouterSubscribersReader(store as unknown as SubscriberRepository);
  });

  it('answers passes that ask together with one query, each its own subscribers by username and those leaving it', async () => {
    const [ra, rb] = await Promise.all([reader.read(a), reader.read(b)]);
    expect(store.queries).toEqual([[a, b].sort()]);
    expect(ra.users.map((u) => u.username)).toEqual(['amy', 'zed']);
    expect(ra.leaving.map((u) => u.username)).toEqual(['bob']);
    expect(rb.users.map((u) => u.username)).toEqual(['bob']);
    expect(rb.leaving).toEqual([]);
  });

  // Timed with Jest's clock: on a loaded machine real timers would fire late and split the gathering.
  it('waits while passes keep asking (each within GATHER_MS of the last), then reads once for all', async () => {
    jest.useFakeTimers();
    try {
      const asked = [reader.read(a)];
      for (const id of [b, c]) {
        await jest.advanceTimersByTimeAsync(GATHER_MS - 1);
        expect(store.queries).toEqual([]);
        asked.push(reader.read(id));
      }
      await jest.advanceTimersByTimeAsync(GATHER_MS);
      expect(store.queries).toEqual([[a, b, c].sort()]);
      await Promise.all(asked);
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not wait past GATHER_MAX_MS for a trickle that never stops', async () => {
    jest.useFakeTimers();
    try {
      const asked: Promise<unknown>[] = [];
      let elapsed = 0;
      while (!store.queries.length && elapsed < 10 * GATHER_MAX_MS) {
        asked.push(reader.read(String(new Types.ObjectId())));
        await jest.advanceTimersByTimeAsync(GATHER_MS / 2);
        elapsed += GATHER_MS / 2;
      }
      expect(elapsed).toBe(GATHER_MAX_MS);
      expect(store.queries).toHaveLength(1);
      expect(store.queries[0]).toHaveLength(GATHER_MAX_MS / (GATHER_MS / 2));
      await Promise.all(asked);
    } finally {
      jest.useRealTimers();
    }
  });

  it('makes a pass that asks while a query runs wait for the next query, not take the running one', async () => {
    store.hold = true;
    const first = reader.read(a);
    await until(() => store.queries.length === 1);
    store.rows.push(sub('new', a));
    const second = reader.read(a);
    store.releaseAll();
    expect((await first).users.map((u) => u.username)).toEqual(['amy', 'zed']);
    await until(() => store.queries.length === 2);
    store.releaseAll();
    expect((await second).users.map((u) => u.username)).toEqual(['amy', 'new', 'zed']);
  });

  it('fails every pass of a query that failed, and answers the next ones', async () => {
    const failing = { findOfRouters: () => Promise.reject(new Error('store away')) };
    const r = new RouterSubscribersReader(failing as unknown as SubscriberRepository);
    await expect(Promise.all([r.read(a), r.read(b)])).rejects.toThrow('store away');
    await expect(reader.read(c)).resolves.toMatchObject({ users: [expect.objectContaining({ username: 'cat' })] });
  });
});
