import type { OutboundMessage, Receipt, SendResult } from '../delivery-channel';

/** An HTTP SMS gateway's API shape. */
export interface SmsProvider {
  readonly name: string;
  send(message: OutboundMessage): Promise<SendResult>;
  /** Only providers that can be asked about a message they accepted (Twilio). */
  fetchReceipt?(providerMessageId: string): Promise<Receipt>;
}
