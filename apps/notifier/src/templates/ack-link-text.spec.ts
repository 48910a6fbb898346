import { SecretBox, verifyAckLink } from '@isp/domain';
import { loadNotifierConfig } from '../config/notifier.config';
import { ackLinkFor, withAckLink } from './ack-link-text';

const SECRET = 'ack-link-unit-secret-0123456789abcdefgh';
const settings = { PUBLIC_URL: 'https://noc.isp.test', ACK_LINK_SECRET: SECRET, ACK_LINK_TTL_SEC: 600 };
const page = { incidentId: 'a'.repeat(24), contactId: 'b'.repeat(24), channel: 'email' as const, kind: 'opened' as const, open: true };
const NOW = Date.UTC(2026, 0, 1);

describe('acknowledge links in page texts', () => {
  it('signs a link for the contact, expiring after ACK_LINK_TTL_SEC', () => {
    const url = ackLinkFor(settings, page, NOW)!;
    const token = decodeURIComponent(new URL(url).searchParams.get('ack_token')!);
    expect(url.startsWith('https://noc.isp.test/api/v1/ack-links?ack_token=a1.')).toBe(true);
    expect(verifyAckLink(token, SECRET, NOW)).toMatchObject({ ok: true, claims: { incidentId: page.incidentId, contactId: page.contactId, expiresAt: NOW + 600_000 } });
  });

  it('no link without PUBLIC_URL, on SMS and other channels, on RESOLVED, or once the incident is not open', () => {
    expect(ackLinkFor({ ...settings, PUBLIC_URL: undefined }, page, NOW)).toBeUndefined();
    for (const channel of ['sms', 'telegram', 'whatsapp', 'teams'] as const) expect(ackLinkFor(settings, { ...page, channel }, NOW)).toBeUndefined();
    expect(ackLinkFor(settings, { ...page, kind: 'resolved' }, NOW)).toBeUndefined();
    expect(ackLinkFor(settings, { ...page, open: false }, NOW)).toBeUndefined();
    expect(ackLinkFor(settings, { ...page, channel: 'chat', kind: 'escalated' }, NOW)).toBeDefined();
  });

  it('appends the link as Slack mrkdwn in chat and as plain text in e-mail; nothing without one', () => {
    expect(withAckLink('chat', 'DOWN', 'https://x/l')).toBe('DOWN\n<https://x/l|Acknowledge>');
    expect(withAckLink('email', 'DOWN\n-- ISP\n', 'https://x/l')).toBe('DOWN\n-- ISP\n\nAcknowledge (no sign-in needed, works once, expires): https://x/l\n');
    expect(withAckLink('email', 'DOWN', undefined)).toBe('DOWN');
  });

  it('config: PUBLIC_URL needs ACK_LINK_SECRET, which must be long and is never echoed', () => {
    const base = { SECRETS_KEYS: SecretBox.generateKey() };
    expect(() => loadNotifierConfig({ ...base, PUBLIC_URL: 'https://noc.isp.test' })).toThrow(/ACK_LINK_SECRET/);
    expect(() => loadNotifierConfig({ ...base, PUBLIC_URL: 'https://noc.isp.test', ACK_LINK_SECRET: 'short-secret-value' })).toThrow(/ACK_LINK_SECRET must be at least 32/);
    try {
      loadNotifierConfig({ ...base, PUBLIC_URL: 'https://noc.isp.test', ACK_LINK_SECRET: 'short-secret-value' });
    } catch (err) {
      expect((err as Error).message).not.toContain('short-secret-value');
    }
    expect(() => loadNotifierConfig({ ...base, PUBLIC_URL: 'noc.isp.test', ACK_LINK_SECRET: SECRET })).toThrow(/PUBLIC_URL/);
    expect(loadNotifierConfig({ ...base, PUBLIC_URL: 'https://noc.isp.test', ACK_LINK_SECRET: SECRET })).toMatchObject({ ACK_LINK_TTL_SEC: 86400 });
    expect(loadNotifierConfig(base).PUBLIC_URL).toBeUndefined();
  });
});
