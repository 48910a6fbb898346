/** A calendar month, "YYYY-MM". */
export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export interface MonthBounds {
  month: string;
  /** Local midnight of the 1st in the zone, as an instant. */
  from: Date;
  /** Local midnight of the next month's 1st. */
  to: Date;
}

/** Offset of `zone` from UTC at `instant`, in ms (local wall time minus UTC), read with Intl. */
export function zoneOffsetMs(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(new Date(instant));
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant at which the wall clock of `zone` reads midnight on the 1st of the month.
 * The offset is read at a first guess and again at the result: around a daylight-saving change
 * the two differ, and the second one is the offset in force at that midnight.
 */
function localMidnightOfFirst(year: number, monthIndex: number, zone: string): Date {
  const wall = Date.UTC(year, monthIndex, 1);
  let instant = wall - zoneOffsetMs(wall, zone);
  instant = wall - zoneOffsetMs(instant, zone);
  return new Date(instant);
}

/** Where a month begins and ends in the ISP's zone (Africa/Nairobi's March: Feb 28 21:00Z to Mar 31 21:00Z). */
export function monthBounds(month: string, zone: string): MonthBounds {
  if (!MONTH.test(month)) throw new RangeError(`not a month: ${month}`);
  const [y, m] = month.split('-').map(Number);
  return { month, from: localMidnightOfFirst(y, m - 1, zone), to: localMidnightOfFirst(y, m, zone) };
}

/** The month an instant falls in, in the zone. */
export function monthOf(instant: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit' }).formatToParts(instant);
  return `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`;
}

/** Months from `first` to `last` inclusive ("2026-11".."2027-02": four). */
export function monthsBetween(first: string, last: string): string[] {
  const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
  const out: string[] = [];
  for (let i = index(first); i <= index(last); i++) out.push(`${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
  return out;
}
