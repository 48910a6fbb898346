import { ackLinkUrl, signAckLink, type NotificationKind, type PlannedPage } from '@isp/domain';

export interface AckLinkSettings {
  PUBLIC_URL?: string;
  ACK_LINK_SECRET?: string;
  ACK_LINK_TTL_SEC: number;
}

/** Pages that ask someone to act: a link to acknowledge makes sense there, not in a RESOLVED. */
const ACKABLE: readonly NotificationKind[] = ['opened', 'grown', 'escalated'];

/**
 * The acknowledge link for one contact's page, or undefined: not configured, a channel that does
 * not carry it (only e-mail and chat do), a kind that asks for nothing, or an incident no longer open.
 */
export function ackLinkFor(s: AckLinkSettings, page: { incidentId: string; contactId: string; channel: PlannedPage['channel']; kind: NotificationKind; open: boolean }, now = Date.now()): string | undefined {
  if (!s.PUBLIC_URL || !s.ACK_LINK_SECRET || !page.open || !ACKABLE.includes(page.kind)) return undefined;
  if (page.channel !== 'email' && page.channel !== 'chat') return undefined;
  const token = signAckLink({ incidentId: page.incidentId, contactId: page.contactId, expiresAt: now + s.ACK_LINK_TTL_SEC * 1000 }, s.ACK_LINK_SECRET);
  return ackLinkUrl(s.PUBLIC_URL, token);
}

/** The body with the link appended in the channel's own form (Slack mrkdwn for chat, plain text for e-mail). */
export function withAckLink(channel: PlannedPage['channel'], body: string, url: string | undefined): string {
  if (!url) return body;
  if (channel === 'chat') return `${body}\n<${url}|Acknowledge>`;
  return `${body.replace(/\s+$/, '')}\n\nAcknowledge (no sign-in needed, works once, expires): ${url}\n`;
}
