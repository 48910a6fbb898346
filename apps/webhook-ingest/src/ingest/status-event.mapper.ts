import { WebhookKind, type DhcpLeaseBody, type NetwatchBody, type PppStatusBody, type StatusEventJob } from '@isp/domain';
import { eventTime, normaliseMac } from './normalise';
import type { WebhookBodies } from './webhook-body.validator';

/** Only the facts that were sent, as strings (the job contract). */
function facts(entries: Record<string, string | undefined>): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(entries)) if (v !== undefined) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

/** A validated webhook body as the status-event job diagnostics consumes. Pure. */
export function toStatusEvent<K extends WebhookKind>(
  kind: K,
  routerId: string,
  body: WebhookBodies[K],
  receivedAt: Date,
  clockSkewMs: number,
): StatusEventJob {
  const base = {
    routerId,
    source: kind,
    at: eventTime(body.ts, receivedAt, clockSkewMs).toISOString(),
    receivedAt: receivedAt.toISOString(),
    ...(body.ts !== undefined && { routerTime: body.ts }),
  };
  switch (kind) {
    case WebhookKind.PPP: {
      const b = body as PppStatusBody;
      const callerId = b.callerId === undefined ? undefined : (normaliseMac(b.callerId) ?? b.callerId);
      const details = facts({ address: b.address, callerId, iface: b.iface });
      return { ...base, subject: { kind: 'ppp', username: b.user }, event: b.event, ...(details && { details }) };
    }
    case WebhookKind.DHCP: {
      const b = body as DhcpLeaseBody;
      const details = facts({ server: b.server, hostname: b.hostname });
      return { ...base, subject: { kind: 'dhcp', mac: b.mac, ip: b.ip }, event: b.bound === '1' ? 'up' : 'down', ...(details && { details }) };
    }
    default: {
      const b = body as NetwatchBody;
      const details = facts({ name: b.name });
      return { ...base, subject: { kind: 'netwatch', host: b.host }, event: b.status, ...(details && { details }) };
    }
  }
}
