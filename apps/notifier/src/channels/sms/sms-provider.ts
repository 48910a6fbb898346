import type { OutboundMessage, SendResult } from '../delivery-channel';

/** An HTTP SMS gateway's API shape. */
export interface SmsProvider {
  readonly name: string;
  send(message: OutboundMessage): Promise<SendResult>;
}
