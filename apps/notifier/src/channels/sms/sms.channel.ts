import { PermanentError } from '@isp/domain';
import type { DeliveryChannel, OutboundMessage, Receipt, SendResult } from '../delivery-channel';
import type { SmsProvider } from './sms-provider';
import type { SmsRateLimiter } from './sms-rate-limiter';

export class SmsChannel implements DeliveryChannel {
  readonly channel = 'sms' as const;
  readonly enabled: boolean;

  constructor(
    private readonly provider: SmsProvider | null,
    private readonly limiter: SmsRateLimiter,
    readonly disabledReason?: string,
  ) {
    this.enabled = provider !== null;
  }

  get providerName(): string {
    return this.provider?.name ?? 'none';
  }

  async send(m: OutboundMessage): Promise<SendResult> {
    if (!this.provider) throw new Error('SMS channel is disabled');
    await this.limiter.acquire();
    return this.provider.send(m);
  }

  /** Receipt look-ups are not rate-limited: they are not messages, and the provider's own API limits are far above a paging load. */
  async fetchReceipt(providerMessageId: string): Promise<Receipt> {
    if (!this.provider?.fetchReceipt) throw new PermanentError(`SMS provider ${this.providerName} gives no receipts`, 'NO_RECEIPTS');
    return this.provider.fetchReceipt(providerMessageId);
  }
}
