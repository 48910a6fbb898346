import { createHmac } from 'node:crypto';
import { ackLinkUrl, signAckLink, verifyAckLink } from './ack-link';

const SECRET = 'ack-link-test-secret-0123456789abcdef';
const claims = { incidentId: 'a'.repeat(24), contactId: 'b'.repeat(24), expiresAt: Date.UTC(2026, 0, 2) };
const now = Date.UTC(2026, 0, 1);

describe('acknowledge link signing', () => {
  it('verifies what it signed, with a fresh random link id each time', () => {
    const t1 = signAckLink(claims, SECRET);
    const t2 = signAckLink(claims, SECRET);
    expect(t1).not.toBe(t2);
    const r = verifyAckLink(t1, SECRET, now);
    expect(r).toEqual({ ok: true, claims: expect.objectContaining(claims) });
    if (r.ok) expect(r.claims.linkId).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it('refuses a link past its expiry (and at it)', () => {
    const t = signAckLink(claims, SECRET);
    expect(verifyAckLink(t, SECRET, claims.expiresAt)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyAckLink(t, SECRET, claims.expiresAt - 1).ok).toBe(true);
  });

  it('refuses tampered claims, a tampered MAC and another secret', () => {
    const t = signAckLink(claims, SECRET);
    const [v, body, sig] = t.split('.');
    const other = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), i: 'c'.repeat(24) })).toString('base64url');
    expect(verifyAckLink(`${v}.${other}.${sig}`, SECRET, now)).toEqual({ ok: false, reason: 'bad-signature' });
    const flipped = sig.slice(0, -2) + (sig.endsWith('AA') ? 'BB' : 'AA');
    expect(verifyAckLink(`${v}.${body}.${flipped}`, SECRET, now)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyAckLink(t, `${SECRET}x`, now)).toEqual({ ok: false, reason: 'bad-signature' });
    // A later expiry signed with the wrong key is no extension.
    expect(verifyAckLink(signAckLink({ ...claims, expiresAt: claims.expiresAt + 1e9 }, 'another-secret-another-secret-0000'), SECRET, now).ok).toBe(false);
  });

  it('refuses malformed tokens without throwing', () => {
    for (const bad of ['', 'a1', 'a1..', 'x1.e30.AAAA', `a1.${'A'.repeat(600)}.B`, undefined as unknown as string]) {
      expect(verifyAckLink(bad, SECRET, now).ok).toBe(false);
    }
    // Signed, but claims that are not ids.
    const signed = `a1.${Buffer.from(JSON.stringify({ i: '$where', c: 'x', e: 9e15, n: 'short' })).toString('base64url')}`;
    const signedJunk = `${signed}.${createHmac('sha256', SECRET).update(signed).digest('base64url')}`;
    expect(verifyAckLink(signedJunk, SECRET, now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('builds the link on the public URL, token in the redacted query parameter', () => {
    expect(ackLinkUrl('https://noc.example.net/', 'a1.x.y')).toBe('https://noc.example.net/api/v1/ack-links?ack_token=a1.x.y');
  });
});
