import type { DeliveryChannel, OutboundMessage, Receipt, SendResult } from '../delivery-channel';
import { TwilioSmsProvider, type TwilioOptions } from '../sms/twilio-sms.provider';

/**
 * WhatsApp through Twilio's WhatsApp sender (docs/paging.md says why Twilio and not Meta's Cloud
 * API): the same Messages API as Twilio SMS with `whatsapp:`-prefixed To and From, so sending,
 * answer classification (classifyTwilio) and receipts (the Message resource, polled) are the SMS
 * code's. WhatsApp refuses free-form business messages outside the 24-hour window after the
 * person last wrote to us: that shows as error 63016 in the receipt, failing over to the next
 * channel. With WHATSAPP_CONTENT_SID set, pages go as that approved template instead.
 */
export class WhatsAppChannel implements DeliveryChannel {
  readonly channel = 'whatsapp' as const;
  readonly enabled: boolean;
  private readonly twilio: TwilioSmsProvider | null;
  private readonly template: boolean;

  constructor(
    opts: Omit<TwilioOptions, 'addressPrefix' | 'label'> | null,
    readonly disabledReason?: string,
  ) {
    this.twilio = opts ? new TwilioSmsProvider({ ...opts, addressPrefix: 'whatsapp:', label: 'Twilio WhatsApp' }) : null;
    this.template = Boolean(opts?.contentSid);
    this.enabled = this.twilio !== null;
  }

  async send(m: OutboundMessage): Promise<SendResult> {
    if (!this.twilio) throw new Error('WhatsApp channel is disabled');
    // Free-form text: the subject in WhatsApp bold (*...*) above the text; a template takes both as its variables.
    return this.twilio.send(this.template || !m.subject ? m : { ...m, body: `*${m.subject}*\n\n${m.body}` });
  }

  async fetchReceipt(providerMessageId: string): Promise<Receipt> {
    if (!this.twilio) throw new Error('WhatsApp channel is disabled');
    return this.twilio.fetchReceipt(providerMessageId);
  }
}
