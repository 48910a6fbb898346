import { getAnswer, postForDelivery } from '../http-delivery';
import { classifyAfricasTalking } from '../provider-answers';
import type { OutboundMessage, SendResult } from '../delivery-channel';
import type { SmsProvider } from './sms-provider';

export interface AfricasTalkingOptions {
  /** https://api.africastalking.com, or https://api.sandbox.africastalking.com for the sandbox app. */
  baseUrl: string;
  username: string;
  apiKey: string;
  /** Approved sender id or short code; unset: the account's default sender. */
  senderId?: string;
  timeoutMs: number;
  /** A balance below this (in the account's currency) is reported; 0: never. */
  lowBalance: number;
  /** The balance is read at most this often, after a successful send. */
  balanceCheckEveryMs: number;
}

/**
 * Africa's Talking SMS: form POST to /version1/messaging with the `apiKey` header, one recipient
 * per request, answers classified per recipient by classifyAfricasTalking (a 201 may still carry
 * InsufficientBalance or InvalidPhoneNumber). No idempotency key exists on this API, so at most
 * once rests on the notifier not resending an uncertain send. Delivery reports exist only as
 * callbacks to a URL set in AT's dashboard; they are not used, so these SMS end `sent`. After a
 * send the balance (GET /version1/user) is read at most every `balanceCheckEveryMs`, and a
 * balance under `lowBalance` comes back as a warning for the network admins.
 */
export class AfricasTalkingSmsProvider implements SmsProvider {
  readonly name = 'africastalking';
  private readonly base: string;
  private balanceReadAt = 0;

  constructor(private readonly opts: AfricasTalkingOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
  }

  async send(m: OutboundMessage): Promise<SendResult> {
    const form = new URLSearchParams({ username: this.opts.username, to: m.to, message: m.body });
    if (this.opts.senderId) form.set('from', this.opts.senderId);
    const res = await postForDelivery(`${this.base}/version1/messaging`, {
      headers: { apiKey: this.opts.apiKey, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      timeoutMs: this.opts.timeoutMs,
      label: "Africa's Talking",
      classify: classifyAfricasTalking,
    });
    const recipients = (res.json?.SMSMessageData as { Recipients?: Array<{ messageId?: unknown }> } | undefined)?.Recipients;
    const id = recipients?.[0]?.messageId;
    const warning = await this.balanceWarning();
    return { providerMessageId: typeof id === 'string' ? id : undefined, ...(warning && { warning }) };
  }

  /** A low-balance warning, or nothing (also when the balance cannot be read: the send itself went out). */
  private async balanceWarning(): Promise<SendResult['warning']> {
    if (this.opts.lowBalance <= 0 || Date.now() - this.balanceReadAt < this.opts.balanceCheckEveryMs) return undefined;
    this.balanceReadAt = Date.now();
    const res = await getAnswer(`${this.base}/version1/user?username=${encodeURIComponent(this.opts.username)}`, {
      headers: { apiKey: this.opts.apiKey, accept: 'application/json' },
      timeoutMs: this.opts.timeoutMs,
      label: "Africa's Talking balance",
    }).catch(() => null);
    // "KES 1785.50": currency, then amount.
    const text = (res?.status === 200 && (res.json?.UserData as { balance?: unknown } | undefined)?.balance) || '';
    const amount = /(-?\d+(?:\.\d+)?)/.exec(String(text))?.[1];
    if (amount === undefined || Number(amount) >= this.opts.lowBalance) return undefined;
    return { cause: 'low-balance', detail: `Africa's Talking balance is ${String(text)}, below ${this.opts.lowBalance}: top up before pages stop` };
  }
}
