import { postForDelivery } from '../http-delivery';
import { classifyTwilio } from '../provider-answers';
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
 * Twilio documents no idempotency key for creating a message (its error page for 500s says a
 * retried send may deliver twice; `I-Twilio-Idempotency-Token` is a header Twilio puts on the
 * webhooks it sends, not one it reads), so none is sent: at most once comes from the notifier not
 * resending an uncertain message (docs/paging.md). Answers are classified by classifyTwilio.
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
      },
      body: form.toString(),
      timeoutMs: this.opts.timeoutMs,
      label: 'Twilio',
      classify: classifyTwilio,
    });
    return { providerMessageId: typeof res.json?.sid === 'string' ? res.json.sid : undefined };
  }
}
