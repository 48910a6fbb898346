import { IsIn, IsIP, IsOptional } from 'class-validator';
import { Transform } from 'class-transformer';
import { WEBHOOK_LIMITS, type PppStatusBody } from '@isp/domain';
import { OptionalText, RouterTime, Username } from './webhook-fields';

/** PPP profile on-up / on-down (contract: PppStatusBody). */
export class PppStatusDto implements PppStatusBody {
  @IsIn(['up', 'down'], { message: 'event must be "up" or "down"' })
  event!: 'up' | 'down';

  @Username()
  user!: string;

  @Transform(({ value }) => (value === '' ? undefined : value))
  @IsOptional()
  @IsIP(4, { message: 'address must be an IPv4 address' })
  address?: string;

  /** A MAC for PPPoE, an address for L2TP/PPTP: kept as text, normalised when it is a MAC. */
  @OptionalText(64)
  callerId?: string;

  @OptionalText(WEBHOOK_LIMITS.name)
  iface?: string;

  @RouterTime()
  ts?: string;
}
