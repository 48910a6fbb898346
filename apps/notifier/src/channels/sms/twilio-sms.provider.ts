import { PermanentError, RetryableError } from '@isp/domain';
import { getAnswer, postForDelivery } from '../http-delivery';
import { classifyTwilio, isTransientStatus, twilioReceipt } from '../provider-answers';
import type { OutboundMessage, Receipt, SendResult } from '../delivery-channel';
import type { SmsProvider } from './sms-provider';

export interface TwilioOptions {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  from: string;
  timeoutMs: number;
  /** WhatsApp: "whatsapp:" (put before To and From). */
  addressPrefix?: string;
  /** WhatsApp: an approved Content template sent with ContentSid/ContentVariables {"1": subject, "2": text} instead of a free-form Body. */
  contentSid?: string;
  /** Names the endpoint in errors ("Twilio", "Twilio WhatsApp"). */
  label?: string;
}

/**
 * Twilio's Messages API: form POST to /2010-04-01/Accounts/{sid}/Messages.json with basic auth.
 * Twilio documents no idempotency key for creating a message (its error page for 500s says a
 * retried send may deliver twice; `I-Twilio-Idempotency-Token` is a header Twilio puts on the
 * webhooks it sends, not one it reads), so none is sent: at most once comes from the notifier not
 * resending an uncertain message (docs/paging.md). Answers are classified by classifyTwilio.
 * Delivery receipts are read by fetching the Message resource (polling, not StatusCallback: see
 * docs/paging.md for why), so the notifier needs no address reachable from the internet.
 */
export class TwilioSmsProvider implements SmsProvider {
  readonly name = 'twilio';
  private readonly url: string;
  private readonly messagesUrl: string;
  private readonly auth: string;

  constructor(private readonly opts: TwilioOptions) {
    this.messagesUrl = `${opts.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(opts.accountSid)}/Messages`;
    this.url = `${this.messagesUrl}.json`;
    this.auth = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;
  }

  async send(m: OutboundMessage): Promise<SendResult> {
    const prefix = this.opts.addressPrefix ?? '';
    const form = new URLSearchParams({ To: `${prefix}${m.to}`, From: `${prefix}${this.opts.from}` });
    if (this.opts.contentSid) {
      form.set('ContentSid', this.opts.contentSid);
      // WhatsApp refuses template values with new lines, tabs or runs of spaces (Twilio 63013): one line each.
      const flat = (v: string) => v.replace(/\s+/g, ' ').trim();
      form.set('ContentVariables', JSON.stringify({ 1: flat(m.subject ?? ''), 2: flat(m.body) }));
    } else form.set('Body', m.body);
    const res = await postForDelivery(this.url, {
      headers: {
        authorization: this.auth,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      timeoutMs: this.opts.timeoutMs,
      label: this.opts.label ?? 'Twilio',
      classify: classifyTwilio,
    });
    const sid = typeof res.json?.sid === 'string' ? res.json.sid : undefined;
    return { providerMessageId: sid, awaitReceipt: sid !== undefined };
  }

  /** GET /2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}.json: the message's status and error code. */
  async fetchReceipt(providerMessageId: string): Promise<Receipt> {
    const res = await getAnswer(`${this.messagesUrl}/${encodeURIComponent(providerMessageId)}.json`, {
      headers: { authorization: this.auth, accept: 'application/json' },
      timeoutMs: this.opts.timeoutMs,
      label: `${this.opts.label ?? 'Twilio'} receipt`,
    });
    if (res.status === 200) return twilioReceipt(res.json);
    const what = `Twilio receipt: answered ${res.status}${res.text ? `: ${res.text.slice(0, 200)}` : ''}`;
    // 404: Twilio no longer knows the message (deleted, or another account's): no receipt will come.
    if (res.status === 404) throw new PermanentError(what, 'NO_RECEIPT');
    if (isTransientStatus(res.status) || res.status === 401 || res.status === 403) throw new RetryableError(what, 'RECEIPT_UNAVAILABLE');
    throw new PermanentError(what, 'NO_RECEIPT');
  }
}
