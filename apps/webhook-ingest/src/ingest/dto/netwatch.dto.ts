import { IsIn, IsIP } from 'class-validator';
import { WEBHOOK_LIMITS, type NetwatchBody } from '@isp/domain';
import { OptionalText, RouterTime } from './webhook-fields';

/** Netwatch up-script / down-script (contract: NetwatchBody). */
export class NetwatchDto implements NetwatchBody {
  @IsIP(4, { message: 'host must be an IPv4 address' })
  host!: string;

  @IsIn(['up', 'down'], { message: 'status must be "up" or "down"' })
  status!: 'up' | 'down';

  @OptionalText(WEBHOOK_LIMITS.name)
  name?: string;

  @RouterTime()
  ts?: string;
}
