import { postForDelivery } from '../http-delivery';
import { classifyTelegram } from '../provider-answers';
import { escapeTelegramHtml } from '../../templates/chat-escape';
import type { DeliveryChannel, OutboundMessage, SendResult } from '../delivery-channel';

/** Telegram refuses a text over 4096 characters (after entities are parsed); pages stay well under it. */
const MAX_TEXT = 4000;

export interface TelegramOptions {
  /** https://api.telegram.org, or a local Bot API server. */
  apiUrl: string;
  botToken: string;
  timeoutMs: number;
}

/**
 * Telegram Bot API: POST {apiUrl}/bot{token}/sendMessage with JSON `{ chat_id, text, parse_mode:
 * "HTML" }` to the contact's chat id. The subject goes in bold, every name is escaped for HTML
 * (escapeTelegramHtml). The bot must have been started by the user (or added to the group) first:
 * a bot cannot open a conversation, and Telegram says so with 403. A 200 means the message is in
 * the chat: `delivered`. The Bot API has no idempotency key; at most once rests on the notifier
 * not resending an uncertain send. The token is in the URL, so errors name "Telegram", never it.
 */
export class TelegramChannel implements DeliveryChannel {
  readonly channel = 'telegram' as const;
  readonly enabled: boolean;
  private readonly url: string | null;

  constructor(
    opts: TelegramOptions | null,
    private readonly timeoutMs: number,
    readonly disabledReason?: string,
  ) {
    this.url = opts ? `${opts.apiUrl.replace(/\/+$/, '')}/bot${opts.botToken}/sendMessage` : null;
    this.enabled = this.url !== null;
  }

  /** The HTML text of a page: the subject in bold, then the plain text, both escaped. */
  static html(m: Pick<OutboundMessage, 'subject' | 'body'>): string {
    const head = m.subject ? `<b>${escapeTelegramHtml(m.subject)}</b>\n\n` : '';
    const room = MAX_TEXT - head.length;
    let body = escapeTelegramHtml(m.body);
    // Cut before an entity rather than through it ("&am" would be refused).
    if (body.length > room) body = `${body.slice(0, room - 1).replace(/&[a-z]*$/, '')}…`;
    return head + body;
  }

  async send(m: OutboundMessage): Promise<SendResult> {
    if (!this.url) throw new Error('Telegram channel is disabled');
    const res = await postForDelivery(this.url, {
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ chat_id: m.to, text: TelegramChannel.html(m), parse_mode: 'HTML', link_preview_options: { is_disabled: true } }),
      timeoutMs: this.timeoutMs,
      label: 'Telegram',
      classify: classifyTelegram,
    });
    const id = (res.json?.result as { message_id?: unknown } | undefined)?.message_id;
    return { providerMessageId: id === undefined ? undefined : `${m.to}/${String(id)}`, delivered: true };
  }
}
