/** One SMS: 160 characters of the GSM 03.38 7-bit alphabet (extension characters count twice). */
export const SMS_MAX_UNITS = 160;

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€';

const REPLACEMENTS: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201C': '"', '\u201D': '"', '\u2013': '-', '\u2014': '-', '\u2026': '...',
  '\u2192': '->', '\u00A0': ' ', '\t': ' ', '`': "'",
};

/**
 * Makes text safe for the GSM 7-bit alphabet: a single character outside it would switch the
 * whole message to UCS-2 and cut its length to 70. Accents are stripped, known punctuation is
 * replaced, anything else becomes '?'.
 */
export function toGsm(text: string): string {
  let out = '';
  for (const ch of text) {
    if (GSM_BASIC.includes(ch) || GSM_EXTENDED.includes(ch)) {
      out += ch;
      continue;
    }
    const r = REPLACEMENTS[ch];
    if (r !== undefined) {
      out += r;
      continue;
    }
    const bare = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    out += [...bare].every((c) => GSM_BASIC.includes(c)) && bare ? bare : '?';
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

export function gsmUnits(text: string): number {
  let n = 0;
  for (const ch of text) n += GSM_EXTENDED.includes(ch) ? 2 : 1;
  return n;
}

/** Cuts GSM text to `max` units, ending with ".." when cut (never in the middle of an escape). */
export function truncateGsm(text: string, max = SMS_MAX_UNITS): string {
  if (gsmUnits(text) <= max) return text;
  let out = '';
  let n = 0;
  for (const ch of text) {
    const u = GSM_EXTENDED.includes(ch) ? 2 : 1;
    if (n + u > max - 2) break;
    out += ch;
    n += u;
  }
  return `${out.trimEnd()}..`;
}

/** Shortens a free-text value (a name) to `max` characters, marking the cut. */
export function shorten(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, Math.max(1, max - 1)).trimEnd()}~`;
}
