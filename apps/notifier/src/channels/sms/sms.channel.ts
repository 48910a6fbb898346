import type { DeliveryChannel, OutboundMessage, SendResult } from '../delivery-channel';
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
}
