import type { SmsEncoding } from '@isp/domain';

/**
 * SMS sizes: one GSM 03.38 7-bit message holds 160 units (extension characters count twice), a
 * part of a multipart one 153 (the rest is the concatenation header); UCS-2 (UTF-16) holds 70
 * code units alone, 67 per part.
 */
export const SMS_MAX_UNITS = 160;
const CAPACITY: Record<SmsEncoding, { single: number; part: number }> = { 'GSM-7': { single: 160, part: 153 }, 'UCS-2': { single: 70, part: 67 } };

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€';

const REPLACEMENTS: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201C': '"', '\u201D': '"', '\u2013': '-', '\u2014': '-', '\u2026': '...',
  '\u2192': '->', '\u00A0': ' ', '\t': ' ', '`': "'",
};

const isGsmChar = (ch: string) => GSM_BASIC.includes(ch) || GSM_EXTENDED.includes(ch);

export interface SmsText {
  text: string;
  encoding: SmsEncoding;
}

/**
 * The text as it goes on the air. Typographic punctuation becomes its plain form and accents are
 * dropped where the bare letter exists in GSM-7 (what providers call smart encoding), so
 * "Bogotá" stays a 160-character GSM-7 message. When a letter has no GSM-7 form (Arabic, Greek
 * lower case, "ł"...), the whole message is UCS-2 with every original letter kept: a name the
 * reader cannot recognise is worse than a shorter message.
 */
export function prepareSms(input: string): SmsText {
  let plain = '';
  let gsm = '';
  let fits = true;
  for (const ch of input) {
    const r = REPLACEMENTS[ch];
    const p = r ?? ch;
    plain += p;
    if (!fits) continue;
    if ([...p].every(isGsmChar)) {
      gsm += p;
      continue;
    }
    const bare = p.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    if (bare && [...bare].every(isGsmChar)) gsm += bare;
    else fits = false;
  }
  const tidy = (s: string) => s.replace(/ {2,}/g, ' ').trim();
  return fits ? { text: tidy(gsm), encoding: 'GSM-7' } : { text: tidy(plain), encoding: 'UCS-2' };
}

export function isGsm7(text: string): boolean {
  return [...text].every(isGsmChar);
}

export function gsmUnits(text: string): number {
  let n = 0;
  for (const ch of text) n += GSM_EXTENDED.includes(ch) ? 2 : 1;
  return n;
}

/** Units the text takes in its encoding: GSM-7 septets, or UTF-16 code units for UCS-2. */
export function smsUnits(text: string, encoding: SmsEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2'): number {
  return encoding === 'GSM-7' ? gsmUnits(text) : text.length;
}

/** Units that fit in `segments` parts. */
export function smsCapacity(encoding: SmsEncoding, segments: number): number {
  const c = CAPACITY[encoding];
  return segments <= 1 ? c.single : c.part * segments;
}

/** Encoding, size and the number of parts the network bills and delivers. */
export function smsSegments(text: string): { encoding: SmsEncoding; units: number; segments: number } {
  const encoding: SmsEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
  const units = smsUnits(text, encoding);
  const c = CAPACITY[encoding];
  return { encoding, units, segments: units <= c.single ? 1 : Math.ceil(units / c.part) };
}

/** Cuts text to `max` units of its encoding, ending with ".." when cut (never inside an escape or a surrogate pair). */
export function truncateSms(text: string, max: number, encoding: SmsEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2'): string {
  if (smsUnits(text, encoding) <= max) return text;
  let out = '';
  let n = 0;
  for (const ch of text) {
    const u = encoding === 'GSM-7' ? (GSM_EXTENDED.includes(ch) ? 2 : 1) : ch.length;
    if (n + u > max - 2) break;
    out += ch;
    n += u;
  }
  return `${out.trimEnd()}..`;
}

/** Cuts GSM text to `max` units (one message by default). */
export function truncateGsm(text: string, max = SMS_MAX_UNITS): string {
  return truncateSms(text, max, 'GSM-7');
}

/** Shortens a free-text value (a name) to `max` characters, marking the cut. */
export function shorten(value: string, max: number): string {
  const chars = [...value];
  return chars.length <= max ? value : `${chars.slice(0, Math.max(1, max - 1)).join('').trimEnd()}~`;
}
