/**
 * Whether `name` is an IANA time zone this runtime knows ("America/Lima", "Africa/Nairobi",
 * "UTC"). Offsets ("+05:00") and abbreviations ("EST" is an IANA link, but "PET" is not) are
 * refused by the runtime or here: a contact's zone must follow daylight-saving rules.
 */
export function isTimeZone(name: unknown): name is string {
  if (typeof name !== 'string' || !name.trim() || /^[+-]/.test(name.trim())) return false;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: name.trim() });
    return true;
  } catch {
    return false;
  }
}

/** "2026-12-02 08:05 America/Lima": a moment as the reader's wall clock shows it, zone named. */
export function formatInZone(at: Date, timeZone = 'UTC'): string {
  const zone = isTimeZone(timeZone) ? timeZone.trim() : 'UTC';
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${zone}`;
}
