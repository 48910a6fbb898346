import { WebhookKind } from '@isp/domain';
import { validateWebhookBody } from './webhook-body.validator';
import type { WebhookRejection } from './webhook-rejection';

function rejection(kind: WebhookKind, body: unknown): { status: number; field?: string; message: string } {
  try {
    validateWebhookBody(kind, body);
  } catch (err) {
    const r = err as WebhookRejection;
    return { status: r.getStatus(), field: r.field, message: (r.getResponse() as { message: string }).message };
  }
  throw new Error('accepted');
}

describe('validateWebhookBody', () => {
  it('keeps the contract fields only, "" as absent, MACs normalised, hostnames cleaned', () => {
    expect(validateWebhookBody(WebhookKind.PPP, { event: 'up', user: `O'Brien`, address: '', callerId: 'aa-bb-cc-dd-ee-ff', extra: 'x' })).toEqual({
      event: 'up',
      user: `O'Brien`,
      callerId: 'aa-bb-cc-dd-ee-ff',
    });
    expect(validateWebhookBody(WebhookKind.DHCP, { bound: '0', mac: 'aabb.ccdd.eeff', ip: '10.0.0.1', hostname: 'a\u0000b', server: null })).toEqual({
      bound: '0',
      mac: 'AA:BB:CC:DD:EE:FF',
      ip: '10.0.0.1',
      hostname: 'ab',
    });
  });

  it.each([
    [WebhookKind.PPP, { user: 'x' }, 'event', 'event must be "up" or "down"'],
    [WebhookKind.PPP, { event: 'up', user: ['a', 'b'] }, 'user', 'user must be a string'],
    [WebhookKind.PPP, { event: 'up', user: '😀'.repeat(129) }, 'user', 'user must be 1 to 128 characters'],
    [WebhookKind.PPP, { event: 'up', user: 'a\nb' }, 'user', 'user must not contain control characters'],
    [WebhookKind.PPP, { event: 'up', user: 'a', iface: 'i'.repeat(129) }, 'iface', 'iface must be at most 128 characters'],
    [WebhookKind.PPP, { event: 'up', user: 'a', ts: '2026-02-31 10:00:00' }, 'ts', expect.stringContaining('ts must be the router clock')],
    [WebhookKind.DHCP, { bound: '1', mac: 'zz:bb:cc:dd:ee:ff', ip: '::1' }, 'mac', expect.stringContaining('mac must be a MAC address')],
    [WebhookKind.NETWATCH, { host: '010.0.0.1', status: 'up' }, 'host', 'host must be an IPv4 address'],
  ])('%s %j: 400 naming the first wrong field', (kind, body, field, message) => {
    expect(rejection(kind, body)).toEqual({ status: 400, field, message });
  });

  it.each([null, 'text', [1], 42])('refuses a body that is not an object (%p)', (body) => {
    expect(rejection(WebhookKind.NETWATCH, body)).toEqual({ status: 400, message: 'body must be a JSON object or form fields' });
  });
});
