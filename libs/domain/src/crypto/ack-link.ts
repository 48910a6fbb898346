import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Acknowledge links in pages: "a1.<claims>.<mac>", the claims base64url JSON (incident, contact,
 * expiry, a random id), the MAC HMAC-SHA256 over "a1.<claims>" with ACK_LINK_SECRET. The token is
 * the credential (whoever holds the page may acknowledge, as its recipient); single use is kept
 * by the gateway, which records each link id once.
 */
export interface AckLinkClaims {
  incidentId: string;
  contactId: string;
  /** Epoch milliseconds after which the link no longer works. */
  expiresAt: number;
  /** Random id of this link: what single use is recorded against. */
  linkId: string;
}

export type AckLinkCheck = { ok: true; claims: AckLinkClaims } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

/** The query parameter carrying the token (request logs redact it). */
export const ACK_LINK_PARAM = 'ack_token';
export const ACK_LINK_PATH = '/api/v1/ack-links';
const VERSION = 'a1';
const OBJECT_ID = /^[a-f0-9]{24}$/;
const LINK_ID = /^[A-Za-z0-9_-]{16}$/;

function mac(secret: string, signed: string): Buffer {
  return createHmac('sha256', secret).update(signed).digest();
}

export function signAckLink(c: Omit<AckLinkClaims, 'linkId'> & { linkId?: string }, secret: string): string {
  const claims = { i: c.incidentId, c: c.contactId, e: c.expiresAt, n: c.linkId ?? randomBytes(12).toString('base64url') };
  const signed = `${VERSION}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${signed}.${mac(secret, signed).toString('base64url')}`;
}

/** Checks the MAC (constant time) before reading the claims, then the expiry. */
export function verifyAckLink(token: string, secret: string, now = Date.now()): AckLinkCheck {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3 || parts[0] !== VERSION || token.length > 512) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(parts[2], 'base64url');
  const expected = mac(secret, `${parts[0]}.${parts[1]}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const r = raw as { i?: unknown; c?: unknown; e?: unknown; n?: unknown };
  if (typeof r.i !== 'string' || !OBJECT_ID.test(r.i) || typeof r.c !== 'string' || !OBJECT_ID.test(r.c) || typeof r.e !== 'number' || typeof r.n !== 'string' || !LINK_ID.test(r.n)) {
    return { ok: false, reason: 'malformed' };
  }
  if (now >= r.e) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { incidentId: r.i, contactId: r.c, expiresAt: r.e, linkId: r.n } };
}

/** The link a page carries: the gateway's confirm page for the token. */
export function ackLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${ACK_LINK_PATH}?${ACK_LINK_PARAM}=${encodeURIComponent(token)}`;
}
