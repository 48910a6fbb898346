import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Router webhook tokens: "rt_<routerId>_<secret>". The router id lets ingest find the router in
 * its cache without a database round trip; only sha256(secret) is stored, compared in constant
 * time. The token itself is shown once when issued.
 */
const TOKEN_RE = /^rt_([a-f0-9]{24})_([A-Za-z0-9_-]{43})$/;

export interface IssuedToken {
  token: string;
  hash: string;
}

export function issueWebhookToken(routerId: string): IssuedToken {
  const secret = randomBytes(32).toString('base64url');
  return { token: `rt_${routerId}_${secret}`, hash: hashSecret(secret) };
}

export function parseWebhookToken(token: string): { routerId: string; secret: string } | null {
  const m = TOKEN_RE.exec(token);
  return m ? { routerId: m[1], secret: m[2] } : null;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function tokenMatches(secret: string, storedHash: string | undefined | null): boolean {
  if (!storedHash || storedHash.length !== 64) return false;
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
