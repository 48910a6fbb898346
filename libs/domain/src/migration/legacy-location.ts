/**
 * The old monitor appended " (Offline)" / " (Online)" to `location`, sometimes more than once,
 * and people typed the same place with different case and spacing. Pure helpers, unit-tested.
 */
const STATUS_SUFFIX = /\s*\((?:offline|online)\)\s*$/i;

export function cleanLocation(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  let s = raw.replace(/\s+/g, ' ').trim();
  while (STATUS_SUFFIX.test(s)) s = s.replace(STATUS_SUFFIX, '').trim();
  return s;
}

export function locationKey(raw: unknown): string {
  return cleanLocation(raw).toLowerCase();
}

/** A short unique code from a name: initials or leading letters, upper case, with a numeric suffix on collision. */
export function codeFor(name: string, taken: Set<string>): string {
  const words = name.toUpperCase().replace(/[^A-Z0-9 ]/g, ' ').split(' ').filter(Boolean);
  let base = words.length > 1 ? words.map((w) => w[0]).join('') : (words[0] ?? 'BLDG');
  base = base.slice(0, 8) || 'BLDG';
  if (base.length < 2) base = (words[0] ?? 'BLDG').slice(0, 4);
  let code = base;
  for (let i = 2; taken.has(code); i++) code = `${base}${i}`;
  taken.add(code);
  return code;
}
