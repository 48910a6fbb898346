import { heardDuringCheck, judgeRouterSilence } from './router-silence';

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
