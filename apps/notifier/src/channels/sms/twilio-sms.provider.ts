import { postForDelivery } from '../http-delivery';
import type { OutboundMessage, SendResult } from '../delivery-channel';
import type { SmsProvider } from './sms-provider';

export interface TwilioOptions {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  from: string;
  timeoutMs: number;
}

/**
 * Twilio's Messages API: form POST to /2010-04-01/Accounts/{sid}/Messages.json with basic auth.
 * The idempotency key goes in Twilio's own header and the common Idempotency-Key, so a retried
 * request after a lost answer does not send a second SMS. A 400 (e.g. code 21211, invalid "To")
 * is permanent; 429 and 5xx are retried.
 */
export class TwilioSmsProvider implements SmsProvider {
  readonly name = 'twilio';
  private readonly url: string;
  private readonly auth: string;

  constructor(private readonly opts: TwilioOptions) {
    this.url = `${opts.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(opts.accountSid)}/Messages.json`;
    this.auth = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;
  }

  async send(m: OutboundMessage): Promise<SendResult> {
    const form = new URLSearchParams({ To: m.to, From: this.opts.from, Body: m.body });
    const res = await postForDelivery(this.url, {
      headers: {
        authorization: this.auth,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'Idempotency-Key': m.idempotencyKey,
        'I-Twilio-Idempotency-Token': m.idempotencyKey,
      },
      body: form.toString(),
      timeoutMs: this.opts.timeoutMs,
      label: 'Twilio',
    });
    return { providerMessageId: typeof res.json?.sid === 'string' ? res.json.sid : undefined };
  }
}
