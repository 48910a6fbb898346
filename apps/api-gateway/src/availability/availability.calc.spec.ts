import { availability, downtimeWithin, DowntimeTally, type DowntimeSpan } from './availability.calc';

const t = (iso: string) => new Date(`2026-01-01T${iso}Z`);

describe('downtimeWithin', () => {
  const from = t('00:00:00');
  const to = t('01:00:00');

  it('clips logs to the period', () => {
    const spans: DowntimeSpan[] = [{ user: 'u', startedAt: new Date('2025-12-31T23:50:00Z'), endedAt: t('00:10:00'), cause: 'self' }];
    expect(downtimeWithin(spans, from, to, t('02:00:00'))).toEqual({ downtimeSec: 600, impactedSec: 0, affectedUsers: 1, maintenanceSec: 0 });
  });

  it('leaves downtime inside a maintenance window out, and reports it on its own', () => {
    const spans: DowntimeSpan[] = [
      { user: 'u', startedAt: t('00:10:00'), endedAt: t('00:40:00'), cause: 'impacted' },
      { user: 'v', startedAt: t('00:10:00'), endedAt: t('00:20:00'), cause: 'self' },
    ];
    const windows = { u: [{ start: t('00:00:00'), end: t('00:30:00') }] } as Record<string, { start: Date; end: Date }[]>;
    expect(downtimeWithin(spans, from, to, t('02:00:00'), (user) => windows[user] ?? [])).toEqual({ downtimeSec: 1200, impactedSec: 600, affectedUsers: 2, maintenanceSec: 1200 });
  });

  it('runs an open log until now', () => {
    const spans: DowntimeSpan[] = [{ user: 'u', startedAt: t('00:30:00'), endedAt: null, cause: 'impacted' }];
    expect(downtimeWithin(spans, from, to, t('00:40:00'))).toEqual({ downtimeSec: 600, impactedSec: 600, affectedUsers: 1, maintenanceSec: 0 });
  });

  it('counts overlapping logs of one user once, different users separately', () => {
    const spans: DowntimeSpan[] = [
      { user: 'u', startedAt: t('00:00:00'), endedAt: t('00:20:00'), cause: 'self' },
      { user: 'u', startedAt: t('00:10:00'), endedAt: t('00:30:00'), cause: 'self' },
      { user: 'v', startedAt: t('00:10:00'), endedAt: t('00:20:00'), cause: 'self' },
    ];
    expect(downtimeWithin(spans, from, to, t('02:00:00'))).toEqual({ downtimeSec: 2400, impactedSec: 0, affectedUsers: 2, maintenanceSec: 0 });
  });

  it('gives the same totals whatever order the users come in', () => {
    const spans: DowntimeSpan[] = [
      { user: 'u', startedAt: t('00:10:00'), endedAt: t('00:30:00'), cause: 'self' },
      { user: 'v', startedAt: t('00:10:00'), endedAt: t('00:20:00'), cause: 'impacted' },
      { user: 'u', startedAt: t('00:00:00'), endedAt: t('00:20:00'), cause: 'self' },
    ];
    expect(downtimeWithin(spans, from, to, t('02:00:00'))).toEqual({ downtimeSec: 2400, impactedSec: 600, affectedUsers: 2, maintenanceSec: 0 });
  });
});

describe('DowntimeTally', () => {
  it('holds only the current user: spans fed user by user add up like downtimeWithin', () => {
    const tally = new DowntimeTally(t('00:00:00'), t('01:00:00'), t('02:00:00'));
    tally.add({ user: 'a', startedAt: t('00:00:00'), endedAt: t('00:10:00'), cause: 'self' });
    tally.add({ user: 'a', startedAt: t('00:05:00'), endedAt: t('00:15:00'), cause: 'self' });
    tally.add({ user: 'b', startedAt: t('00:50:00'), endedAt: null, cause: 'impacted' });
    expect(tally.totals()).toEqual({ downtimeSec: 900 + 600, impactedSec: 600, affectedUsers: 2, maintenanceSec: 0 });
  });
});

describe('availability', () => {
  it('is the up fraction of subscribers × period', () => {
    expect(availability(360, 3600, 1)).toBeCloseTo(0.9);
    expect(availability(360, 3600, 10)).toBeCloseTo(0.99);
    expect(availability(0, 3600, 0)).toBe(1);
  });
});
