// PendingFacts on a real Redis: a diagnosis batch whose job gave up for good (a database outage
// longer than its retries) leaves its facts behind; the router's next batch adopts them.
import { Redis } from 'ioredis';
import { testQueuePrefix, testRedisUrl } from '../../../test/support';
import type { DiagnosticsConfig } from '../src/config/diagnostics.config';
import { UpMarks } from '../src/incidents/up-marks.service';
import { PendingFacts } from '../src/monitoring/pending-facts';

const redis = new Redis(testRedisUrl());
const config = { QUEUE_PREFIX: testQueuePrefix('pending-facts') } as DiagnosticsConfig;
const ups = new UpMarks(redis, config);
const facts = new PendingFacts(redis, config, ups);
afterAll(() => redis.quit());

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const asObject = (m: Map<string, Date>) => Object.fromEntries([...m].map(([k, v]) => [k, v.getTime()]));

describe('PendingFacts', () => {
  it("a later batch adopts an abandoned batch's facts, keeping each node's earliest time; a live one keeps its own", async () => {
    await facts.add('r1', 'sec1', at(1));
    await facts.add('r1', 'st1', at(2));
    expect(asObject(await facts.take('r1', '10'))).toEqual({ sec1: at(1).getTime(), st1: at(2).getTime() });
    // Job 10 fails for good here: no done(). Job 11 holds other facts and is still retrying.
    await facts.add('r1', 'st2', at(3));
    expect(asObject(await facts.take('r1', '11'))).toEqual({ st2: at(3).getTime() });

    await facts.add('r1', 'sec1', at(5));
    const abandoned = async (id: string) => id === '10';
    const taken = await facts.take('r1', '12', abandoned);
    expect(asObject(taken)).toEqual({ sec1: at(1).getTime(), st1: at(2).getTime() });
    // Adopted once: a retry of 12 finds the same facts, and another batch finds nothing left of 10.
    expect(asObject(await facts.take('r1', '12', abandoned))).toEqual(asObject(taken));
    expect(asObject(await facts.take('r1', '13', abandoned))).toEqual({});
    // 11 is still its own (its retry finds its facts).
    expect(asObject(await facts.take('r1', '11', abandoned))).toEqual({ st2: at(3).getTime() });
  });

  it('done() forgets the batch: nothing is adopted from it', async () => {
    await facts.add('r2', 'sec1', at(1));
    await facts.take('r2', '20');
    await facts.done('r2', '20');
    expect(asObject(await facts.take('r2', '21', async () => true))).toEqual({});
  });
});

describe('UpMarks', () => {
  it('names the nodes seen UP after a time, in chunks however many are asked', async () => {
    const ids = Array.from({ length: 2500 }, (_, i) => `um-${i}`);
    await ups.mark('um-7', at(30));
    await ups.mark('um-2100', at(10));
    await ups.mark('um-2499', at(31));
    expect([...(await ups.upAfter(ids, at(20)))].sort()).toEqual([['um-2499', at(31)], ['um-7', at(30)]]);
    expect((await ups.read(['um-7', 'um-8'])).map((t) => t && new Date(t).toISOString())).toEqual([at(30).toISOString(), undefined]);
  });
});
