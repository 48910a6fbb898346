import { postForDelivery } from '../http-delivery';
import { classifyGenericSms } from '../provider-answers';
import { smsSegments } from '../../templates/sms-text';
import type { OutboundMessage, SendResult } from '../delivery-channel';
import type { SmsProvider } from './sms-provider';

export interface GenericSmsOptions {
  url: string;
  /** "Header-Name: value" */
  authHeader?: string;
  bodyTemplate: string;
  contentType: string;
  from: string;
  timeoutMs: number;
}

/**
 * Any gateway that takes one POST per message: URL, one auth header and a body template with
 * {{to}} {{from}} {{text}} {{priority}} {{idempotencyKey}} {{encoding}} (GSM-7 or UCS-2)
 * {{segments}}. Values are escaped for the content type, so a quote in a message cannot break the
 * JSON. The Idempotency-Key header is sent; whether the gateway honours it is up to the gateway.
 */
export class GenericSmsProvider implements SmsProvider {
  readonly name = 'generic';
  private readonly headers: Record<string, string>;

  constructor(private readonly opts: GenericSmsOptions) {
    this.headers = { 'content-type': opts.contentType, accept: 'application/json' };
    if (opts.authHeader) {
      const i = opts.authHeader.indexOf(':');
      this.headers[opts.authHeader.slice(0, i).trim()] = opts.authHeader.slice(i + 1).trim();
    }
  }

  renderBody(m: OutboundMessage): string {
    const json = this.opts.contentType.includes('json');
    const esc = (v: string) => (json ? JSON.stringify(v).slice(1, -1) : encodeURIComponent(v));
    const sms = smsSegments(m.body);
    const vars: Record<string, string> = { to: m.to, from: this.opts.from, text: m.body, priority: m.priority, idempotencyKey: m.idempotencyKey, encoding: sms.encoding, segments: String(sms.segments) };
    return this.opts.bodyTemplate.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => esc(vars[k] ?? ''));
  }

  async send(m: OutboundMessage): Promise<SendResult> {
    const res = await postForDelivery(this.opts.url, {
      headers: { ...this.headers, 'Idempotency-Key': m.idempotencyKey },
      body: this.renderBody(m),
      timeoutMs: this.opts.timeoutMs,
      label: 'SMS gateway',
      classify: classifyGenericSms,
    });
    const id = res.json?.id ?? res.json?.messageId ?? res.json?.message_id ?? res.json?.sid;
    return { providerMessageId: id === undefined ? undefined : String(id) };
  }
}
