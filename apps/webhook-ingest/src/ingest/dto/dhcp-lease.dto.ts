import { IsIn, IsIP } from 'class-validator';
import { WEBHOOK_LIMITS, type DhcpLeaseBody } from '@isp/domain';
import { LenientText, MacField, OptionalText, RouterTime } from './webhook-fields';

/** DHCP server lease-script (contract: DhcpLeaseBody). */
export class DhcpLeaseDto implements DhcpLeaseBody {
  @IsIn(['1', '0'], { message: 'bound must be "1" (bound) or "0" (released)' })
  bound!: '1' | '0';

  @MacField()
  mac!: string;

  @IsIP(4, { message: 'ip must be an IPv4 address' })
  ip!: string;

  @OptionalText(WEBHOOK_LIMITS.name)
  server?: string;

  /** Chosen by the subscriber's device: cleaned rather than a reason to lose the lease event. */
  @LenientText(WEBHOOK_LIMITS.hostname)
  hostname?: string;

  @RouterTime()
  ts?: string;
}
