import { createTransport, type Transporter } from 'nodemailer';
import { PermanentError, RetryableError } from '@isp/domain';
import type { DeliveryChannel, OutboundMessage, SendResult } from '../delivery-channel';

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
}

/**
 * SMTP 5xx (mailbox unknown, address rejected, policy) cannot succeed later; 4xx (greylisting,
 * mailbox busy) and connection trouble can. An envelope the library refuses before talking to
 * the server (malformed address) is permanent too.
 */
export function classifySmtpError(err: SmtpError): Error {
  const code = err.responseCode;
  const what = `SMTP: ${code ? `${code} ` : ''}${err.code ? `${err.code} ` : ''}${err.message}`.slice(0, 300);
  if (code && code >= 500 && code < 600) return new PermanentError(what, 'DELIVERY_REJECTED');
  if (!code && err.code === 'EENVELOPE') return new PermanentError(what, 'DELIVERY_REJECTED');
  return new RetryableError(what, 'DELIVERY_TRANSIENT');
}

/** E-mail over SMTP with nodemailer; the Message-ID is derived from the idempotency key. */
export class EmailChannel implements DeliveryChannel {
  readonly channel = 'email' as const;
  readonly enabled: boolean;
  private readonly transport: Transporter | null;

  constructor(
    smtpUrl: string | undefined,
    private readonly from: string,
    timeoutMs: number,
    readonly disabledReason?: string,
  ) {
    this.transport = smtpUrl
      ? createTransport(smtpUrl, { connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs * 3 } as never)
      : null;
    this.enabled = this.transport !== null;
  }

  async send(m: OutboundMessage): Promise<SendResult> {
    if (!this.transport) throw new Error('e-mail channel is disabled');
    try {
      const info = (await this.transport.sendMail({
        from: this.from,
        to: m.to,
        subject: m.subject ?? '(no subject)',
        text: m.body,
        priority: m.priority,
        // Receivers and archives deduplicate on Message-ID: a retry after a lost "250 OK" is one mail.
        messageId: `<${m.idempotencyKey}@isp-notifier>`,
        headers: { 'X-Idempotency-Key': m.idempotencyKey },
      })) as { messageId?: string; rejected?: unknown[] };
      if (Array.isArray(info.rejected) && info.rejected.length) throw new PermanentError(`SMTP: recipient rejected`, 'DELIVERY_REJECTED');
      return { providerMessageId: info.messageId };
    } catch (err) {
      if (err instanceof PermanentError || err instanceof RetryableError) throw err;
      throw classifySmtpError(err as SmtpError);
    }
  }

  async close(): Promise<void> {
    this.transport?.close();
  }
}
