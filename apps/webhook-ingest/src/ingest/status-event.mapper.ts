import {
  normaliseMac,
  WebhookKind,
  type DhcpLeaseBody,
  type NetwatchBody,
  type PppStatusBody,
  type StatusEventJob,
  type StatusEventSubject,
} from '@isp/domain';
import { eventTime } from './normalise';
import type { WebhookBodies } from './webhook-body.validator';

/** Only the facts that were sent (the job contract: strings, and no empty object). */
function facts(...pairs: [string, string | undefined][]): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const [k, v] of pairs) if (v !== undefined) (out ??= {})[k] = v;
  return out;
}

/**
 * A validated webhook body as the status-event job diagnostics consumes. Pure. Written
 * plainly (no spreads of conditionals): it runs for every webhook on the edge's hot path.
 */
export function toStatusEvent<K extends WebhookKind>(
  kind: K,
  routerId: string,
  body: WebhookBodies[K],
  receivedAt: Date,
  clockSkewMs: number,
): StatusEventJob {
  let subject: StatusEventSubject;
  let event: StatusEventJob['event'];
  let details: Record<string, string> | undefined;
  switch (kind) {
    case WebhookKind.PPP: {
      const b = body as PppStatusBody;
      const callerId = b.callerId === undefined ? undefined : (normaliseMac(b.callerId) ?? b.callerId);
      subject = { kind: 'ppp', username: b.user };
      event = b.event;
      details = facts(['address', b.address], ['callerId', callerId], ['iface', b.iface]);
      break;
    }
    case WebhookKind.DHCP: {
      const b = body as DhcpLeaseBody;
      subject = { kind: 'dhcp', mac: b.mac, ip: b.ip };
      event = b.bound === '1' ? 'up' : 'down';
      details = facts(['server', b.server], ['hostname', b.hostname]);
      break;
    }
    default: {
      const b = body as NetwatchBody;
      subject = { kind: 'netwatch', host: b.host };
      event = b.status;
      details = facts(['name', b.name]);
    }
  }
  const job: StatusEventJob = {
    routerId,
    source: kind,
    subject,
    event,
    at: eventTime(body.ts, receivedAt, clockSkewMs).toISOString(),
    receivedAt: receivedAt.toISOString(),
  };
  if (body.ts !== undefined) job.routerTime = body.ts;
  if (details) job.details = details;
  return job;
}
