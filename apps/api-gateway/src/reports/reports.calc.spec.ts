import fc from 'fast-check';
import { monthBounds, monthOf, monthsBetween, zoneOffsetMs } from './month-range';
import { levelStats, SlaTally } from './sla.calc';
import { csvField, parseCsv, toCsv } from './sla-csv';

const at = (iso: string) => new Date(iso);

describe('month boundaries in the ISP time zone', () => {
  it('starts and ends a Nairobi month at local midnight (UTC+3)', () => {
    const m = monthBounds('2026-03', 'Africa/Nairobi');
    expect(m.from.toISOString()).toBe('2026-02-28T21:00:00.000Z');
    expect(m.to.toISOString()).toBe('2026-03-31T21:00:00.000Z');
    expect(monthBounds('2026-12', 'Africa/Nairobi').to.toISOString()).toBe('2026-12-31T21:00:00.000Z');
  });

  it('follows daylight saving inside and across the month', () => {
    // Berlin goes to summer time on 29 March 2026: the month is an hour short.
    const berlin = monthBounds('2026-03', 'Europe/Berlin');
    expect([berlin.from.toISOString(), berlin.to.toISOString()]).toEqual(['2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z']);
    expect(berlin.to.getTime() - berlin.from.getTime()).toBe((31 * 24 - 1) * 3600_000);
    // West of UTC, and New York leaves summer time on 1 November 2026, the very first day.
    const ny = monthBounds('2026-11', 'America/New_York');
    expect([ny.from.toISOString(), ny.to.toISOString()]).toEqual(['2026-11-01T04:00:00.000Z', '2026-12-01T05:00:00.000Z']);
    expect(monthBounds('2026-01', 'UTC').from.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('tells which month an instant falls in, locally', () => {
    expect(monthOf(at('2026-02-28T20:59:59Z'), 'Africa/Nairobi')).toBe('2026-02');
    expect(monthOf(at('2026-02-28T21:00:00Z'), 'Africa/Nairobi')).toBe('2026-03');
    expect(monthOf(at('2026-02-28T21:00:00Z'), 'UTC')).toBe('2026-02');
  });

  it('months tile time: each month ends where the next begins, and contains its own instants', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2040 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom('Africa/Nairobi', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'), (y, mo, zone) => {
        const month = `${y}-${String(mo).padStart(2, '0')}`;
        const [next] = monthsBetween(month, `${y + 1}-12`).slice(1);
        const m = monthBounds(month, zone);
        expect(m.to.getTime()).toBe(monthBounds(next, zone).from.getTime());
        expect(monthOf(m.from, zone)).toBe(month);
        expect(monthOf(new Date(m.to.getTime() - 1), zone)).toBe(month);
        expect(zoneOffsetMs(m.from.getTime(), zone) + m.from.getTime()).toBe(Date.UTC(y, mo - 1, 1));
      }),
    );
  });

  it('lists months across a year end', () => {
    expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsBetween('2026-03', '2026-03')).toEqual(['2026-03']);
  });
});

describe('SlaTally: downtime split by cause', () => {
  const from = at('2026-03-01T00:00:00Z');
  const to = at('2026-04-01T00:00:00Z');
  const now = at('2026-05-01T00:00:00Z');

  it('puts each second to its own fault or to the incident that caused it, overlaps counted once', () => {
    const t = new SlaTally(from, to, now);
    t.add({ user: 'a', startedAt: at('2026-02-28T23:50:00Z'), endedAt: at('2026-03-01T00:10:00Z'), cause: 'self' });
    t.add({ user: 'a', startedAt: at('2026-03-02T00:00:00Z'), endedAt: at('2026-03-02T00:30:00Z'), cause: 'impacted', incident: 'i1' });
    // Overlaps the previous log by 10 minutes: the earlier log keeps them.
    t.add({ user: 'a', startedAt: at('2026-03-02T00:20:00Z'), endedAt: at('2026-03-02T00:40:00Z'), cause: 'impacted', incident: 'i2' });
    t.add({ user: 'b', startedAt: at('2026-03-02T00:00:00Z'), endedAt: at('2026-03-02T01:00:00Z'), cause: 'impacted', incident: 'i1' });
    t.add({ user: 'c', startedAt: at('2026-03-31T23:00:00Z'), endedAt: null, cause: 'impacted' });
    const totals = t.totals();
    expect(totals.ownSec).toBe(600);
    expect(Object.fromEntries(totals.impactedSec)).toEqual({ i1: 1800 + 3600, i2: 600, '': 3600 });
    expect(totals.downtimeSec).toBe(600 + 5400 + 600 + 3600);
    expect(totals.maintenanceSec).toBe(0);
    expect(totals.affectedUsers).toBe(3);
  });

  it('takes maintenance time out of the downtime and reports it apart', () => {
    const maintenance = [{ start: at('2026-03-02T00:00:00Z'), end: at('2026-03-02T00:15:00Z') }, { start: at('2026-03-02T00:10:00Z'), end: at('2026-03-02T00:20:00Z') }];
    const t = new SlaTally(from, to, now, maintenance);
    t.add({ user: 'a', startedAt: at('2026-03-02T00:05:00Z'), endedAt: at('2026-03-02T00:35:00Z'), cause: 'self' });
    const totals = t.totals();
    expect([totals.ownSec, totals.maintenanceSec, totals.downtimeSec]).toEqual([900, 900, 900]);
  });

  it('runs an open log only until now in the current month', () => {
    const t = new SlaTally(from, to, at('2026-03-10T01:00:00Z'));
    t.add({ user: 'a', startedAt: at('2026-03-10T00:00:00Z'), endedAt: null, cause: 'self' });
    expect(t.totals().downtimeSec).toBe(3600);
  });
});

describe('levelStats', () => {
  it('counts incidents and averages the times to acknowledge and resolve per level', () => {
    const o = at('2026-03-02T00:00:00Z');
    const plus = (min: number) => new Date(o.getTime() + min * 60_000);
    const stats = levelStats([
      { level: 3, openedAt: o, acknowledgedAt: plus(4), resolvedAt: plus(60) },
      { level: 3, openedAt: o, acknowledgedAt: plus(6), resolvedAt: null },
      { level: 1, openedAt: o, resolvedAt: plus(30) },
    ]);
    expect(stats).toEqual([
      { level: 1, incidents: 1, mttaSec: null, mttrSec: 1800 },
      { level: 2, incidents: 0, mttaSec: null, mttrSec: null },
      { level: 3, incidents: 2, mttaSec: 300, mttrSec: 3600 },
    ]);
  });
});

describe('CSV', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvField('Tower, "A"')).toBe('"Tower, ""A"""');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('-sector')).toBe("'-sector");
    expect(csvField(-1.5)).toBe('-1.5');
    expect(csvField(null)).toBe('');
    expect(csvField(true)).toBe('true');
  });

  it('reads back what it writes', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ maxLength: 12 }).filter((s) => !/^[=+\-@\t\r]/.test(s)), { minLength: 2, maxLength: 2 }), { maxLength: 5 }), (rows) => {
        expect(parseCsv(toCsv(['a', 'b'], rows))).toEqual([['a', 'b'], ...rows]);
      }),
    );
  });
});
