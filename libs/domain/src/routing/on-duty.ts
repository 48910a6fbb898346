import type { OnDutyWindow } from '../model/contact.types';

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function minutesOf(hhmm: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 24 || min > 59) return null;
  return h * 60 + min;
}

/** Local weekday (1 = Monday) and minute of the day at `now` in `timeZone` (UTC when absent). */
function localClock(now: Date, timeZone = 'UTC'): { day: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { day: WEEKDAYS[get('weekday')] ?? 1, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

/**
 * Whether a contact is on duty at `now`. No window means always. A window that ends before it
 * starts runs overnight ("22:00"-"06:00"); its `days` name the day the shift starts on. A window
 * that cannot be read counts as on duty: a typo must not silence someone's pager.
 */
export function isOnDuty(window: OnDutyWindow | null | undefined, now: Date): boolean {
  if (!window || !window.from || !window.to) return true;
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  if (from === null || to === null) return true;
  let clock: { day: number; minute: number };
  try {
    clock = localClock(now, window.timezone || 'UTC');
  } catch {
    clock = localClock(now, 'UTC');
  }
  const days = window.days?.length ? window.days : null;
  if (from === to) return !days || days.includes(clock.day);
  if (from < to) return clock.minute >= from && clock.minute < to && (!days || days.includes(clock.day));
  // Overnight: the evening part belongs to today, the morning part to yesterday's shift.
  if (clock.minute >= from) return !days || days.includes(clock.day);
  if (clock.minute < to) return !days || days.includes(clock.day === 1 ? 7 : clock.day - 1);
  return false;
}
