import { heardDuringCheck, heartbeatBatches, judgeRouterSilence } from './router-silence';

const base = { failingSince: 100_000, aliveWindowMs: 120_000, confirmMs: 60_000, graceMs: 2_000 };

describe('a router whose API does not answer', () => {
  it('keeps posting webhooks after the API stopped answering: monitoring degraded, not down', () => {
    expect(judgeRouterSilence({ ...base, now: 130_000, lastEventAt: 125_000 })).toBe('degraded');
    // received just before the failure was noticed (ingest and queue delay): still after it
    expect(judgeRouterSilence({ ...base, now: 101_000, lastEventAt: 99_000 })).toBe('degraded');
  });

  it('was busy just before the failure and nothing came since: wait for evidence, then down', () => {
    expect(judgeRouterSilence({ ...base, now: 100_000, lastEventAt: 80_000 })).toBe('wait');
    expect(judgeRouterSilence({ ...base, now: 159_999, lastEventAt: 80_000 })).toBe('wait');
    expect(judgeRouterSilence({ ...base, now: 160_000, lastEventAt: 80_000 })).toBe('down');
  });

  it('was quiet anyway (or never heard from): down at once, nothing to wait for', () => {
    expect(judgeRouterSilence({ ...base, now: 100_000 })).toBe('down');
    expect(judgeRouterSilence({ ...base, now: 100_000, lastEventAt: 100_000 - 120_001 })).toBe('down');
  });
});

describe('a down verdict overtaken by the router\'s own events', () => {
  const check = { began: 200_000, graceMs: 2_000 };

  it('an event received during the check and applied after the verdict read: heard, look again', () => {
    expect(heardDuringCheck({ ...check, judgedEventAt: 150_000, lastEventAt: 203_000 })).toBe(true);
    expect(heardDuringCheck({ ...check, lastEventAt: 203_000 })).toBe(true);
    // received just before the check began, applied after the verdict (ingest and queue delay)
    expect(heardDuringCheck({ ...check, judgedEventAt: 150_000, lastEventAt: 198_500 })).toBe(true);
  });

  it('nothing new since the verdict, or only an old event applied late: the verdict stands', () => {
    expect(heardDuringCheck({ ...check, judgedEventAt: 199_000, lastEventAt: 199_000 })).toBe(false);
    expect(heardDuringCheck({ ...check })).toBe(false);
    expect(heardDuringCheck({ ...check, judgedEventAt: 150_000, lastEventAt: 170_000 })).toBe(false);
  });

  it('its API answered another check (or the recheck) after this one began: the verdict is out of date', () => {
    expect(heardDuringCheck({ ...check, answeredAt: 200_500 })).toBe(true);
    expect(heardDuringCheck({ ...check, judgedEventAt: 150_000, lastEventAt: 150_000, answeredAt: 200_000 })).toBe(true);
    // an answer from before this check began is what this check's failure overrides
    expect(heardDuringCheck({ ...check, answeredAt: 199_000 })).toBe(false);
  });
});

describe('heartbeat batches', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `r${i}`);

  it('5,000 routers over 48 s: about a job a second, every router once, in order', () => {
    const jobs = heartbeatBatches(ids(5000), 48_000, 250);
    expect(jobs[0].routerIds).toHaveLength(105);
    expect(jobs).toHaveLength(48);
    expect(jobs.flatMap((j) => j.routerIds)).toEqual(ids(5000));
    expect(jobs[0].delayMs).toBe(0);
    expect(jobs[47].delayMs).toBe(47_000);
    expect(jobs.every((j, i) => i === 0 || j.delayMs > jobs[i - 1].delayMs)).toBe(true);
  });

  it('a few routers: one a job, spread as before; many: capped at the most a job may check', () => {
    expect(heartbeatBatches(ids(3), 48_000, 250)).toEqual([
      { routerIds: ['r0'], delayMs: 0 },
      { routerIds: ['r1'], delayMs: 16_000 },
      { routerIds: ['r2'], delayMs: 32_000 },
    ]);
    const capped = heartbeatBatches(ids(100_000), 48_000, 250);
    expect(capped).toHaveLength(400);
    expect(Math.max(...capped.map((j) => j.routerIds.length))).toBe(250);
    expect(heartbeatBatches([], 48_000, 250)).toEqual([]);
  });
});
