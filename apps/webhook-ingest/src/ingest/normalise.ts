import { isIPv4 } from 'node:net';
import { unescape as unescapeForm } from 'node:querystring';

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const HIGH_ESCAPE = /%[89A-Fa-f][0-9A-Fa-f]/;
/**
 * win1252's 0x80-0x9F (the rest is latin1). Written out because Node 20's TextDecoder reads
 * "windows-1252" as latin1, which turns these into invisible control characters.
 */
const WIN1252_80_9F = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Pure normalisation of what routers send. Values are untrusted: every function here either
 * returns a clean value or null, never throws.
 */

/** The MAC normaliser is the domain's (the admin API's lookup uses the same one). */
export { normaliseMac } from '@isp/domain';

export function isIpv4(value: unknown): value is string {
  return typeof value === 'string' && isIPv4(value);
}

/** Printable text: no control characters (C0, DEL, C1) and no lone UTF-16 surrogates. */
export function isPrintable(value: string): boolean {
  return !/[\p{Cc}\p{Cs}]/u.test(value);
}

/** Strips what must not travel on (control characters, lone surrogates) and caps the length. */
export function sanitiseText(value: string, max: number): string {
  return value.replace(/[\p{Cc}\p{Cs}]/gu, '').slice(0, max);
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const ISO_LIKE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;
const ROS6 = /^([a-zA-Z]{3})\/(\d{2})\/(\d{4})[ T](\d{2}):(\d{2}):(\d{2})$/;

/**
 * Router clock text ("2026-11-28 15:30:01" on v7.10+, "nov/28/2026 15:30:01" before) as a UTC
 * instant. The router does not say its zone, so the caller only trusts the result when it is
 * close to our own clock. Null when the text is not one of those shapes or not a real date.
 */
export function parseRouterTime(value: string): Date | null {
  let y: number, mo: number, d: number, h: number, mi: number, s: number;
  let m = ISO_LIKE.exec(value);
  if (m) {
    [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  } else if ((m = ROS6.exec(value))) {
    mo = MONTHS[m[1].toLowerCase()];
    if (!mo) return null;
    [d, y, h, mi, s] = m.slice(2).map(Number);
  } else {
    return null;
  }
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const date = new Date(t);
  // Date.UTC rolls "feb 31" over into march: reject instead of inventing a date.
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return date;
}

export const ROUTER_TIME_SHAPES = 'YYYY-MM-DD HH:MM:SS or mon/DD/YYYY HH:MM:SS';

/** The router's time when it is believable (within `skewMs` of ours), else our receipt time. */
export function eventTime(ts: string | undefined, receivedAt: Date, skewMs: number): Date {
  if (!ts) return receivedAt;
  const t = parseRouterTime(ts);
  if (!t || Math.abs(t.getTime() - receivedAt.getTime()) > skewMs) return receivedAt;
  return t;
}

/**
 * One form-encoded value as a router sent it. The v6 scripts percent-encode the bytes of RouterOS
 * strings, which are in the router's charset (win1252, what Winbox and the API write): "josé"
 * arrives as jos%E9. Bytes that are valid UTF-8 (v7, names the generator encoded) are read as
 * UTF-8, anything else as win1252. "+" is a space; a "%" not followed by two hex digits stays.
 */
export function decodeFormValue(raw: string): string {
  if (!raw.includes('%') && !raw.includes('+')) return raw;
  // Only escapes of bytes from 0x80 up can fail to be UTF-8: the rest is querystring's own work.
  if (!HIGH_ESCAPE.test(raw)) return unescapeForm(raw.replace(/\+/g, ' '));
  const text = Buffer.from(raw, 'utf8');
  const bytes = Buffer.allocUnsafe(text.length);
  let n = 0;
  let high = false;
  for (let i = 0; i < text.length; i++) {
    let b = text[i];
    if (b === 0x2b) b = 0x20;
    else if (b === 0x25 && isHex(text[i + 1]) && isHex(text[i + 2])) {
      b = parseInt(String.fromCharCode(text[i + 1], text[i + 2]), 16);
      i += 2;
    }
    if (b >= 0x80) high = true;
    bytes[n++] = b;
  }
  const out = bytes.subarray(0, n);
  if (!high) return out.toString('latin1');
  try {
    return UTF8.decode(out);
  } catch {
    let text = '';
    for (const b of out) text += b >= 0x80 && b <= 0x9f ? WIN1252_80_9F[b - 0x80] : String.fromCharCode(b);
    return text;
  }
}

function isHex(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));
}
