import { afterTransientFailure, retryDelayMs, type DeliveryTimings } from './delivery-policy';

const t: DeliveryTimings = { backoffMs: 1000, backoffMaxMs: 60000, giveUpMs: 3600000, failoverAfterMs: 300000, alarmAfterMs: 600000 };
const mid = () => 0.5;

describe('delivery policy', () => {
  it('backs off by doubling up to the cap, with jitter inside +-20%', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, t, mid))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(7, t, mid)).toBe(60000);
    expect(retryDelayMs(500, t, mid)).toBe(60000);
    expect(retryDelayMs(3, t, () => 0)).toBe(3200);
    expect(retryDelayMs(3, t, () => 0.999)).toBeLessThanOrEqual(4800);
    expect(retryDelayMs(9, t, () => 0.999)).toBe(60000);
  });

  it('keeps retrying for the life of the page, then gives up', () => {
    const now = 10_000_000;
    expect(afterTransientFailure({ now, createdAt: now - 3_000_000, failingSince: now - 3_000_000, attempts: 60 }, t, mid)).toEqual({ retry: true, delayMs: 60000, failover: true, alarm: true });
    expect(afterTransientFailure({ now, createdAt: now - 3_590_000, failingSince: now, attempts: 60 }, t, mid).delayMs).toBe(10000);
    expect(afterTransientFailure({ now, createdAt: now - 3_600_000, failingSince: now, attempts: 60 }, t, mid).retry).toBe(false);
  });

  it('fails over after N minutes on one channel, and alarms later', () => {
    const now = 10_000_000;
    const at = (failingFor: number) => afterTransientFailure({ now, createdAt: now - failingFor, failingSince: now - failingFor, attempts: 3 }, t, mid);
    expect(at(299_000)).toMatchObject({ retry: true, failover: false, alarm: false });
    expect(at(300_000)).toMatchObject({ retry: true, failover: true, alarm: false });
    expect(at(600_000)).toMatchObject({ retry: true, failover: true, alarm: true });
  });
});
