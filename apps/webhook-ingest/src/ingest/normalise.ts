import { isIPv4 } from 'node:net';

/**
 * Pure normalisation of what routers send. Values are untrusted: every function here either
 * returns a clean value or null, never throws.
 */

/** "aa-bb-cc-dd-ee-ff", "AABB.CCDD.EEFF", "aabbccddeeff" -> "AA:BB:CC:DD:EE:FF"; anything else null. */
export function normaliseMac(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 32) return null;
  const hex = value.trim().replace(/[:.\- ]/g, '');
  if (!/^[0-9a-fA-F]{12}$/.test(hex)) return null;
  return hex.toUpperCase().match(/../g)!.join(':');
}

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
